#pragma once
// Numbers as strace prints them: flag sets (`O_WRONLY|O_CREAT|O_TRUNC`),
// named constants (`AF_INET`, `SIGTERM`, `AT_FDCWD`), modes (`0644`).
// Pure functions of the value, tested with synthetic input.
#include <cstdint>
#include <string>

namespace capprof {

std::string open_flags_text(std::uint64_t flags);
std::string mode_text(std::uint64_t mode);          // "0644"
std::string mknod_mode_text(std::uint64_t mode);    // "S_IFCHR|0600"
std::string at_flags_text(std::uint64_t flags);
std::string access_mode_text(std::uint64_t mode);   // "R_OK|W_OK", "F_OK"
std::string dirfd_text(int fd);                      // "AT_FDCWD" or "3"
std::string socket_domain_text(int domain);         // "AF_INET"
std::string socket_type_text(std::uint64_t type);   // "SOCK_STREAM|SOCK_CLOEXEC"
std::string socket_protocol_text(int domain, int protocol);  // "IPPROTO_TCP", "NETLINK_ROUTE"
std::string signal_text(int signal);                 // "SIGTERM"
std::string clone_flags_text(std::uint64_t flags, bool with_exit_signal);
std::string mount_flags_text(std::uint64_t flags);
std::string umount_flags_text(std::uint64_t flags);
std::string prio_which_text(int which);
std::string sched_policy_text(std::uint64_t policy);
std::string resource_text(int resource);
std::string ptrace_request_text(std::uint64_t request);
std::string id_text(std::uint32_t id);               // uid/gid: "-1" for (uid_t)-1
std::string hex_text(std::uint64_t value);           // "0x1f", "0"
std::string pointer_text(std::uint64_t value);       // "NULL" or "0x7ffc..."
std::string netlink_type_text(int protocol, int type);  // "RTM_NEWLINK", "NFT_MSG_GETGEN", "0x1234"

}  // namespace capprof
