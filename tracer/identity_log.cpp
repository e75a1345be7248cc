#include "identity_log.hpp"

#include "capprof/proc_status.hpp"

namespace capprof {

void IdentityLog::sample_alive(pid_t tid) {
    if (auto info = read_task_info(tid)) alive_[tid] = ProcessIdentity{info->exe, info->euid, info->egid};
}

void IdentityLog::sample_exiting(pid_t tid) {
    alive_.erase(tid);
    if (auto info = read_task_info(tid)) final_.insert(ProcessIdentity{info->exe, info->euid, info->egid});
}

std::vector<ProcessIdentity> IdentityLog::identities() const {
    std::set<ProcessIdentity> all = final_;
    for (const auto& [tid, identity] : alive_) all.insert(identity);
    return {all.begin(), all.end()};
}

}  // namespace capprof
