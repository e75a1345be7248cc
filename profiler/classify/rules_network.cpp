// Rule rows: the network, and denials reported inside a netlink reply.
// Rows are matched in the order rules.cpp concatenates the sections (first
// match wins); each names its predicate (rule_predicates.hpp).
#include "classify/rule_sections.hpp"

namespace capprof::rule_rows {

// Failures reported inside a netlink reply (NLMSG_ERROR).
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> netlink_reply_rules() {
    return {
        {
            .id = "netlink-audit-user",
            .syscalls = "*",
            .err = 0,
            .condition = "netlink reply: AUDIT_USER* message refused",
            .when = netlink_audit_user,
            .verdict = cap,
            .capability = "AUDIT_WRITE",
            .explanation = "sending a user-space audit record ({netlink_request}) needs CAP_AUDIT_WRITE",
            .fix = "--cap-add AUDIT_WRITE",
        },
        {
            .id = "netlink-audit-control",
            .syscalls = "*",
            .err = 0,
            .condition = "netlink reply: audit control message refused",
            .when = netlink_audit_control,
            .verdict = cap,
            .capability = "AUDIT_CONTROL",
            .explanation = "configuring the audit subsystem ({netlink_request}) needs CAP_AUDIT_CONTROL (initial namespaces only)",
            .fix = "--cap-add AUDIT_CONTROL",
        },
        {
            .id = "netlink-netfilter",
            .syscalls = "*",
            .err = 0,
            .condition = "netlink reply: nfnetlink (nftables, iptables-nft, conntrack) request refused",
            .when = netlink_netfilter_request,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .explanation = "the kernel refused the {netlink_request} request in its netlink reply: nftables, iptables-nft and "
                "conntrack need CAP_NET_ADMIN over the network namespace, even to list rules",
            .fix = "--cap-add NET_ADMIN, or set the firewall up from outside the container (on the host, or in the "
                "network namespace before the workload starts)",
        },
        {
            .id = "netlink-net-admin",
            .syscalls = "*",
            .err = 0,
            .condition = "netlink reply: rtnetlink/netfilter request refused",
            .when = netlink_route_request,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .explanation = "the kernel refused the {netlink_request} request in its netlink reply: changing links, addresses, "
                "routes, rules or qdiscs needs CAP_NET_ADMIN",
            .fix = "--cap-add NET_ADMIN, or configure the network outside the container (docker network, CNI)",
        },
    };
}

// Network.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> network_rules() {
    return {
        {
            .id = "bind-low-port",
            .syscalls = "bind",
            .err = EACCES,
            .condition = "port < net.ipv4.ip_unprivileged_port_start",
            .when = bind_low_port,
            .verdict = cap,
            .capability = "NET_BIND_SERVICE",
            .explanation = "binding port {port} < net.ipv4.ip_unprivileged_port_start ({port_start})",
            .fix = "--cap-add NET_BIND_SERVICE, or listen on a port >= {port_start}",
            .notes = {"containers with their own network namespace under Docker 20.10+ allow low ports without it "
                "(net.ipv4.ip_unprivileged_port_start=0)"},
        },
        {
            .id = "netlink-bind",
            .syscalls = "bind",
            .err = EPERM,
            .condition = "AF_NETLINK multicast groups",
            .when = netlink_bind_groups,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .alternatives = {"AUDIT_READ"},
            .explanation = "joining netlink multicast groups ({address}) needs CAP_NET_ADMIN (CAP_AUDIT_READ for the audit log "
                "group)",
            .fix = "--cap-add NET_ADMIN (AUDIT_READ for an audit socket)",
        },
        {
            .id = "icmp-socket",
            .syscalls = "socket",
            .err = EACCES,
            .condition = "SOCK_DGRAM IPPROTO_ICMP outside net.ipv4.ping_group_range",
            .when = icmp_datagram_socket,
            .verdict = none,
            .capability = "",
            .alternatives = {"NET_RAW"},
            .explanation = "ICMP datagram (\"ping\") sockets are allowed only to groups in net.ipv4.ping_group_range "
                "({ping_range}); no capability extends that range",
            .fix = "set net.ipv4.ping_group_range (docker run --sysctl net.ipv4.ping_group_range=\"0 2147483647\"), "
                "or use a raw socket with --cap-add NET_RAW",
            .notes = {"Docker 20.10+ sets ping_group_range to \"0 2147483647\" in every container network namespace"},
        },
        {
            .id = "raw-socket",
            .syscalls = "socket socketpair",
            .err = EPERM,
            .condition = "SOCK_RAW (AF_INET/AF_INET6) or AF_PACKET",
            .when = raw_or_packet_socket,
            .verdict = cap,
            .capability = "NET_RAW",
            .explanation = "raw and packet sockets need CAP_NET_RAW",
            .fix = "--cap-add NET_RAW, or for ping use ICMP datagram sockets (net.ipv4.ping_group_range)",
            .notes = {"for ICMP echo, net.ipv4.ping_group_range (Docker 20.10+ sets \"0 2147483647\") allows "
                "SOCK_DGRAM/IPPROTO_ICMP sockets without NET_RAW"},
        },
        {
            .id = "sockopt-mark",
            .syscalls = "setsockopt",
            .err = EPERM,
            .condition = "SO_MARK, SO_PRIORITY > 6, IP(V6)_TRANSPARENT",
            .when = sockopt_mark_priority_transparent,
            .verdict = cap,
            .capability = "NET_RAW",
            .alternatives = {"NET_ADMIN"},
            .explanation = "setting {sockopt} needs CAP_NET_RAW or CAP_NET_ADMIN "
                "(SO_MARK since Linux 5.17, SO_PRIORITY above 6, IP_TRANSPARENT)",
            .fix = "--cap-add NET_RAW (narrower than NET_ADMIN)",
        },
        {
            .id = "sockopt-net-admin",
            .syscalls = "setsockopt getsockopt",
            .err = 0,
            .condition = "SO_RCVBUFFORCE, SO_SNDBUFFORCE, SO_DEBUG, TCP_REPAIR, iptables (legacy) tables",
            .when = sockopt_net_admin,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .explanation = "{sockopt} needs CAP_NET_ADMIN",
            .fix = "--cap-add NET_ADMIN",
        },
        {
            .id = "sockopt-bindtodevice",
            .syscalls = "setsockopt",
            .err = EPERM,
            .condition = "SO_BINDTODEVICE on an already bound socket",
            .when = sockopt_bindtodevice,
            .verdict = cap,
            .capability = "NET_RAW",
            .explanation = "re-binding a socket to another device needs CAP_NET_RAW",
            .fix = "--cap-add NET_RAW",
        },
        {
            .id = "net-ioctl",
            .syscalls = "ioctl",
            .err = EPERM,
            .condition = "SIOCS* / SIOCADDRT / bridge / TUN ioctls",
            .when = net_ioctl_set,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .explanation = "network configuration ioctl {ioctl} needs CAP_NET_ADMIN",
            .fix = "--cap-add NET_ADMIN, or configure the network outside the container",
        },
    };
}

}  // namespace capprof::rule_rows
