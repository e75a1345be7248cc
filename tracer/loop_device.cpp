#include "loop_device.hpp"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace capprof {

namespace {

std::runtime_error failure(const std::string& what, int error) {
    return std::runtime_error("no loop device: " + what + ": " + std::strerror(error));
}

}  // namespace

// By hand, as losetup(8) does it: util-linux's loop device code is not a
// library (libmount attaches only as part of a mount(8) call). Another
// process may take the free device between the two calls (EBUSY): try again.
LoopDevice::LoopDevice(int image_fd) {
    int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) throw failure("/dev/loop-control", errno);
    for (int attempt = 0; attempt < 16; ++attempt) {
        int number = ::ioctl(control, LOOP_CTL_GET_FREE);
        if (number < 0) {
            int error = errno;
            ::close(control);
            throw failure("LOOP_CTL_GET_FREE", error);
        }
        std::string path = "/dev/loop" + std::to_string(number);
        int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            int error = errno;
            ::close(control);
            throw failure(path, error);
        }
        loop_config config{};
        config.fd = static_cast<__u32>(image_fd);
        config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
        // LOOP_CONFIGURE: Linux 5.8 and later (loop(4)).
        if (::ioctl(fd, LOOP_CONFIGURE, &config) == 0) {
            ::close(control);
            path_ = path;
            fd_ = fd;
            return;
        }
        int error = errno;
        ::close(fd);
        if (error != EBUSY) {
            ::close(control);
            throw failure(path + ": LOOP_CONFIGURE", error);
        }
    }
    ::close(control);
    throw failure("every free device was taken meanwhile", EBUSY);
}

LoopDevice::~LoopDevice() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace capprof
