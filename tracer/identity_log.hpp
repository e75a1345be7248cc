#pragma once
// Who the workload's processes run as (RunSpec::record_identities): the
// (exe, euid, egid) each task was last seen with, read from /proc/TID at its
// PTRACE_EVENT_EXIT stop and, for tasks still alive, when capprof ends the
// run. A later sample of a task replaces its earlier one, so a worker seen
// as root before it switched users counts as the user it became.
#include <sys/types.h>

#include <set>
#include <unordered_map>
#include <vector>

#include "capprof/runner.hpp"

namespace capprof {

class IdentityLog {
public:
    // A task still running (capprof is about to end the run).
    void sample_alive(pid_t tid);
    // A task at its exit stop: its final identity.
    void sample_exiting(pid_t tid);
    // Every distinct identity seen, sorted.
    std::vector<ProcessIdentity> identities() const;

private:
    std::unordered_map<pid_t, ProcessIdentity> alive_;  // bounded by the live tasks
    std::set<ProcessIdentity> final_;                   // distinct identities only
};

}  // namespace capprof
