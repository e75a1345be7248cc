#include "tracer.hpp"

#include <fstream>

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
#include "message_capture.hpp"
#include "ptrace_ops.hpp"
#include "signal_relay.hpp"
#include "silent_denial.hpp"
#include "stop_controller.hpp"
#include "task_access.hpp"
#include "terminal.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

namespace {

constexpr std::uint64_t clone_untraced = 0x00800000;  // CLONE_UNTRACED

ExitStatus exit_status_of(WaitStatus status) {
    return status.kind() == WaitStatus::Kind::exited ? ExitStatus::exited(status.exit_code())
                                                     : ExitStatus::killed(status.fatal_signal());
}

bool is_job_control_stop(int signal) {
    return signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

// The thread group of a new task, as the kernel says (the Tgid of
// /proc/TID/status); 0 if it is already gone.
pid_t kernel_tgid(pid_t tid) {
    auto status = proc_status_detail::read_small_file("/proc/" + std::to_string(tid) + "/status");
    return status ? parse_proc_status(*status).pid : 0;
}

}  // namespace

RunResult Tracer::trace(pid_t main_pid) {
    main_pid_ = main_pid;
    tasks_.add_process(main_pid);
    try {
        loop();
    } catch (...) {
        kill_all_and_reap();
        throw;
    }
    result_.processes = tasks_.processes_seen();
    result_.threads = tasks_.threads_seen();
    result_.ignored_privileges = privileges_.take();
    return result_;
}

void Tracer::loop() {
    // capprof, a subreaper, may have untraced children (orphans, probes'
    // leftovers) that waitpid(-1) would wait for: the loop ends with the
    // traced tasks, and the reaper deals with the rest.
    while (!(main_exited_ && tasks_.empty())) {
        int raw;
        pid_t tid = ::waitpid(-1, &raw, __WALL | __WNOTHREAD);
        // Saved before handle_stop_request(), whose kill(2) of a task that
        // is already gone sets errno to ESRCH.
        const int wait_errno = errno;
        if (controller_.requested() != static_cast<StopLevel>(handled_level_)) handle_stop_request();
        if (tid < 0) {
            if (wait_errno == EINTR) {
                // capprof's own signals interrupt waitpid (no SA_RESTART).
                if (signals_.take_continued()) on_continued();
                continue;
            }
            if (wait_errno == ECHILD) return;  // every traced task has been reaped
            throw UserError(std::string("waitpid: ") + std::strerror(wait_errno));
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
        case Kind::signal_stop: on_signal_stop(*task, status.stop_signal()); break;
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
        const ArchSyscalls& numbers = WatchedSyscalls::get().for_entry(info.arch, info.entry.nr);
        if (numbers.watched_at_entry(info.entry.nr)) on_watched_entry(task, numbers);
    } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
        ++result_.syscalls;
        long ret = static_cast<long>(info.exit.rval);
        if (info.exit.is_error) {
            // A call capprof skipped at entry returns -ENOSYS (an error): its
            // real result is set now (strace's tamper_with_syscall_exiting).
            if (task.forced_return) {
                ret = *task.forced_return;
                task.forced_return.reset();
                ptrace_ops::set_return_value(task.tid, ret);
            }
            if (failures_.wants(task.entry.audit_arch, task.entry.nr, ret)) on_failure(task, ret);
        } else {
            const ArchSyscalls& numbers = WatchedSyscalls::get().for_audit_arch(task.entry.audit_arch);
            if (task.process->message.awaiting && writes_to_stderr(numbers, task.entry))
                on_stderr_write(task, numbers, ret);
            else if (ret > 0 && task.process->uses_netlink && numbers.receives(task.entry.nr))
                on_netlink_reply(task, ret);
            else if (numbers.may_deny_silently(task.entry.nr))
                on_possible_silent_denial(task, numbers, ret);
        }
    }
    resume(task.tid);
}

void Tracer::on_watched_entry(TaskState& task, const ArchSyscalls& numbers) {
    const std::uint64_t nr = task.entry.nr;
    if (nr == numbers.socket || nr == numbers.socketcall) {
        if (!task.process->uses_netlink && creates_netlink_socket(task.entry, ProcTaskAccess(task.tid)))
            task.process->uses_netlink = true;
    } else if (nr == numbers.clone3) {
        // clone3's flags live in the task's memory, where a sibling thread
        // can change them after capprof looked. Docker's default seccomp
        // profile answers ENOSYS, and libc falls back to clone(), whose flags
        // are in registers: so does capprof.
        if (ptrace_ops::skip_syscall(task.tid) == 0) task.forced_return = -ENOSYS;
    } else if (nr == numbers.clone) {
        clear_untraced(task);
    } else {
        fence_.on_entry(task, numbers);
    }
}

void Tracer::clear_untraced(TaskState& task) {
    std::uint64_t flags = task.entry.args[0];
    if (!(flags & clone_untraced)) return;
    // The child would be neither traced nor killed with the workload
    // (clone(2): "CLONE_UNTRACED: a tracing process cannot force
    // CLONE_PTRACE on this child"): the flag goes, the child is traced.
    flags &= ~clone_untraced;
    if (ptrace_ops::set_syscall_argument(task.tid, task.entry.audit_arch, 0, flags) == 0) {
        task.entry.args[0] = flags;
        spdlog::debug("task {}: clone(CLONE_UNTRACED): flag cleared, the child is traced", task.tid);
    }
}

void Tracer::on_failure(TaskState& task, long ret) {
    ++result_.failures;
    ProcTaskAccess access(task.tid);
    SyscallEvent event = decode_failure(task.tid, task.process->tgid, task.entry, ret, access);
    deliver(task, event);
}

void Tracer::on_netlink_reply(TaskState& task, long ret) {
    ProcTaskAccess access(task.tid);
    deliver_hidden(task, decode_netlink_denial(task.tid, task.process->tgid, task.entry, ret, access));
}

void Tracer::on_possible_silent_denial(TaskState& task, const ArchSyscalls& numbers, long ret) {
    ProcTaskAccess access(task.tid);
    deliver_hidden(task, decode_silent_denial(task.tid, task.process->tgid, task.entry, ret, numbers, access));
}

void Tracer::deliver_hidden(TaskState& task, std::optional<SyscallEvent> event) {
    if (!event) return;
    ++result_.failures;
    deliver(task, *event);
}

void Tracer::on_stderr_write(TaskState& task, const ArchSyscalls& numbers, long ret) {
    ProcTaskAccess access(task.tid);
    const bool compat = task.entry.audit_arch == AUDIT_ARCH_I386;
    if (auto line = capture_written(task.process->message, numbers, task.entry, ret, access, compat))
        sink_.on_message(task.process->tgid, *line);
}

void Tracer::deliver(TaskState& task, SyscallEvent& event) {
    ProcessState& process = *task.process;
    // A new denial closes the window of the previous one's message.
    if (auto rest = close_message(process.message)) sink_.on_message(process.tgid, *rest);
    process.denied = true;
    process.message.awaiting = true;
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
            privileges_.on_exec(task.tid);
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
        // Thread or process: the kernel's answer, never the flags the task
        // passed (they may be in memory that another thread rewrites).
        pid_t tgid = kernel_tgid(child);
        thread = tgid > 0 && tgid != child;
    }
    const bool adopted = awaiting_creation_.erase(child) > 0;
    if (TaskState* known = tasks_.find(child)) {
        // Its first stop came before this event: adopt() placed it already.
        if (!thread && parent.process->uses_netlink) known->process->uses_netlink = true;
    } else if (adopted) {
        spdlog::debug("task {} started {} {}, which has exited already", parent.tid, thread ? "thread" : "process",
                      child);
        return;
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
    if (tid != main_pid_) awaiting_creation_.insert(tid);
    if (tgid != tid) {
        if (TaskState* leader = tasks_.find(tgid)) return tasks_.add_thread(tid, *leader);
    }
    return tasks_.add_process(tid);
}

void Tracer::on_signal_stop(TaskState& task, int signal) {
    const bool job_control = is_job_control_stop(signal);
    const bool interrupt = stop_on_interrupt_ && (signal == SIGINT || signal == SIGQUIT);
    if (job_control || interrupt) {
        // The terminal driver sends these with si_code SI_KERNEL; a process
        // with kill(2) sends SI_USER.
        siginfo_t info{};
        bool from_terminal = ptrace_ops::signal_info(task.tid, info) == 0 && info.si_code == SI_KERNEL;
        if (job_control && task.process->tgid == main_pid_) terminal_stop_ = from_terminal;
        if (interrupt && from_terminal && !killing_) {
            // Ctrl-C during a trial of minimize/check: the trial ends here
            // and no other starts (the workload had the terminal).
            spdlog::debug("task {}: {} from the terminal: the run is interrupted", task.tid, strsignal(signal));
            signals_.note_interrupt(signal);
            killing_ = true;
            signal_all(SIGKILL);
        }
    }
    resume(task.tid, signal);  // re-inject
}

void Tracer::on_group_stop(TaskState& task, int signal) {
    // PTRACE_LISTEN keeps the task stopped but lets SIGCONT wake it, so
    // job control works as without capprof (ptrace(2), "Group-stop").
    pid_t tid = task.tid;
    if (ptrace_ops::listen(tid) != 0) return;
    spdlog::debug("task {} in group-stop ({})", tid, strsignal(signal));
    // Only a stop the terminal caused (Ctrl-Z, or the workload reading the
    // terminal from the background) stops capprof too, so the shell sees
    // the job stopped. A stop signal the workload sent itself or got from
    // a process does not: capprof then keeps running (and --duration
    // still ends the run), as a container's runtime does.
    if (tid == main_pid_ && is_job_control_stop(signal) && terminal_stop_ && !killing_) {
        terminal_stop_ = false;
        mirror_stop(signal);
    }
}

void Tracer::mirror_stop(int signal) {
    terminal_.before_stop();
    signals_.stop_self_like(signal);
    // Continued (`fg` or `bg` in the shell, which resumes capprof's process
    // group only): the workload's group goes on too, with the terminal when
    // capprof has it again.
    signals_.take_continued();
    terminal_.after_continue();
    if (terminal_.workload_group() > 0) ::kill(-terminal_.workload_group(), SIGCONT);
}

void Tracer::on_continued() { terminal_.after_continue(); }

void Tracer::on_exit(pid_t tid, WaitStatus status) {
    if (status.kind() == WaitStatus::Kind::exited)
        spdlog::debug("task {} exited with {}", tid, status.exit_code());
    else
        spdlog::debug("task {} killed by {}", tid, strsignal(status.fatal_signal()));
    end_task(tid, status);
    if (tid != main_pid_) return;
    if (forking_ && handled_level_ == 0 && status.kind() == WaitStatus::Kind::exited && status.exit_code() == 0) {
        if (pid_t daemon = daemon_left_behind()) {
            spdlog::debug("start command {} exited 0; following the daemon {}", tid, daemon);
            main_pid_ = daemon;
            controller_.start_command_done();
            return;
        }
    }
    main_exited_ = true;
    result_.exit = exit_status_of(status);
    controller_.workload_exited();
    sample_identities_of_all();
    // As Docker does when a container's init exits: whatever the workload
    // left behind (double-forked daemons) is killed, so capprof never hangs.
    killing_ = true;
    signal_all(SIGKILL);
}

void Tracer::end_task(pid_t tid, WaitStatus status) {
    TaskState* task = tasks_.find(tid);
    std::shared_ptr<ProcessState> process = task ? task->process : nullptr;
    tasks_.erase(tid);
    if (!process) return;
    if (tid == process->tgid) process->leader_status = status.raw();
    // The process ends with its last task; the leader's status is the
    // group's (a leader's exit is reported after its threads', ptrace(2)).
    if (process.use_count() > 1 || !process->denied) return;
    const ExitStatus exit = exit_status_of(WaitStatus(process->leader_status.value_or(status.raw())));
    if (auto rest = close_message(process->message)) sink_.on_message(process->tgid, *rest);
    // A stop request's SIGTERM/SIGKILL, or the sweep after the main
    // process's exit, are capprof's: the process was still running.
    const bool by_capprof = handled_level_ > 0 || (killing_ && exit.signal == SIGKILL);
    if (!by_capprof && !exit.success()) controller_.process_stopped_by_denial();
    sink_.on_process_end(ProcessEnd{process->tgid, exit, by_capprof});
}

// The PID file read through a live task's root (/proc/TID/root): in an
// isolated trial the file is in the trial's mount namespace, not capprof's.
std::optional<pid_t> Tracer::pid_from_pid_file() const {
    if (!pid_file_ || tasks_.empty()) return std::nullopt;
    const pid_t any = tasks_.tasks().begin()->first;
    std::ifstream in("/proc/" + std::to_string(any) + "/root" + *pid_file_);
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return std::nullopt;
    return static_cast<pid_t>(pid);
}

// The daemon a forking start command left: the PID file's process when it
// is traced, else the oldest process left (systemd's GuessMainPID=), or 0.
pid_t Tracer::daemon_left_behind() {
    std::set<pid_t> groups;
    for (const auto& [tid, task] : tasks_.tasks()) groups.insert(task.process ? task.process->tgid : tid);
    if (auto pid = pid_from_pid_file(); pid && groups.count(*pid)) {
        forking_ = false;  // the PID file's process is the main one for good
        return *pid;
    }
    return groups.empty() ? 0 : *groups.begin();
}

void Tracer::handle_stop_request() {
    StopLevel level = controller_.requested();
    handled_level_ = static_cast<int>(level);
    result_.stopped_by_capprof = true;
    if (level == StopLevel::terminate) {
        sample_identities_of_all();
        spdlog::debug("sending SIGTERM to {} traced tasks", tasks_.size());
        signal_all(SIGTERM);
        // A stopped process acts on SIGTERM only once continued (systemd
        // sends SIGCONT after SIGTERM for the same reason).
        signal_all(SIGCONT);
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
    for (pid_t tgid : groups)
        if (::kill(tgid, signal) != 0) spdlog::debug("kill({}, {}): {}", tgid, strsignal(signal), std::strerror(errno));
}

void Tracer::sample_identities_of_all() {
    if (!identities_) return;
    for (const auto& [tid, task] : tasks_.tasks()) identities_->sample_alive(tid);
}

void Tracer::kill_all_and_reap() {
    killing_ = true;
    signal_all(SIGKILL);
    int raw;
    while (!tasks_.empty()) {
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
