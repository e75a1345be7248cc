#include "tracer.hpp"

#include <linux/audit.h>
#include <sys/wait.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <set>

#include "capprof/error.hpp"
#include "capprof/proc_status.hpp"
#include "decode_event.hpp"
#include "identity_log.hpp"
#include "ptrace_ops.hpp"
#include "signal_relay.hpp"
#include "silent_denial.hpp"
#include "stop_controller.hpp"
#include "task_access.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

namespace {

constexpr std::uint64_t clone_thread = 0x00010000;  // CLONE_THREAD

bool is_job_control_stop(int signal) {
    return signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

}  // namespace

TraceOutcome Tracer::trace(pid_t main_pid) {
    main_pid_ = main_pid;
    tasks_.add_process(main_pid);
    try {
        loop();
    } catch (...) {
        kill_all_and_reap();
        throw;
    }
    outcome_.processes = tasks_.processes_seen();
    outcome_.threads = tasks_.threads_seen();
    return outcome_;
}

void Tracer::loop() {
    while (true) {
        int raw;
        pid_t tid = ::waitpid(-1, &raw, __WALL | __WNOTHREAD);
        if (controller_.requested() != static_cast<StopLevel>(handled_level_)) handle_stop_request();
        if (tid < 0) {
            if (errno == EINTR) continue;
            if (errno == ECHILD) return;  // every traced task has been reaped
            throw UserError(std::string("waitpid: ") + std::strerror(errno));
        }
        on_stop(tid, WaitStatus(raw));
    }
}

void Tracer::on_stop(pid_t tid, WaitStatus status) {
    using Kind = WaitStatus::Kind;
    Kind kind = status.kind();
    if (kind == Kind::exited || kind == Kind::killed) {
        on_exit(tid, status);
        return;
    }
    TaskState* task = tasks_.find(tid);
    if (!task) task = &adopt(tid);
    switch (kind) {
        case Kind::syscall_stop: on_syscall_stop(*task); break;
        case Kind::ptrace_event: on_ptrace_event(*task, status); break;
        case Kind::group_stop: on_group_stop(*task, status.stop_signal()); break;
        case Kind::signal_stop: resume(tid, status.stop_signal()); break;  // re-inject
        default: resume(tid); break;
    }
}

void Tracer::on_syscall_stop(TaskState& task) {
    ptrace_ops::SyscallInfo info;
    if (ptrace_ops::syscall_info(task.tid, info) != 0) return;  // ESRCH: its exit is coming
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        task.entry.audit_arch = info.arch;
        task.entry.nr = info.entry.nr;
        std::memcpy(task.entry.args.data(), info.entry.args, sizeof info.entry.args);
        const ArchSyscalls& numbers = WatchedSyscalls::get().for_audit_arch(info.arch);
        if ((info.entry.nr == numbers.socket || info.entry.nr == numbers.socketcall) &&
            !task.process->uses_netlink && creates_netlink_socket(task.entry, ProcTaskAccess(task.tid)))
            task.process->uses_netlink = true;
    } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
        ++outcome_.syscalls;
        long ret = static_cast<long>(info.exit.rval);
        if (info.exit.is_error) {
            if (failures_.wants(task.entry.audit_arch, task.entry.nr, ret)) on_failure(task, ret);
        } else {
            const ArchSyscalls& numbers = WatchedSyscalls::get().for_audit_arch(task.entry.audit_arch);
            if (ret > 0 && task.process->uses_netlink && numbers.receives(task.entry.nr))
                on_netlink_reply(task, ret);
            else if (numbers.may_deny_silently(task.entry.nr))
                on_possible_silent_denial(task, ret);
        }
    }
    resume(task.tid);
}

void Tracer::on_failure(TaskState& task, long ret) {
    ++outcome_.failures;
    ProcTaskAccess access(task.tid);
    SyscallEvent event = decode_failure(task.tid, task.process->tgid, task.entry, ret, access);
    deliver(task, event);
}

void Tracer::on_netlink_reply(TaskState& task, long ret) {
    ProcTaskAccess access(task.tid);
    auto event = decode_netlink_denial(task.tid, task.process->tgid, task.entry, ret, access);
    if (!event) return;
    ++outcome_.failures;
    deliver(task, *event);
}

void Tracer::on_possible_silent_denial(TaskState& task, long ret) {
    ProcTaskAccess access(task.tid);
    auto event = decode_silent_denial(task.tid, task.process->tgid, task.entry, ret, access);
    if (!event) return;
    ++outcome_.failures;
    deliver(task, *event);
}

void Tracer::deliver(TaskState& task, SyscallEvent& event) {
    // The executable is part of a finding's identity: known before the sink
    // decides whether this is a repeat, read once per process and execve.
    if (!task.process->exe) task.process->exe = read_task_exe(task.tid);
    event.task.exe = *task.process->exe;
    if (!sink_.wants_details(event)) return;
    pid_t tid = event.task.tid, pid = event.task.pid;
    if (auto info = read_task_info(tid)) event.task = std::move(*info);
    event.task.tid = tid;
    event.task.pid = pid;
    event.task.exe = *task.process->exe;
    sink_.on_failure(event);
}

