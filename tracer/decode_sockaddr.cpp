#include "decode_sockaddr.hpp"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstdio>
#include <cstring>
#include <string_view>

#include "capprof/escape.hpp"
#include "decode_flags.hpp"

namespace capprof {

namespace {

template <typename T>
bool copy_struct(const std::uint8_t* data, std::size_t length, T& out) {
    std::memset(&out, 0, sizeof out);
    if (length < sizeof out) return false;
    std::memcpy(&out, data, sizeof out);
    return true;
}

// Fills address, port and text from an inet or inet6 address (`ip` points
// at its in_addr/in6_addr, `port` in network order).
void set_inet_address(SockAddr& addr, int family, const void* ip, std::uint16_t port) {
    char text[INET6_ADDRSTRLEN];
    ::inet_ntop(family, ip, text, sizeof text);
    addr.address = text;
    addr.port = ntohs(port);
    const std::string host = family == AF_INET6 ? "[" + addr.address + "]" : addr.address;
    addr.text = std::string(family == AF_INET6 ? "{AF_INET6, " : "{AF_INET, ") + host + ":" +
                std::to_string(addr.port) + "}";
}

void decode_inet(const std::uint8_t* data, std::size_t length, SockAddr& addr) {
    sockaddr_in in;
    if (!copy_struct(data, length, in)) {
        addr.text = "{AF_INET, <short " + std::to_string(length) + ">}";
        return;
    }
    set_inet_address(addr, AF_INET, &in.sin_addr, in.sin_port);
}

void decode_inet6(const std::uint8_t* data, std::size_t length, SockAddr& addr) {
    sockaddr_in6 in6;
    // The scope id is a later addition: 24 bytes is a valid sockaddr_in6.
    constexpr std::size_t without_scope = offsetof(sockaddr_in6, sin6_scope_id);
    std::memset(&in6, 0, sizeof in6);
    if (length < without_scope) {
        addr.text = "{AF_INET6, <short " + std::to_string(length) + ">}";
        return;
    }
    std::memcpy(&in6, data, std::min(length, sizeof in6));
    set_inet_address(addr, AF_INET6, &in6.sin6_addr, in6.sin6_port);
}

void decode_unix(const std::uint8_t* data, std::size_t length, SockAddr& addr) {
    constexpr std::size_t path_offset = offsetof(sockaddr_un, sun_path);
    std::size_t path_length = length > path_offset ? length - path_offset : 0;
    path_length = std::min(path_length, sizeof(sockaddr_un::sun_path));
    const char* path = reinterpret_cast<const char*>(data + path_offset);
    if (path_length == 0) {
        addr.text = "{AF_UNIX}";  // unnamed (autobind)
        return;
    }
    if (path[0] == '\0') {
        // Abstract namespace (unix(7)): every byte of addrlen counts, NULs too.
        std::string_view name(path + 1, path_length - 1);
        addr.address = "@" + std::string(name);
        addr.text = "{AF_UNIX, @" + escape_string(name) + "}";
        return;
    }
    std::string_view name(path, strnlen(path, path_length));
    addr.address = std::string(name);
    addr.text = "{AF_UNIX, " + escape_string(name) + "}";
}

void decode_netlink(const std::uint8_t* data, std::size_t length, SockAddr& addr) {
    sockaddr_nl nl;
    if (!copy_struct(data, length, nl)) {
        addr.text = "{AF_NETLINK, <short " + std::to_string(length) + ">}";
        return;
    }
    char groups[16];
    std::snprintf(groups, sizeof groups, "%08x", nl.nl_groups);
    addr.address = "pid=" + std::to_string(nl.nl_pid);
    addr.text = "{AF_NETLINK, pid=" + std::to_string(nl.nl_pid) + ", groups=" + groups + "}";
}

void decode_packet(const std::uint8_t* data, std::size_t length, SockAddr& addr) {
    sockaddr_ll ll;
    std::memset(&ll, 0, sizeof ll);
    // Callers pass anything from 12 bytes (no hardware address) upwards.
    constexpr std::size_t minimum = offsetof(sockaddr_ll, sll_hatype);
    if (length < minimum) {
        addr.text = "{AF_PACKET, <short " + std::to_string(length) + ">}";
        return;
    }
    std::memcpy(&ll, data, std::min(length, sizeof ll));
    addr.address = "if" + std::to_string(ll.sll_ifindex);
    addr.text = "{AF_PACKET, proto=" + socket_protocol_text(AF_PACKET, ll.sll_protocol) +
                ", if" + std::to_string(ll.sll_ifindex) + "}";
}

}  // namespace

SockAddr decode_sockaddr(const std::uint8_t* data, std::size_t length) {
    SockAddr addr;
    if (length < sizeof(sa_family_t)) {
        addr.text = "{<short " + std::to_string(length) + ">}";
        return addr;
    }
    sa_family_t family;
    std::memcpy(&family, data, sizeof family);
    addr.family = family;
    switch (family) {
        case AF_INET: decode_inet(data, length, addr); break;
        case AF_INET6: decode_inet6(data, length, addr); break;
        case AF_UNIX: decode_unix(data, length, addr); break;
        case AF_NETLINK: decode_netlink(data, length, addr); break;
        case AF_PACKET: decode_packet(data, length, addr); break;
        default: addr.text = "{" + socket_domain_text(family) + ", ...}"; break;
    }
    return addr;
}

}  // namespace capprof
