#pragma once
// What keeps one run's processes together, apart from capprof, and ends them
// all at the end of the run:
//  - the workload's own process group, which gets the terminal when capprof
//    has it (terminal.hpp), so kill(0) and kill(-pgrp) stay inside it;
//  - a cgroup for the workload and one for the probes (run_cgroup.hpp),
//    killed at the end, traced or not; without cgroup v2 the subreaper
//    sweep alone (said at -v);
//  - capprof as a child subreaper (reaper.hpp): at the end, every process
//    still there is killed and reaped, so capprof returns only when all the
//    processes it started are gone.
#include <sys/types.h>

#include <optional>

#include "run_cgroup.hpp"
#include "terminal.hpp"

namespace capprof {

class RunContainment {
public:
    explicit RunContainment(bool with_probe);
    ~RunContainment();  // finish()
    RunContainment(const RunContainment&) = delete;
    RunContainment& operator=(const RunContainment&) = delete;

    // The seized workload, still stopped before its execve: its process
    // group, its cgroup, the terminal.
    void place(pid_t workload);
    // cgroup.procs of the probes' cgroup, or -1.
    int probe_cgroup_fd() const { return probe_group_ ? probe_group_->procs_fd() : -1; }
    TerminalHandover& terminal() { return terminal_; }

    // Kills whatever the run started that is still there (in its cgroups or
    // among capprof's children), reaps it all, removes the cgroups and takes
    // the terminal back. Idempotent.
    void finish();

private:
    std::optional<RunCgroup> workload_group_;
    std::optional<RunCgroup> probe_group_;
    TerminalHandover terminal_;
    bool finished_ = false;
};

}  // namespace capprof
