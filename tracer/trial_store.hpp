#pragma once
// Where isolated trials keep their upper layers (docs/ARCHITECTURE.md
// "Isolated trials"): one ext4 image per capprof process, on a loop device,
//
//   /var/tmp/capprof-trials/<pid>/layers.img   sparse, fixed size
//   /var/tmp/capprof-trials/<pid>/layers/      its mount
//   /var/tmp/capprof-trials/<pid>/layers/<n>/  trial n's layers, removed after it
//
// ext4 keeps every attribute a workload may set (chattr, ACLs, xattrs; tmpfs
// refuses chattr), and the image's size bounds what a trial can write: a
// workload that fills it gets ENOSPC, the host disk keeps its room. <pid>
// names the owner, so the next capprof sweeps what a killed one left.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace capprof {

// Why isolated trials cannot be set up here: one line for the user.
class IsolationUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr const char* trial_store_base = "/var/tmp/capprof-trials";

class TrialStore {
public:
    // Creates, formats and mounts this process's image. Throws
    // IsolationUnavailable.
    explicit TrialStore(const std::string& base = trial_store_base);
    ~TrialStore();
    TrialStore(const TrialStore&) = delete;
    TrialStore& operator=(const TrialStore&) = delete;

    // A path for the next trial's layers (not yet created).
    std::string next_trial_dir();
    // Removes a trial's layers once nothing uses them.
    void discard(const std::string& trial_dir);

    const std::string& base() const { return base_; }
    std::uint64_t image_bytes() const { return image_bytes_; }

private:
    void create();
    void close();

    std::string base_;
    std::string owner_dir_;
    std::string image_;
    std::string layers_;
    std::uint64_t image_bytes_ = 0;
    bool mounted_ = false;
    int trials_ = 0;
};

// Removes what capprof processes that are gone (SIGKILL) left under `base`:
// entries named after a pid that no longer runs.
void sweep_stale_trials(const std::string& base = trial_store_base);

// Removes `path` and everything below it on the same filesystem, clearing
// the immutable and append-only flags a workload may have set (chattr(1)).
// False when something was left.
bool remove_tree(const std::string& path);

}  // namespace capprof
