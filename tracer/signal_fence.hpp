#pragma once
// The workload's signals stay inside the workload, as a container's stay
// inside its PID namespace (pid_namespaces(7)). The workload is uid 0 like
// capprof, so without this it could stop or kill capprof, its probes, or any
// root process of the host. At the entry of each call that can signal
// another process (the tracer stops there anyway; other calls are not
// looked at), the target is checked:
//
//   kill, tkill, tgkill,          a target capprof did not start (capprof,
//   rt_sigqueueinfo,              a probe, any other process) fails with
//   rt_tgsigqueueinfo,            ESRCH, what a container would see: the
//   pidfd_open                    call is skipped as strace's fault
//                                 injection skips one (number -1 at entry,
//                                 the error set at exit)
//   pidfd_send_signal             the same; the target is the "Pid:" of the
//                                 pidfd's /proc/TID/fdinfo entry, or the pid
//                                 of an fd of a /proc/PID directory
//   kill(-1)                      delivered to the workload's own processes
//                                 only (the caller's excepted), as in a PID
//                                 namespace, by capprof on the caller's
//                                 behalf and with its permission check; it
//                                 returns what kill(-1) would
//   kill(0), kill(-pgrp)          let through when the group holds workload
//                                 processes only (its own group, which it
//                                 gets at launch); else delivered to its
//                                 workload members only, as kill(-1)
//   fcntl F_SETOWN,               an owner outside the workload (SIGIO and
//   F_SETOWN_EX, ioctl            F_SETSIG signals go to the owner) fails
//   FIOSETOWN/SIOCSPGRP           with ESRCH
//
// A task in a PID namespace other than capprof's names only processes of
// that namespace, all of them the workload's: its calls are let through.
//
// Arguments read from the workload's memory could be changed by a sibling
// thread between the check and the call (a classic ptrace TOCTOU). So an
// F_SETOWN_EX of a process or group and an ioctl FIOSETOWN/SIOCSPGRP are
// turned into the equivalent F_SETOWN, whose owner is in a register; only
// F_SETOWN_EX of a thread (F_OWNER_TID) keeps its owner in memory.
#include <sys/types.h>

#include <vector>

#include "task_table.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

class SignalFence {
public:
    explicit SignalFence(TaskTable& tasks);

    // At the entry of a call of `numbers` (any of the calls above): lets it
    // through, rewrites its registers, or skips it and sets
    // caller.forced_return for its exit.
    void on_entry(TaskState& caller, const ArchSyscalls& numbers);

private:
    void check_kill(TaskState& caller, pid_t pid, int signal);
    void check_group(TaskState& caller, pid_t group, int signal);
    void check_pidfd_signal(TaskState& caller);
    void check_fcntl(TaskState& caller);
    void check_owner_ioctl(TaskState& caller, const ArchSyscalls& numbers);
    void require_workload(TaskState& caller, pid_t target);
    void deliver_on_behalf(TaskState& caller, const std::vector<pid_t>& targets, int signal,
                           bool every_process);
    void refuse(TaskState& caller, long error);
    void skip_with(TaskState& caller, long result);

    bool in_own_pid_namespace(TaskState& caller);
    bool is_workload(pid_t pid);
    bool owner_allowed(pid_t owner);
    bool group_is_workload_only(pid_t group);
    std::vector<pid_t> workload_processes();

    TaskTable& tasks_;
    unsigned long own_pid_namespace_ = 0;
};

}  // namespace capprof
