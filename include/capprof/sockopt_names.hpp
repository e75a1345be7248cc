#pragma once
// Names of socket option levels and the options whose setting can need a
// capability, as reports print them: "SOL_SOCKET, SO_SNDBUFFORCE". Shared by
// the tracer (decoded arguments) and the profiler (explanations).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <optional>
#include <string>

#include "capprof/name_table.hpp"

namespace capprof {

namespace sockopt_names_detail {

inline constexpr NumberName levels[] = {
    {SOL_SOCKET, "SOL_SOCKET"}, {SOL_IP, "SOL_IP"}, {SOL_IPV6, "SOL_IPV6"}, {SOL_TCP, "SOL_TCP"},
    {IPPROTO_UDP, "SOL_UDP"},   {SOL_RAW, "SOL_RAW"}, {SOL_PACKET, "SOL_PACKET"}, {SOL_NETLINK, "SOL_NETLINK"},
};

inline constexpr NumberName socket_options[] = {
    {SO_DEBUG, "SO_DEBUG"},           {SO_REUSEADDR, "SO_REUSEADDR"},     {SO_SNDBUF, "SO_SNDBUF"},
    {SO_RCVBUF, "SO_RCVBUF"},         {SO_KEEPALIVE, "SO_KEEPALIVE"},     {SO_PRIORITY, "SO_PRIORITY"},
    {SO_LINGER, "SO_LINGER"},         {SO_REUSEPORT, "SO_REUSEPORT"},     {SO_PASSCRED, "SO_PASSCRED"},
    {SO_RCVTIMEO, "SO_RCVTIMEO"},     {SO_SNDTIMEO, "SO_SNDTIMEO"},       {SO_BINDTODEVICE, "SO_BINDTODEVICE"},
    {SO_ATTACH_FILTER, "SO_ATTACH_FILTER"}, {SO_SNDBUFFORCE, "SO_SNDBUFFORCE"}, {SO_RCVBUFFORCE, "SO_RCVBUFFORCE"},
    {SO_MARK, "SO_MARK"},             {SO_BUSY_POLL, "SO_BUSY_POLL"},
};

inline constexpr NumberName ip_options[] = {
    {IP_TOS, "IP_TOS"},           {IP_TTL, "IP_TTL"},           {IP_HDRINCL, "IP_HDRINCL"},
    {IP_FREEBIND, "IP_FREEBIND"}, {IP_TRANSPARENT, "IP_TRANSPARENT"},
    {64, "IPT_SO_SET_REPLACE"},   {65, "IPT_SO_SET_ADD_COUNTERS"},  // linux/netfilter_ipv4/ip_tables.h
};

// getsockopt has its own numbers for the same values at SOL_IP / SOL_IPV6.
inline constexpr NumberName ip_get_options[] = {
    {IP_TOS, "IP_TOS"}, {IP_TTL, "IP_TTL"},
    {64, "IPT_SO_GET_INFO"}, {65, "IPT_SO_GET_ENTRIES"},
    {66, "IPT_SO_GET_REVISION_MATCH"}, {67, "IPT_SO_GET_REVISION_TARGET"},
};

inline constexpr NumberName ipv6_get_options[] = {
    {64, "IP6T_SO_GET_INFO"}, {65, "IP6T_SO_GET_ENTRIES"},
    {66, "IP6T_SO_GET_REVISION_MATCH"}, {67, "IP6T_SO_GET_REVISION_TARGET"},
};

inline constexpr NumberName ipv6_options[] = {
    {IPV6_TRANSPARENT, "IPV6_TRANSPARENT"}, {IPV6_FREEBIND, "IPV6_FREEBIND"},
    {64, "IP6T_SO_SET_REPLACE"},            {65, "IP6T_SO_SET_ADD_COUNTERS"},
};

inline constexpr NumberName tcp_options[] = {
    {TCP_NODELAY, "TCP_NODELAY"}, {TCP_REPAIR, "TCP_REPAIR"}, {TCP_REPAIR_QUEUE, "TCP_REPAIR_QUEUE"},
};

}  // namespace sockopt_names_detail

inline std::optional<std::string> sockopt_level_name(int level) {
    if (const char* name = name_of(sockopt_names_detail::levels, level)) return name;
    return std::nullopt;
}

// The option's name at `level`, for the options capprof knows; `get` for
// getsockopt (iptables numbers its get and set options apart).
inline std::optional<std::string> sockopt_name(int level, int option, bool get = false) {
    using namespace sockopt_names_detail;
    const char* name = nullptr;
    if (level == SOL_SOCKET) name = name_of(socket_options, option);
    else if (level == SOL_IP) name = get ? name_of(ip_get_options, option) : name_of(ip_options, option);
    else if (level == SOL_IPV6) name = get ? name_of(ipv6_get_options, option) : name_of(ipv6_options, option);
    else if (level == SOL_TCP) name = name_of(tcp_options, option);
    if (name) return name;
    return std::nullopt;
}

}  // namespace capprof
