#include "identity_log.hpp"

#include "capprof/proc_status.hpp"

namespace capprof {

// A task whose /proc/TID/exe cannot be read (seen only as it goes, with its
// memory already released) says nothing about who the program meant to run
// as, and whether such a sample is taken depends on timing: it is left out,
// so two trials of the same program compare the same processes.
void IdentityLog::sample_alive(pid_t tid) {
    auto info = read_task_info(tid);
    if (info && !info->exe.empty()) alive_[tid] = ProcessIdentity{info->exe, info->euid, info->egid};
}

void IdentityLog::sample_exiting(pid_t tid) {
    alive_.erase(tid);
    auto info = read_task_info(tid);
    if (info && !info->exe.empty()) final_.insert(ProcessIdentity{info->exe, info->euid, info->egid});
}

std::vector<ProcessIdentity> IdentityLog::identities() const {
    std::set<ProcessIdentity> all = final_;
    for (const auto& [tid, identity] : alive_) all.insert(identity);
    return {all.begin(), all.end()};
}

}  // namespace capprof
