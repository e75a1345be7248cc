#pragma once
// The mount table of /proc/self/mountinfo (proc(5)), parsed, and the mounts
// a path lookup can reach: what an isolated trial must rebuild
// (trial_plan.hpp).
#include <string>
#include <string_view>
#include <vector>

namespace capprof {

struct MountEntry {
    int id = 0;
    int parent = 0;
    std::string root;         // the mount's root inside its filesystem ("/" unless a bind of a subtree)
    std::string mount_point;  // absolute, unescaped
    std::string fstype;       // "ext4", "proc", "fuse.sshfs", ...
    std::string source;       // "/dev/vda", "proc", ...
    // Per-mount flags as mount(2) spells them: MS_RDONLY, MS_NOSUID,
    // MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME, MS_RELATIME.
    unsigned long flags = 0;
    bool read_only = false;   // the mount or its superblock is read-only
};

// Parses mountinfo text; malformed lines are skipped.
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// /proc/self/mountinfo, parsed; empty when it cannot be read.
std::vector<MountEntry> read_mount_table();

// The mounts a path lookup reaches, parents before children. Dropped: a
// mount covered by another on the same mount point (the covering one is its
// child, so mountinfo lists both), and a mount hidden under a sibling mounted
// later on one of its parent directories. Mount ids say nothing about order
// (a moved root keeps its id), so the tree is walked from the root.
std::vector<MountEntry> visible_mounts(const std::vector<MountEntry>& mounts);

// Whether `path` is `dir` or lies below it ("/sys" holds "/sys/fs/cgroup",
// not "/sysfoo").
bool path_is_under(std::string_view path, std::string_view dir);

}  // namespace capprof
