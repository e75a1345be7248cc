#pragma once
// One isolated trial (docs/ARCHITECTURE.md "Isolated trials"). The parent
// plans it from the mount table and prepares its layer directories; the
// launcher's child enters it between fork and execve, before it drops its
// capabilities; the destructor throws the layers away once the trial's
// processes are gone.
#include <sys/types.h>

#include <string>

#include "trial_plan.hpp"

namespace capprof {

class TrialStore;

class TrialSandbox {
public:
    // What enter() returns when every step worked; other values name the
    // failed step for failure_text().
    static constexpr int entered = -1;

    // Plans the trial from /proc/self/mountinfo and creates its layer
    // directories and file copies in `store`. `cwd`: where the workload
    // starts, the same path inside. Throws IsolationUnavailable.
    TrialSandbox(TrialStore& store, std::string cwd);
    ~TrialSandbox();  // closes the namespace, discards the layers
    TrialSandbox(const TrialSandbox&) = delete;
    TrialSandbox& operator=(const TrialSandbox&) = delete;

    // In the child between fork and execve, async-signal-safe (syscalls
    // only, on what the parent prepared): a private mount namespace, the
    // planned mounts, pivot_root into the new root, chdir to the same cwd.
    // Returns `entered`, or the failed step with errno set.
    int enter() const noexcept;
    // "cannot set up the isolated trial: overlay on /dev: Invalid argument"
    std::string failure_text(int step, int error) const;

    // Forks a child that enters the trial and exits: what would fail for the
    // workload fails here first. Empty when it worked, else the reason.
    std::string try_in_child() const;

    // For --probe-inside: keeps the workload's mount namespace
    // (/proc/PID/ns/mnt) while it runs.
    void keep_namespace_of(pid_t pid);
    // In a thread of its own (the probe thread): enters that namespace and
    // the same cwd, so what the thread starts runs inside the trial.
    bool enter_namespace_in_this_thread() const;

    const TrialPlan& plan() const { return plan_; }

private:
    void create_directories() const;
    void copy_files() const;

    TrialStore& store_;
    std::string cwd_;
    std::string trial_dir_;
    TrialPlan plan_;
    int namespace_fd_ = -1;
};

}  // namespace capprof
