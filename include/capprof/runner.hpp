#pragma once
// How the profiler asks for the workload to be run. The command-line layer
// implements Runner with the tracer; tests implement it with canned runs.
#include <sys/types.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capprof/caps.hpp"
#include "capprof/exit_status.hpp"
#include "capprof/syscall_event.hpp"

namespace capprof {

struct UserSpec {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;     // supplementary groups
    std::string text;              // as the user typed it, for messages
};

// Whether a run gets a fresh copy-on-write view of the host's filesystems,
// thrown away after it (docs/ARCHITECTURE.md "Isolated trials").
enum class Isolation {
    off,        // the workload changes the host (capprof run's default)
    preferred,  // isolate when this host allows it, else run without (minimize, check)
    required,   // --isolate: UserError (exit 125) when it cannot be set up
};

// A command run before the workload's own, in the same trial, with the same
// credentials and environment (a unit's ExecStartPre= lines). Its denials
// reach the sink after EventSink::on_step(label).
struct ExecStep {
    std::string label;                    // "ExecStartPre=/usr/sbin/nginx -t"
    std::optional<std::string> executable;  // the file to execute when argv[0] differs
    std::vector<std::string> argv;
    bool ignore_failure = false;          // a failing step does not end the run
};

// A directory created (as root, before capabilities are dropped) the way
// systemd creates RuntimeDirectory= and the like: missing parents 0755
// root:root, the directory itself chowned and chmodded even when it exists.
struct ServiceDirectory {
    std::string path;
    uid_t uid = 0;
    gid_t gid = 0;
    unsigned mode = 0755;
    bool own = true;                      // false: a parent, only created when missing
};

struct ResourceLimit {
    int resource = 0;                     // RLIMIT_*
    std::uint64_t soft = 0, hard = 0;     // RLIM_INFINITY for "infinity"
};

// When a service counts as started without --probe (systemd's Type=).
enum class Readiness {
    exit,     // the main command's exit status decides (simple, exec, oneshot)
    forking,  // the start command exits 0 and leaves a daemon (PID file, if given)
    notify,   // READY=1 on the NOTIFY_SOCKET capprof provides
};

// Who may say READY=1 on the notify socket (systemd's NotifyAccess=).
enum class NotifyAccess {
    main,  // the main process only (Type=notify's default)
    all,   // any process of the service (all, exec)
};

struct RunSpec {
    std::vector<std::string> argv;        // argv[0] is looked up in PATH
    // The file to execute, when argv[0] is not it (systemd's "@" prefix).
    std::optional<std::string> executable;
    // The workload's whole environment; unset: capprof's own.
    std::optional<std::vector<std::string>> environment;
    std::optional<std::string> working_directory;  // chdir after the user switch
    std::optional<unsigned> umask;
    std::vector<ResourceLimit> limits;
    std::vector<ServiceDirectory> directories;  // created before the first command
    std::vector<ExecStep> before;         // run in order before argv
    std::string label;                    // the main command's step label ("" outside units)
    Readiness readiness = Readiness::exit;
    NotifyAccess notify_access = NotifyAccess::main;
    // Type=forking: the daemon's PID file (as the workload sees the path).
    std::optional<std::string> pid_file;
    CapSet granted = 0;                   // capabilities kept (like --cap-add)
    std::optional<UserSpec> user;         // --user; capabilities become ambient
    std::optional<std::string> probe;     // shell command run untraced until it succeeds
    double ready_timeout = 30.0;          // seconds to wait for the probe
    std::optional<double> duration;       // stop the workload after this many seconds
    double grace = 2.0;                   // SIGTERM -> SIGKILL grace period
    bool quiet_output = false;            // send workload stdout/stderr to /dev/null
    bool stdout_to_stderr = false;        // the workload's stdout goes to capprof's stderr
                                          // (minimize/check: stdout holds the answer)
    // Run capprof and the workload on one CPU (tracer/cpu_placement.hpp: a
    // ptrace stop that wakes the other vCPU costs several times a local one).
    // The workload then sees a one-CPU affinity mask. $CAPPROF_CPU_PLACEMENT
    // (pin|none) overrides the default.
    bool pin_cpu = true;
    Isolation isolation = Isolation::off;
    // --probe-inside: the probe runs in the trial's mount namespace (its
    // root and paths), not in capprof's.
    bool probe_inside = false;
    // Record who the workload's processes run as (RunResult::identities):
    // minimize compares it with a trial that may switch users.
    bool record_identities = false;
    // minimize/check: a SIGINT/SIGTERM/SIGHUP/SIGQUIT to capprof (or the
    // terminal's Ctrl-C reaching the workload) kills the run and every later
    // one is refused (RunResult::interrupted). Otherwise (run) capprof
    // forwards such a signal to the workload, which decides.
    bool stop_on_interrupt = false;
    // minimize: with a probe, a trial whose process was stopped by a denial
    // (it exited unsuccessfully after being denied) ends once the probe has
    // kept failing for give_up_grace seconds after that, not after the
    // whole ready_timeout: a server whose worker died will not serve.
    bool give_up_after_denial = false;
    double give_up_grace = 2.0;
};

// Who one of the workload's processes ran as: its executable and effective
// ids when it was last seen (at its exit, or when capprof ended the run).
struct ProcessIdentity {
    std::string exe;
    uid_t euid = 0;
    gid_t egid = 0;
    auto operator<=>(const ProcessIdentity&) const = default;
};

// A failing exit the sink wants besides EPERM and EACCES (which it always
// gets): `syscall`, named as libseccomp names it, failing with `err`. Some
// capability checks report another errno: over RLIMIT_MEMLOCK without
// CAP_IPC_LOCK, mlock(2) fails with ENOMEM and mmap(2) with EAGAIN.
struct WatchedFailure {
    std::string syscall;
    int err = 0;
};

// How one of the workload's processes (a thread group) ended.
struct ProcessEnd {
    pid_t pid = 0;            // thread-group id
    ExitStatus status;
    // capprof ended it: SIGTERM/SIGKILL for --duration, a probe's success or
    // an interrupt, or the sweep after the main process exited. The
    // process then counts as still running at the end of the run.
    bool by_capprof = false;
};

// Receives failures while the failing task is still stopped, so that /proc/TID
// and the task's view of the filesystem can be inspected.
class EventSink {
public:
    virtual ~EventSink() = default;
    // Asked once when a run starts: the (syscall, errno) pairs to report
    // besides EPERM/EACCES. Other failing exits are not even decoded.
    virtual std::vector<WatchedFailure> watched_failures() const { return {}; }
    // Cheap first look (name, args, path and sockaddr decoded; task info not yet
    // read). Return false when this failure is a repeat already counted: the
    // tracer then skips reading the task's state.
    virtual bool wants_details(const SyscallEvent& basic) = 0;
    // The full event (task info filled in).
    virtual void on_failure(const SyscallEvent& event) = 0;
    // The first line (up to a newline or 200 bytes, newline left out)
    // process `pid` wrote to its fd 2 after its last denial and before its
    // next denial or its exit. Only a process with a pending denial is read.
    virtual void on_message(pid_t /*pid*/, const std::string& /*line*/) {}
    // A process ended (after its last on_message). Every process with a
    // denial ends before run() returns, unless the tracer lost it.
    virtual void on_process_end(const ProcessEnd& /*end*/) {}
    // The next failures come from this step (RunSpec::before's labels, then
    // RunSpec::label); only called for runs with steps.
    virtual void on_step(const std::string& label) { (void)label; }
};

// An executable that would have raised its privilege at execve (set-user-ID
// or set-group-ID bit, file capabilities) but ran without it: the kernel
// ignores both in a tracee whose tracer lacks CAP_SYS_PTRACE.
struct IgnoredPrivilege {
    std::string exe;
    bool setuid = false;      // set-user-ID to another owner
    bool setgid = false;      // set-group-ID to another group
    CapSet file_caps = 0;     // file capabilities it would have been given
};

struct RunResult {
    ExitStatus exit;
    bool started = true;                  // false: the command could not be executed
    std::optional<bool> probe_ok;         // set when a probe was given, or a readiness
    // probe_ok is a service's own readiness (RunSpec::readiness, no probe).
    bool readiness_check = false;
    bool stopped_by_capprof = false;      // ended by --duration / probe success / signal
    // The signal that interrupted capprof (RunSpec::stop_on_interrupt): the
    // run was killed, or never started; its outcome says nothing.
    std::optional<int> interrupted;
    double seconds = 0;                   // traced time (trial setup and teardown excluded)
    std::uint64_t syscalls = 0;           // syscall exits seen
    std::uint64_t processes = 0;          // processes (thread groups) seen
    std::uint64_t threads = 0;            // tasks seen
    std::uint64_t failures = 0;           // EPERM/EACCES exits seen, and the watched failures
    int pinned_cpu = -1;                  // the CPU capprof and the workload shared, or -1
    bool isolated = false;                // ran in a fresh copy-on-write view of the host
    std::string not_isolated;             // why isolation was asked for and not set up
    // With RunSpec::record_identities: every distinct (exe, euid, egid) of
    // the workload's processes, sorted.
    std::vector<ProcessIdentity> identities;
    std::vector<IgnoredPrivilege> ignored_privileges;  // executables that ran without theirs
    // A step of RunSpec::before that failed: the run ended there (exit is its).
    std::string failed_step;
};

class Runner {
public:
    virtual ~Runner() = default;
    virtual RunResult run(const RunSpec& spec, EventSink& sink) = 0;
    // Every syscall name the tracer knows (x86_64 and i386), to check a name
    // the user typed; empty when the runner cannot tell (canned runs).
    virtual std::vector<std::string> syscall_names() const { return {}; }
};

}  // namespace capprof
