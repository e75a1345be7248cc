#pragma once
// struct sockaddr bytes -> SockAddr with strace-like text:
// {AF_INET, 0.0.0.0:80}, {AF_INET6, [::]:80}, {AF_UNIX, "/run/x.sock"},
// {AF_UNIX, @"abstract"}, {AF_NETLINK, pid=0, groups=00000000},
// {AF_PACKET, proto=htons(ETH_P_ALL), if2}.
#include <cstddef>
#include <cstdint>

#include "capprof/syscall_event.hpp"

namespace capprof {

// `length` is the addrlen the task passed (bytes beyond it are not read).
SockAddr decode_sockaddr(const std::uint8_t* data, std::size_t length);

}  // namespace capprof
