#pragma once
// The ptrace loop (strace's pattern): gather the next stop with
// waitpid(-1, __WALL | __WNOTHREAD), dispatch on its WaitStatus, keep
// per-task state in one TaskTable. Successful syscalls cost two
// PTRACE_GET_SYSCALL_INFO calls and two resumes, nothing more: no
// allocation, no /proc reads, no logging.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "capprof/exit_status.hpp"
#include "capprof/runner.hpp"
#include "failure_filter.hpp"
#include "ignored_privilege.hpp"
#include "signal_fence.hpp"
#include "task_access.hpp"
#include "task_table.hpp"
#include "wait_status.hpp"

namespace capprof {

class IdentityLog;
class SignalRelay;
class StopController;
class TerminalHandover;
struct ArchSyscalls;

class Tracer {
public:
    // `stop_on_interrupt`: the terminal's Ctrl-C reaching the workload ends
    // the run (RunSpec::stop_on_interrupt).
    Tracer(EventSink& sink, SignalRelay& signals, StopController& controller, TerminalHandover& terminal,
           bool stop_on_interrupt)
        : sink_(sink),
          signals_(signals),
          controller_(controller),
          failures_(sink.watched_failures()),
          terminal_(terminal),
          stop_on_interrupt_(stop_on_interrupt) {}

    // Traces `main_pid` (already seized) and everything it starts, until the
    // main process has ended and no traced task is left (untraced children
    // of capprof, such as the orphans it reaps as a subreaper, are the
    // reaper's: reaper.hpp). On an exception from the sink, kills and reaps
    // every traced task before rethrowing. Returns the run as the tracer saw
    // it: the main process's exit, the counts, the ignored privileges
    // (TracedRunner fills RunResult's other fields).
    RunResult trace(pid_t main_pid);

    // Record who each task runs as at its exit stop (the workload must have
    // been seized with PTRACE_O_TRACEEXIT) and when the run is ended.
    void record_identities(IdentityLog& log) { identities_ = &log; }

    // Type=forking: when the main process (the start command) exits 0, the
    // daemon it left becomes the main process (the one `pid_file` names, as
    // the workload sees the path, else the only process left), as systemd
    // follows it; the controller hears start_command_done().
    void follow_forking(std::optional<std::string> pid_file) {
        forking_ = true;
        pid_file_ = std::move(pid_file);
    }

private:
    void loop();
    void on_stop(pid_t tid, WaitStatus status);
    void on_syscall_stop(TaskState& task);
    void on_watched_entry(TaskState& task, const ArchSyscalls& numbers);
    void clear_untraced(TaskState& task);
    void on_signal_stop(TaskState& task, int signal);
    void mirror_stop(int signal);
    void on_continued();
    void on_failure(TaskState& task, long ret);
    // A call that succeeded can still hide a denial: an NLMSG_ERROR in a
    // netlink reply, or a request the kernel quietly dropped.
    void on_netlink_reply(TaskState& task, long ret);
    void on_possible_silent_denial(TaskState& task, const ArchSyscalls& numbers, long ret);
    void deliver_hidden(TaskState& task, std::optional<SyscallEvent> event);
    void on_stderr_write(TaskState& task, const ArchSyscalls& numbers, long ret);
    // A task was reaped; the last of its process reports the process's end.
    void end_task(pid_t tid, WaitStatus status);
    void on_ptrace_event(TaskState& task, WaitStatus status);
    void on_new_task(TaskState& parent, pid_t child, int event);
    void on_group_stop(TaskState& task, int signal);
    void on_exit(pid_t tid, WaitStatus status);
    pid_t daemon_left_behind();
    std::optional<pid_t> pid_from_pid_file() const;
    void deliver(TaskState& task, SyscallEvent& event);
    TaskState& adopt(pid_t tid);
    void handle_stop_request();
    void signal_all(int signal);
    void sample_identities_of_all();
    void kill_all_and_reap();
    void resume(pid_t tid, int signal = 0);

    EventSink& sink_;
    SignalRelay& signals_;
    StopController& controller_;
    const FailureFilter failures_;  // which failing exits are decoded
    TerminalHandover& terminal_;
    const bool stop_on_interrupt_;
    TaskTable tasks_;
    SignalFence fence_{tasks_};
    RunResult result_;
    bool main_exited_ = false;
    IgnoredPrivilegeCheck privileges_;
    pid_t main_pid_ = 0;
    int handled_level_ = 0;
    bool killing_ = false;  // new tasks are killed on sight
    IdentityLog* identities_ = nullptr;
    // Tasks adopt()ed before their parent's fork/clone event: waitpid(2)
    // reports the newest tracee first, so a busy child can stop, run and
    // exit before its parent's event (vsftpd's per-connection processes).
    // That late event must not add a task that is gone. Each entry is
    // removed by its creation event.
    std::unordered_set<pid_t> awaiting_creation_;
    // The last job-control signal of the main process came from the
    // terminal (Ctrl-Z, or a terminal read from the background).
    bool terminal_stop_ = false;
    bool forking_ = false;                 // follow_forking()
    std::optional<std::string> pid_file_;
};

}  // namespace capprof
