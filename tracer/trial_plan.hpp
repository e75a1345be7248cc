#pragma once
// What an isolated trial mounts, decided in the parent from the mount table
// (docs/ARCHITECTURE.md "Isolated trials"): one overlay per writable local
// mount, pseudo filesystems bound, /sys and parts of /proc read-only as
// Docker makes them, single-file binds copied. A pure function of the mount
// table and what lstat says about mount points, so it is tested without
// mounting anything; TrialSandbox carries it out.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mount_table.hpp"

namespace capprof {

// What lstat(2) says about a path on the host.
struct PathFacts {
    bool exists = false;
    bool directory = false;
    bool regular = false;
    std::uint64_t size = 0;
    mode_t mode = 0;  // permission bits, with setuid/setgid/sticky
    uid_t uid = 0;
    gid_t gid = 0;
};
using PathLookup = std::function<PathFacts(const std::string& path)>;

// One mount(2) call of the child (an empty source or data is passed as NULL).
struct MountStep {
    std::string source;
    std::string target;
    std::string fstype;
    std::string data;
    unsigned long flags = 0;
    std::string what;  // for messages: "overlay on /dev", "read-only /proc/sys"
};

// A directory the parent creates before the fork: an overlay's upper
// directory takes the owner and mode of the directory it overlays (the
// merged root shows the upper root's), the others are capprof's own.
struct LayerDirectory {
    std::string path;
    mode_t mode = 0700;
    uid_t uid = 0;
    gid_t gid = 0;
};

// A file bind-mounted on its own (Docker's /etc/hosts): overlayfs layers are
// directories, so the trial gets a copy made by the parent.
struct FileCopy {
    std::string from;
    std::string to;
};

struct TrialPlan {
    std::string new_root;                    // where the root's overlay is mounted
    std::vector<LayerDirectory> directories; // in creation order
    std::vector<FileCopy> copies;
    std::vector<MountStep> steps;            // in order, parents first
    std::size_t overlays = 0;
};

struct TrialPlanInput {
    std::vector<MountEntry> mounts;  // visible_mounts(): parents first
    std::string trial_dir;           // an empty directory for this trial's layers
    std::string hidden_dir;          // capprof's own layers: hidden inside the trial
    std::vector<std::string> sockets;  // unix sockets bound on the host (unix_sockets.hpp)
    PathLookup lookup;
};

// Larger single-file binds are bound read-only instead of copied.
constexpr std::uint64_t max_copied_file_size = 64ull << 20;

TrialPlan plan_trial(const TrialPlanInput& input);

// Filesystems with no backing store of their own to protect (kernel
// interfaces): bound into the trial as they are.
bool is_pseudo_filesystem(const std::string& fstype);

// "a,b:c\d" -> "a\,b\:c\\d": overlayfs splits its options at ',' and its
// lower layers at ':' (Documentation/filesystems/overlayfs.rst).
std::string overlay_escape(const std::string& path);

}  // namespace capprof
