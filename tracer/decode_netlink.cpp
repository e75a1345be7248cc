#include "decode_netlink.hpp"

#include <linux/netlink.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>
#include <string>

namespace capprof {

std::optional<NetlinkDenial> parse_netlink_denial(const std::uint8_t* data, std::size_t length) {
    if (length < netlink_error_bytes) return std::nullopt;
    nlmsghdr header;
    std::memcpy(&header, data, sizeof header);
    if (header.nlmsg_type != NLMSG_ERROR || header.nlmsg_len < netlink_error_bytes) return std::nullopt;
    nlmsgerr error;
    std::memcpy(&error, data + sizeof header, sizeof error);
    if (error.error != -EPERM && error.error != -EACCES) return std::nullopt;
    NetlinkDenial denial;
    denial.error = -error.error;
    denial.request.request_type = error.msg.nlmsg_type;
    denial.request.request_flags = error.msg.nlmsg_flags;
    return denial;
}

std::optional<std::size_t> netlink_error_message_size(const std::uint8_t* data, std::size_t length) {
    if (length < sizeof(nlmsghdr)) return std::nullopt;
    nlmsghdr header;
    std::memcpy(&header, data, sizeof header);
    if (header.nlmsg_type != NLMSG_ERROR || header.nlmsg_len < netlink_error_bytes) return std::nullopt;
    return NLMSG_ALIGN(header.nlmsg_len);
}

std::optional<std::uint64_t> socket_inode(std::string_view fd_link) {
    constexpr std::string_view prefix = "socket:[";
    if (fd_link.substr(0, prefix.size()) != prefix || fd_link.back() != ']') return std::nullopt;
    std::string_view digits = fd_link.substr(prefix.size(), fd_link.size() - prefix.size() - 1);
    std::uint64_t inode = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
    if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return inode;
}

std::optional<int> netlink_protocol(std::string_view proc_net_netlink, std::uint64_t inode) {
    std::istringstream lines{std::string(proc_net_netlink)};
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string sk;
        int protocol;
        std::string pid, groups, rmem, wmem, dump, locks, drops;
        std::uint64_t line_inode;
        if (fields >> sk >> protocol >> pid >> groups >> rmem >> wmem >> dump >> locks >> drops >> line_inode &&
            line_inode == inode)
            return protocol;
    }
    return std::nullopt;
}

}  // namespace capprof