void Tracer::on_ptrace_event(TaskState& task, WaitStatus status) {
    int event = status.ptrace_event();
    switch (event) {
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE: {
            unsigned long child = 0;
            if (ptrace_ops::event_message(task.tid, child) == 0)
                on_new_task(task, static_cast<pid_t>(child), event);
            break;
        }
        case PTRACE_EVENT_EXEC: {
            unsigned long former = 0;
            if (ptrace_ops::event_message(task.tid, former) == 0 && static_cast<pid_t>(former) != task.tid) {
                // execve from a non-leader thread: it now has the leader's tid
                // and the other threads are gone (ptrace(2), "execve(2) under ptrace").
                spdlog::debug("task {} exec'd and took over the leader's tid {}", former, task.tid);
                pid_t tid = task.tid;
                tasks_.exec_took_over(tid, static_cast<pid_t>(former));
                if (TaskState* leader = tasks_.find(tid)) leader->process->exe.reset();
                resume(tid);
                return;
            }
            spdlog::debug("task {} exec'd", task.tid);
            task.process->exe.reset();
            break;
        }
        case PTRACE_EVENT_EXIT:
            if (identities_) identities_->sample_exiting(task.tid);
            break;
        default:
            // PTRACE_EVENT_STOP: a new task's first stop, or SIGCONT ending a
            // group-stop we were listening to.
            if (killing_) ::kill(task.tid, SIGKILL);
            break;
    }
    resume(task.tid);
}

void Tracer::on_new_task(TaskState& parent, pid_t child, int event) {
    bool thread = false;
    if (event == PTRACE_EVENT_CLONE) {
        auto flags = clone_flags_of(parent.entry, ProcTaskAccess(parent.tid));
        thread = flags && (*flags & clone_thread);
    }
    if (TaskState* known = tasks_.find(child)) {
        // Its first stop came before this event: adopt() placed it already.
        if (!thread && parent.process->uses_netlink) known->process->uses_netlink = true;
    } else if (thread) {
        tasks_.add_thread(child, parent);
    } else {
        tasks_.add_process(child, parent.process.get());
    }
    spdlog::debug("task {} started {} {}", parent.tid, thread ? "thread" : "process", child);
    if (killing_) ::kill(child, SIGKILL);
}

TaskState& Tracer::adopt(pid_t tid) {
    // A task whose first stop arrived before its parent's fork/clone event.
    pid_t tgid = tid;
    if (auto info = read_task_info(tid); info && info->pid > 0) tgid = info->pid;
    spdlog::debug("task {} (thread group {}) seen before its creation event", tid, tgid);
    if (tgid != tid) {
        if (TaskState* leader = tasks_.find(tgid)) return tasks_.add_thread(tid, *leader);
    }
    return tasks_.add_process(tid);
}

void Tracer::on_group_stop(TaskState& task, int signal) {
    // PTRACE_LISTEN keeps the task stopped but lets SIGCONT wake it, so
    // job control works as without capprof (ptrace(2), "Group-stop").
    pid_t tid = task.tid;
    if (ptrace_ops::listen(tid) != 0) return;
    spdlog::debug("task {} in group-stop ({})", tid, strsignal(signal));
    if (tid == main_pid_ && is_job_control_stop(signal) && !killing_) {
        // Let the shell see the job stopped; `fg` sends SIGCONT to the whole
        // process group, which resumes capprof and the workload together.
        signals_.stop_self_like(signal);
    }
}

void Tracer::on_exit(pid_t tid, WaitStatus status) {
    if (status.kind() == WaitStatus::Kind::exited)
        spdlog::debug("task {} exited with {}", tid, status.exit_code());
    else
        spdlog::debug("task {} killed by {}", tid, strsignal(status.fatal_signal()));
    tasks_.erase(tid);
    if (tid != main_pid_) return;
    outcome_.main_exited = true;
    outcome_.exit = status.kind() == WaitStatus::Kind::exited ? ExitStatus::exited(status.exit_code())
                                                              : ExitStatus::killed(status.fatal_signal());
    controller_.workload_exited();
    sample_identities_of_all();
    // As Docker does when a container's init exits: whatever the workload
    // left behind (double-forked daemons) is killed, so capprof never hangs.
    killing_ = true;
    signal_all(SIGKILL);
}

void Tracer::handle_stop_request() {
    StopLevel level = controller_.requested();
    handled_level_ = static_cast<int>(level);
    outcome_.stopped_by_capprof = true;
    if (level == StopLevel::terminate) {
        sample_identities_of_all();
        spdlog::debug("sending SIGTERM to {} traced tasks", tasks_.size());
        signal_all(SIGTERM);
    } else if (level == StopLevel::kill) {
        spdlog::debug("sending SIGKILL to {} traced tasks", tasks_.size());
        killing_ = true;
        signal_all(SIGKILL);
    }
    controller_.acknowledge(level);
}

void Tracer::signal_all(int signal) {
    // One signal per thread group: kill(2) on a tgid reaches the process.
    std::set<pid_t> groups;
    for (const auto& [tid, task] : tasks_.tasks()) groups.insert(task.process ? task.process->tgid : tid);
    for (pid_t tgid : groups) ::kill(tgid, signal);
}

void Tracer::sample_identities_of_all() {
    if (!identities_) return;
    for (const auto& [tid, task] : tasks_.tasks()) identities_->sample_alive(tid);
}

void Tracer::kill_all_and_reap() {
    killing_ = true;
    signal_all(SIGKILL);
    int raw;
    while (true) {
        pid_t tid = ::waitpid(-1, &raw, __WALL | __WNOTHREAD);
        if (tid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        WaitStatus status(raw);
        auto kind = status.kind();
        if (kind == WaitStatus::Kind::exited || kind == WaitStatus::Kind::killed) {
            tasks_.erase(tid);
        } else {
            ::kill(tid, SIGKILL);
            resume(tid);
        }
    }
}

void Tracer::resume(pid_t tid, int signal) {
    // ESRCH: the task died meanwhile (SIGKILL); waitpid will report it.
    ptrace_ops::resume_syscall(tid, signal);
}

}  // namespace capprof
