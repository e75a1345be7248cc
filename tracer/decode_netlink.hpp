#pragma once
// Netlink failures hidden in successful replies (KERNEL-NOTES: rtnetlink
// requests such as `ip link set` fail in an NLMSG_ERROR that recvmsg
// returns successfully).
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "capprof/syscall_event.hpp"

namespace capprof {

// Bytes a reply must have for parse_netlink_denial: nlmsghdr + nlmsgerr
// (error code and the header of the request that failed).
constexpr std::size_t netlink_error_bytes = 16 + 4 + 16;

struct NetlinkDenial {
    int error = 0;           // EPERM or EACCES (positive)
    NetlinkError request;    // protocol left -1 (the socket tells it)
};

// The first message of a received netlink buffer, if it is an NLMSG_ERROR
// carrying -EPERM or -EACCES.
std::optional<NetlinkDenial> parse_netlink_denial(const std::uint8_t* data, std::size_t length);

// The aligned length of the message at `data` if it is an NLMSG_ERROR (an
// acknowledgement or an error), so the next one can be looked at; nullopt
// for any other message or a malformed length.
std::optional<std::size_t> netlink_error_message_size(const std::uint8_t* data, std::size_t length);

// "socket:[12345]" -> 12345.
std::optional<std::uint64_t> socket_inode(std::string_view fd_link);

// The protocol of the netlink socket with `inode`, from the text of
// /proc/PID/net/netlink ("sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode").
std::optional<int> netlink_protocol(std::string_view proc_net_netlink, std::uint64_t inode);

}  // namespace capprof
