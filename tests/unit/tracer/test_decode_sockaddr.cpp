// sockaddr decoding from raw bytes, as bind/connect/sendto pass them.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "decode_sockaddr.hpp"

namespace capprof {
namespace {

template <typename T>
SockAddr decode(const T& addr, std::size_t length = sizeof(T)) {
    return decode_sockaddr(reinterpret_cast<const std::uint8_t*>(&addr), length);
}

TEST(DecodeSockaddr, Inet) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(80);
    in.sin_addr.s_addr = htonl(INADDR_ANY);
    SockAddr addr = decode(in);
    EXPECT_EQ(addr.family, AF_INET);
    EXPECT_EQ(addr.address, "0.0.0.0");
    EXPECT_EQ(addr.port, 80);
    EXPECT_EQ(addr.text, "{AF_INET, 0.0.0.0:80}");
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    in.sin_port = htons(443);
    EXPECT_EQ(decode(in).text, "{AF_INET, 127.0.0.1:443}");
}

TEST(DecodeSockaddr, Inet6) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(80);
    SockAddr addr = decode(in6);
    EXPECT_EQ(addr.address, "::");
    EXPECT_EQ(addr.port, 80);
    EXPECT_EQ(addr.text, "{AF_INET6, [::]:80}");
    // 24 bytes (no scope id) is still a valid sockaddr_in6.
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    EXPECT_EQ(decode(in6, 24).text, "{AF_INET6, [::1]:80}");
}

TEST(DecodeSockaddr, UnixPathAndAbstract) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strcpy(un.sun_path, "/run/app.sock");
    SockAddr path = decode(un, offsetof(sockaddr_un, sun_path) + std::strlen(un.sun_path) + 1);
    EXPECT_EQ(path.address, "/run/app.sock");
    EXPECT_EQ(path.text, "{AF_UNIX, \"/run/app.sock\"}");

    sockaddr_un abstract{};
    abstract.sun_family = AF_UNIX;
    std::memcpy(abstract.sun_path, "\0name", 5);
    SockAddr named = decode(abstract, offsetof(sockaddr_un, sun_path) + 5);
    EXPECT_EQ(named.address, "@name");
    EXPECT_EQ(named.text, "{AF_UNIX, @\"name\"}");
}

TEST(DecodeSockaddr, UnixPathIsEscaped) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strcpy(un.sun_path, "/tmp/\x1b[2J");
    EXPECT_EQ(decode(un).text, "{AF_UNIX, \"/tmp/\\33[2J\"}");
}

TEST(DecodeSockaddr, NetlinkAndPacket) {
    sockaddr_nl nl{};
    nl.nl_family = AF_NETLINK;
    EXPECT_EQ(decode(nl).text, "{AF_NETLINK, pid=0, groups=00000000}");
    sockaddr_ll ll{};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(0x0003);
    ll.sll_ifindex = 2;
    SockAddr packet = decode(ll);
    EXPECT_EQ(packet.family, AF_PACKET);
    EXPECT_EQ(packet.text, "{AF_PACKET, proto=htons(ETH_P_ALL), if2}");
}

TEST(DecodeSockaddr, ShortAndUnknownInputDoNotCrash) {
    std::uint8_t one = 2;
    EXPECT_EQ(decode_sockaddr(&one, 1).family, -1);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    SockAddr short_inet = decode(in, 4);
    EXPECT_EQ(short_inet.family, AF_INET);
    EXPECT_EQ(short_inet.port, -1);
    sockaddr_storage other{};
    other.ss_family = AF_BLUETOOTH;
    EXPECT_EQ(decode(other).text, "{AF_BLUETOOTH, ...}");
}

}  // namespace
}  // namespace capprof
