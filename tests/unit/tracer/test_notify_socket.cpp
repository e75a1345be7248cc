// The NOTIFY_SOCKET capprof gives a Type=notify service.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>

#include "notify_socket.hpp"

namespace capprof {
namespace {

TEST(NotifySocket, ReadyOnlyOnAReadyLine) {
    EXPECT_TRUE(notify_message_ready("READY=1"));
    EXPECT_TRUE(notify_message_ready("STATUS=starting\nREADY=1\n"));
    EXPECT_FALSE(notify_message_ready("STATUS=READY=1"));
    EXPECT_FALSE(notify_message_ready("READY=0\nMAINPID=12"));
}

// What sd_notify(3) does with an "@" address: a datagram to the abstract name.
void send_to(const std::string& address, const std::string& message) {
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, address.data() + 1, address.size() - 1);
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size());
    EXPECT_EQ(::sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&addr), length),
              static_cast<ssize_t>(message.size()));
    ::close(fd);
}

TEST(NotifySocket, ReceivesReadyOnItsAbstractAddress) {
    NotifySocket socket;
    ASSERT_EQ(socket.address().rfind("@capprof-notify-", 0), 0u) << socket.address();
    EXPECT_FALSE(socket.wait_ready(10));
    send_to(socket.address(), "STATUS=almost");
    EXPECT_FALSE(socket.wait_ready(100));
    send_to(socket.address(), "READY=1\nSTATUS=serving");
    EXPECT_TRUE(socket.wait_ready(1000));
    EXPECT_TRUE(socket.wait_ready(0));  // stays ready
    NotifySocket other;
    EXPECT_NE(other.address(), socket.address());
}

TEST(NotifySocket, HearsOnlyTheMainProcessWhenAsked) {
    NotifySocket socket;
    send_to(socket.address(), "READY=1");
    EXPECT_FALSE(socket.wait_ready(200, ::getpid() + 1)) << "READY=1 from another process counted";
    send_to(socket.address(), "READY=1");
    EXPECT_TRUE(socket.wait_ready(1000, ::getpid()));
}

}  // namespace
}  // namespace capprof
