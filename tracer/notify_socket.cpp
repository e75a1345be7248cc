#include "notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "capprof/error.hpp"

namespace capprof {

bool notify_message_ready(const std::string& message) {
    std::size_t start = 0;
    while (start <= message.size()) {
        auto end = message.find('\n', start);
        if (end == std::string::npos) end = message.size();
        if (message.compare(start, end - start, "READY=1") == 0) return true;
        start = end + 1;
    }
    return false;
}

NotifySocket::NotifySocket() {
    static std::atomic<unsigned> counter{0};
    address_ = "@capprof-notify-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) throw UserError(std::string("cannot create the notify socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    // Abstract: sun_path starts with a NUL byte (unix(7)); "@" stands for it.
    std::memcpy(addr.sun_path + 1, address_.data() + 1, address_.size() - 1);
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) != 0) {
        const int error = errno;
        ::close(fd_);
        throw UserError(std::string("cannot bind the notify socket: ") + std::strerror(error));
    }
}

NotifySocket::~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
}

bool NotifySocket::wait_ready(int timeout_ms) {
    if (ready_) return true;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
    char buffer[4096];
    while (true) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0) break;
        const std::string message(buffer, static_cast<std::size_t>(n));
        spdlog::debug("notify socket: {}", message.substr(0, 200));
        if (notify_message_ready(message)) ready_ = true;
    }
    return ready_;
}

}  // namespace capprof
