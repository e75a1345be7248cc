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
    const int on = 1;
    if (::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) != 0) {
        const int error = errno;
        ::close(fd_);
        throw UserError(std::string("cannot bind the notify socket: ") + std::strerror(error));
    }
}

NotifySocket::~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
}

bool NotifySocket::wait_ready(int timeout_ms, pid_t only_from) {
    if (ready_) return true;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
    char buffer[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    while (true) {
        iovec iov{buffer, sizeof buffer};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(fd_, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) break;
        pid_t sender = 0;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                ucred cred{};
                std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
                sender = cred.pid;
            }
        const std::string message(buffer, static_cast<std::size_t>(n));
        const bool accepted = only_from == 0 || sender == only_from;
        spdlog::debug("notify socket: from pid {}{}: {}", sender, accepted ? "" : " (not the main process: ignored)",
                      message.substr(0, 200));
        if (accepted && notify_message_ready(message)) ready_ = true;
    }
    return ready_;
}

}  // namespace capprof
