#pragma once
// A loop device for the trial store's ext4 image (trial_store.hpp).
#include <string>

namespace capprof {

// An attached loop device, open. The device is attached with
// LO_FLAGS_AUTOCLEAR: the kernel detaches it when its last user goes, so
// mount it before this object is destroyed and the mount keeps it.
class LoopDevice {
public:
    // Attaches `image_fd` to a free loop device. Throws std::runtime_error
    // with a reason ("no loop device: /dev/loop-control: ...").
    explicit LoopDevice(int image_fd);
    ~LoopDevice();
    LoopDevice(const LoopDevice&) = delete;
    LoopDevice& operator=(const LoopDevice&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace capprof
