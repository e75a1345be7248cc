#include "signal_fence.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "capprof/proc_status.hpp"
#include "ptrace_ops.hpp"
#include "task_access.hpp"

namespace capprof {

namespace {

// fcntl(2), ioctl_socket(2) and pidfd_send_signal(2) constants, spelled out:
// the libc headers name some of them only with _GNU_SOURCE or newer kernels.
constexpr int f_setown = 8;
constexpr int f_setown_ex = 15;
constexpr int f_owner_tid = 0, f_owner_pid = 1, f_owner_pgrp = 2;
constexpr std::uint64_t fiosetown = 0x8901, siocspgrp = 0x8902;
constexpr std::uint64_t pidfd_signal_process_group = 4;  // Linux 6.9
constexpr int cap_kill = 5;
constexpr int max_signal = 64;

// pid_t arguments are C ints: the kernel looks at the low 32 bits.
pid_t as_pid(std::uint64_t arg) { return static_cast<pid_t>(static_cast<std::int32_t>(arg)); }

// The fields of /proc/PID/stat after the command (proc(5)).
struct ProcStat {
    char state = '?';
    pid_t ppid = 0, pgrp = 0, session = 0;
};

std::optional<ProcStat> read_proc_stat(pid_t pid) {
    auto text = proc_status_detail::read_small_file("/proc/" + std::to_string(pid) + "/stat");
    if (!text) return std::nullopt;
    auto close = text->rfind(')');
    if (close == std::string::npos || close + 2 >= text->size()) return std::nullopt;
    ProcStat stat;
    stat.state = (*text)[close + 2];
    auto numbers = proc_status_detail::numbers<long>(std::string_view(*text).substr(close + 3));
    if (numbers.size() < 3) return std::nullopt;
    stat.ppid = static_cast<pid_t>(numbers[0]);
    stat.pgrp = static_cast<pid_t>(numbers[1]);
    stat.session = static_cast<pid_t>(numbers[2]);
    return stat;
}

std::optional<TaskInfo> read_status(pid_t pid) {
    auto text = proc_status_detail::read_small_file("/proc/" + std::to_string(pid) + "/status");
    if (!text || text->empty()) return std::nullopt;
    return parse_proc_status(*text);
}

unsigned long pid_namespace_of(const std::string& proc_dir) {
    struct stat st {};
    return ::stat((proc_dir + "/ns/pid").c_str(), &st) == 0 ? st.st_ino : 0;
}

// kill(2)'s permission check (kernel/signal.c check_kill_permission): the
// sender's real or effective uid is the target's real or saved uid, or the
// sender has CAP_KILL; SIGCONT within a session needs neither.
bool may_signal(const TaskInfo& sender, pid_t sender_session, pid_t target, int signal) {
    auto info = read_status(target);
    if (!info) return false;
    if (sender.euid == info->suid || sender.euid == info->uid || sender.uid == info->suid ||
        sender.uid == info->uid)
        return true;
    if (sender.cap_eff & (std::uint64_t{1} << cap_kill)) return true;
    if (signal == SIGCONT) {
        auto stat = read_proc_stat(target);
        return stat && stat->session == sender_session;
    }
    return false;
}

// The process a pidfd (or an fd of a /proc/PID directory) refers to, as
// capprof's /proc numbers it; nullopt when the fd is neither (the kernel
// then fails the call with EBADF). -1: the process has been reaped.
std::optional<pid_t> pidfd_target(pid_t tid, int fd) {
    const std::string fd_name = std::to_string(fd);
    auto info = proc_status_detail::read_small_file("/proc/" + std::to_string(tid) + "/fdinfo/" + fd_name);
    if (info) {
        auto at = info->find("\nPid:");
        if (at != std::string::npos)
            return proc_status_detail::first_number<pid_t>(std::string_view(*info).substr(at + 5));
    }
    auto path = ProcTaskAccess(tid).fd_path(fd);
    if (!path || path->rfind("/proc/", 0) != 0) return std::nullopt;
    std::string number = path->substr(6);
    if (number.empty() || number.size() > 9 || number.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return static_cast<pid_t>(std::stol(number));
}

}  // namespace

SignalFence::SignalFence(TaskTable& tasks) : tasks_(tasks), own_pid_namespace_(pid_namespace_of("/proc/self")) {}

void SignalFence::on_entry(TaskState& caller, const ArchSyscalls& n) {
    const SyscallEntry& e = caller.entry;
    const std::uint64_t nr = e.nr;
    // The pidfd's target is read as capprof's /proc numbers it, whatever
    // namespace the caller is in.
    if (nr == n.pidfd_send_signal) return check_pidfd_signal(caller);
    if (!in_own_pid_namespace(caller)) return;
    if (nr == n.kill) return check_kill(caller, as_pid(e.args[0]), static_cast<int>(e.args[1]));
    if (nr == n.tkill || nr == n.rt_sigqueueinfo || nr == n.pidfd_open)
        return require_workload(caller, as_pid(e.args[0]));
    if (nr == n.tgkill || nr == n.rt_tgsigqueueinfo) return require_workload(caller, as_pid(e.args[1]));
    if (nr == n.fcntl || nr == n.fcntl64) return check_fcntl(caller);
    if (nr == n.ioctl) return check_owner_ioctl(caller, n);
}

bool SignalFence::in_own_pid_namespace(TaskState& caller) {
    signed char& known = caller.process->in_own_pid_namespace;
    if (known < 0) known = pid_namespace_of("/proc/" + std::to_string(caller.tid)) == own_pid_namespace_;
    return known == 1;
}

bool SignalFence::is_workload(pid_t pid) {
    if (pid <= 0) return false;
    if (tasks_.find(pid)) return true;
    // A workload process that has exited but that its (traced) parent has not
    // reaped yet: capprof already reaped it as its tracer.
    auto stat = read_proc_stat(pid);
    return stat && stat->state == 'Z' && tasks_.find(stat->ppid);
}

void SignalFence::require_workload(TaskState& caller, pid_t target) {
    // pid <= 0 is the kernel's to refuse (EINVAL, ESRCH).
    if (target > 0 && !is_workload(target)) refuse(caller, -ESRCH);
}

void SignalFence::check_kill(TaskState& caller, pid_t pid, int signal) {
    if (pid > 0) return require_workload(caller, pid);
    if (pid == INT_MIN) return;  // the kernel answers ESRCH
    if (pid == -1) return deliver_on_behalf(caller, workload_processes(), signal, true);
    pid_t group = -pid;
    if (pid == 0) {
        auto stat = read_proc_stat(caller.tid);
        if (!stat) return;
        group = stat->pgrp;
    }
    check_group(caller, group, signal);
}

std::vector<pid_t> SignalFence::workload_processes() {
    std::set<pid_t> groups;
    for (const auto& [tid, task] : tasks_.tasks()) groups.insert(task.process ? task.process->tgid : tid);
    return {groups.begin(), groups.end()};
}

void SignalFence::check_group(TaskState& caller, pid_t group, int signal) {
    if (group_is_workload_only(group)) return;
    std::vector<pid_t> members;
    for (pid_t pid : workload_processes()) {
        auto stat = read_proc_stat(pid);
        if (stat && stat->pgrp == group) members.push_back(pid);
    }
    spdlog::debug("task {}: signal {} to process group {}, which holds processes capprof did not start: "
                  "delivered to its {} workload processes only", caller.tid, signal, group, members.size());
    deliver_on_behalf(caller, members, signal, false);
}

bool SignalFence::group_is_workload_only(pid_t group) {
    // A process group has no list of its own in /proc: every process is looked at.
    DIR* proc = ::opendir("/proc");
    if (!proc) return false;
    bool only_workload = true;
    while (dirent* entry = ::readdir(proc)) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
        pid_t pid = static_cast<pid_t>(std::atol(entry->d_name));
        auto stat = read_proc_stat(pid);
        if (!stat || stat->pgrp != group || stat->state == 'Z') continue;
        if (!is_workload(pid)) {
            only_workload = false;
            break;
        }
    }
    ::closedir(proc);
    return only_workload;
}

void SignalFence::deliver_on_behalf(TaskState& caller, const std::vector<pid_t>& targets, int signal,
                                    bool every_process) {
    if (signal < 0 || signal > max_signal) return skip_with(caller, -EINVAL);
    auto sender = read_status(caller.tid);
    auto sender_stat = read_proc_stat(caller.tid);
    if (!sender || !sender_stat) return refuse(caller, -ESRCH);
    const pid_t own = caller.process->tgid;
    // kill(-1) counts every process it tries and ignores EPERM; a group kill
    // succeeds if one member got the signal, else reports the last error
    // (kernel/signal.c kill_something_info, __kill_pgrp_info).
    int tried = 0;
    bool delivered = false;
    long last_error = -ESRCH;
    for (pid_t target : targets) {
        if (every_process && target == own) continue;
        ++tried;
        if (target != own && !may_signal(*sender, sender_stat->session, target, signal)) {
            last_error = -EPERM;
            continue;
        }
        if (::kill(target, signal) == 0) delivered = true;
        else last_error = -errno;
    }
    long result = every_process ? (tried ? 0 : -ESRCH) : (delivered ? 0 : last_error);
    spdlog::debug("task {}: signal {} delivered by capprof to {} workload processes: {}", caller.tid, signal,
                  tried, result);
    skip_with(caller, result);
}

void SignalFence::check_pidfd_signal(TaskState& caller) {
    const SyscallEntry& e = caller.entry;
    auto target = pidfd_target(caller.tid, static_cast<int>(e.args[0]));
    if (!target || *target < 0) return;  // not a pidfd, or a reaped process: the kernel says so
    if (e.args[3] & pidfd_signal_process_group) {
        auto stat = read_proc_stat(*target);
        if (stat && !group_is_workload_only(stat->pgrp)) refuse(caller, -ESRCH);
        return;
    }
    // 0: a process outside the namespace of capprof's /proc.
    if (*target == 0 || !is_workload(*target)) refuse(caller, -ESRCH);
}

bool SignalFence::owner_allowed(pid_t owner) {
    if (owner == 0 || owner == INT_MIN) return true;  // none, or the kernel's EINVAL
    return owner > 0 ? is_workload(owner) : group_is_workload_only(-owner);
}

void SignalFence::check_fcntl(TaskState& caller) {
    const SyscallEntry& e = caller.entry;
    const int command = static_cast<int>(e.args[1]);
    if (command == f_setown) {
        if (!owner_allowed(as_pid(e.args[2]))) refuse(caller, -ESRCH);
        return;
    }
    if (command != f_setown_ex) return;
    struct {
        std::int32_t type;
        std::int32_t pid;
    } owner{};
    if (!ProcTaskAccess(caller.tid).read(e.args[2], &owner, sizeof owner)) return;  // EFAULT is the kernel's
    if (owner.type == f_owner_tid) {
        if (owner.pid != 0 && !is_workload(owner.pid)) refuse(caller, -ESRCH);
        return;
    }
    if (owner.type != f_owner_pid && owner.type != f_owner_pgrp) return;  // EINVAL is the kernel's
    pid_t value = owner.type == f_owner_pgrp ? -owner.pid : owner.pid;
    if (owner.pid < 0 || !owner_allowed(value)) return refuse(caller, -ESRCH);
    // The same call with its owner in a register (F_SETOWN: a negative
    // owner is a process group), which no other thread can change.
    ptrace_ops::set_syscall_argument(caller.tid, e.audit_arch, 1, f_setown);
    ptrace_ops::set_syscall_argument(caller.tid, e.audit_arch, 2, static_cast<std::uint64_t>(static_cast<std::int64_t>(value)));
}

void SignalFence::check_owner_ioctl(TaskState& caller, const ArchSyscalls& n) {
    const SyscallEntry& e = caller.entry;
    const std::uint64_t request = e.args[1] & 0xffffffff;
    if (request != fiosetown && request != siocspgrp) return;
    // Sockets take these (net/socket.c sock_ioctl); other files say ENOTTY.
    auto path = ProcTaskAccess(caller.tid).fd_path(static_cast<int>(e.args[0]));
    if (!path || path->rfind("socket:", 0) != 0) return;
    std::int32_t owner = 0;
    if (!ProcTaskAccess(caller.tid).read(e.args[2], &owner, sizeof owner)) return;
    if (!owner_allowed(owner)) return refuse(caller, -ESRCH);
    // sock_ioctl calls f_setown(file, owner, 1), as fcntl(F_SETOWN) does.
    ptrace_ops::set_syscall_number(caller.tid, n.fcntl);
    ptrace_ops::set_syscall_argument(caller.tid, e.audit_arch, 1, f_setown);
    ptrace_ops::set_syscall_argument(caller.tid, e.audit_arch, 2, static_cast<std::uint64_t>(static_cast<std::int64_t>(owner)));
}

void SignalFence::refuse(TaskState& caller, long error) {
    spdlog::debug("task {}: syscall {} aims outside the workload: skipped, returns {}", caller.tid,
                  caller.entry.nr, error);
    skip_with(caller, error);
}

void SignalFence::skip_with(TaskState& caller, long result) {
    if (ptrace_ops::skip_syscall(caller.tid) == 0) caller.forced_return = result;
}

}  // namespace capprof
