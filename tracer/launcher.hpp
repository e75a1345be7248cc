#pragma once
// Starts the workload the way `docker run --cap-drop ALL --cap-add <granted>`
// would (uid 0 kept, bounding = permitted = effective = inheritable =
// granted, ambient empty; with --user, the granted capabilities become
// ambient so they survive execve) and attaches to it with PTRACE_SEIZE
// before its execve (strace's startup_child). The only user of libcap for
// the workload.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "capprof/runner.hpp"

namespace capprof {

class SignalRelay;
class TrialSandbox;

// Resolves argv[0] like execvp(3). Throws UserError: 127 when not found,
// 126 when found but not executable (or a directory).
std::string resolve_command(const std::string& name);

// Throws UserError (125) when `granted` holds a capability capprof itself
// lacks (e.g. CAP_SYS_RESOURCE missing from root's bounding set): granting
// it would otherwise silently do nothing.
void check_grantable(CapSet granted);

class LaunchedWorkload {
public:
    LaunchedWorkload(pid_t pid, int exec_error_fd) : pid_(pid), exec_error_fd_(exec_error_fd) {}
    ~LaunchedWorkload();
    LaunchedWorkload(LaunchedWorkload&& other) noexcept
        : pid_(other.pid_), exec_error_fd_(other.exec_error_fd_) {
        other.exec_error_fd_ = -1;
    }
    LaunchedWorkload(const LaunchedWorkload&) = delete;
    LaunchedWorkload& operator=(const LaunchedWorkload&) = delete;

    pid_t pid() const { return pid_; }
    // After the workload ended: the errno of its failed execve, if it failed.
    std::optional<int> exec_error() const;

private:
    pid_t pid_;
    int exec_error_fd_;
};

// Forks, drops capabilities in the child, stops it before execve, seizes it
// and lets it run into execve under ptrace. The child dies with capprof
// until it is seized (PR_SET_PDEATHSIG; call this from a thread that lives
// as long as the run). `place` is called with the seized child while it is
// still stopped, before it runs any of the workload (process group, cgroup,
// terminal). With a sandbox, the child enters it first (trial_sandbox.hpp).
// Throws UserError on failure (125: capabilities could not be set, ptrace
// not permitted).
// Which command of a run this is (RunSpec::before): the first creates the
// service's directories and enters the trial; later ones join the trial's
// namespace (TrialSandbox::keep_namespace_of must have kept it).
enum class LaunchStep { first, later };

LaunchedWorkload launch_workload(const RunSpec& spec, const std::string& path,
                                 const SignalRelay& signals, const TrialSandbox* sandbox = nullptr,
                                 const std::function<void(pid_t)>& place = {},
                                 LaunchStep step = LaunchStep::first);

}  // namespace capprof
