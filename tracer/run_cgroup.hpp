#pragma once
// A cgroup v2 group for what one run starts (docs/ARCHITECTURE.md: "a cgroup is the
// ground truth for 'what did it start'"): every process the workload (or a
// probe) starts, traced or not, stays in it whatever it does with its
// process group, session or parent, so at the end of the run one write to
// cgroup.kill (Linux 5.14+) ends them all, as `docker stop` ends a
// container. The group is a child of capprof's own cgroup (/proc/self/cgroup
// "0::PATH" under the cgroup2 mount of /proc/self/mountinfo), named
// capprof-PID-N-ROLE so that the groups of a capprof that was killed are
// found and removed by the next one (sweep_stale_run_cgroups()).
//
// Where no group can be made (no cgroup2 mount, as on a pure cgroup v1 host;
// a read-only /sys/fs/cgroup, as in a default Docker container), create()
// says why and the run relies on the subreaper sweep alone (reaper.hpp).
#include <sys/types.h>

#include <optional>
#include <string>

namespace capprof {

class RunCgroup {
public:
    // A new group for `role` ("workload", "probe"), or nullopt with `why`.
    static std::optional<RunCgroup> create(const std::string& role, std::string& why);
    RunCgroup(RunCgroup&& other) noexcept;
    RunCgroup& operator=(RunCgroup&&) = delete;
    RunCgroup(const RunCgroup&) = delete;
    ~RunCgroup();  // kill_all(), then removes the group

    const std::string& path() const { return path_; }
    // Moves process `pid` into the group; false (and why) if the kernel refused.
    bool add(pid_t pid, std::string& why) const;
    // An fd of cgroup.procs: a child writes "0" to it to move itself in
    // (async-signal-safe, before execve).
    int procs_fd() const { return procs_fd_; }
    // SIGKILL to every process in the group (cgroup.kill, or one by one from
    // cgroup.procs before Linux 5.14). Zombies are not in the group: their
    // parents (capprof, the subreaper, in the end) reap them.
    void kill_all() const;
    // Kills what is left and removes the group once it is empty (waits up to
    // a few seconds for killed processes to exit).
    void remove();

private:
    explicit RunCgroup(std::string path);
    std::string path_;
    int procs_fd_ = -1;
};

// Removes groups that a capprof which no longer runs left behind (it was
// killed before it could remove them), killing what is still in them.
void sweep_stale_run_cgroups();

}  // namespace capprof
