#pragma once
// One failing syscall (EPERM or EACCES), as the tracer saw it at the syscall's
// exit, plus the task's state at that moment. Produced by tracer/, consumed
// by profiler/. No ptrace, libcap or libseccomp types here.
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capprof {

enum class Arch { x86_64, i386, x32, unknown };

// A decoded socket address.
struct SockAddr {
    int family = -1;          // AF_*
    std::string address;      // "0.0.0.0", "::", unix path ("@name" for abstract)
    int port = -1;            // AF_INET/AF_INET6 only
    std::string text;         // "{AF_INET, 0.0.0.0:80}" as reports print it
};

// Credentials and identity of the task that made the call, read from
// /proc/TID/status at the failing exit.
struct TaskInfo {
    pid_t tid = 0;
    pid_t pid = 0;            // thread-group id
    pid_t ppid = 0;
    std::string comm;
    std::string exe;
    uid_t uid = 0, euid = 0, suid = 0, fsuid = 0;
    gid_t gid = 0, egid = 0, sgid = 0, fsgid = 0;
    std::vector<gid_t> groups;
    std::uint64_t cap_inh = 0, cap_prm = 0, cap_eff = 0, cap_bnd = 0, cap_amb = 0;
    int seccomp = 0;          // Seccomp: 0 none, 1 strict, 2 filter
    bool no_new_privs = false;
};

// A failure reported inside a successful netlink reply: recvmsg returned an
// NLMSG_ERROR whose error is -EPERM/-EACCES (rtnetlink requests fail this way).
struct NetlinkError {
    int protocol = -1;        // NETLINK_ROUTE, ... (-1 if unknown)
    int request_type = -1;    // nlmsg_type of the request that failed (RTM_NEWLINK, ...)
    int request_flags = 0;
};

struct SyscallEvent {
    TaskInfo task;
    Arch arch = Arch::unknown;
    int nr = -1;                      // syscall number for `arch`
    std::string name;                 // "bind", "openat", ... (libseccomp)
    std::array<std::uint64_t, 6> args{};
    long ret = 0;                     // raw return value (-errno on failure)
    int err = 0;                      // EPERM or EACCES

    // Decoded arguments (filled only for the arguments the syscall has).
    std::string args_text;            // strace-like: `3, {AF_INET, 0.0.0.0:80}, 16`
    // args_text with addresses and execve's argv/envp left out: two calls
    // that differ only in where their buffers live (ASLR) are the same call.
    std::string args_identity;
    std::optional<std::string> path;  // first path argument, absolute as the task sees it
    std::optional<std::string> path2; // second path (rename, link, mount target...)
    std::optional<SockAddr> sockaddr; // bind/connect/sendto address
    int sock_domain = -1, sock_type = -1, sock_protocol = -1;  // socket()/socketpair()
    std::optional<NetlinkError> netlink;
    // setgroups(2): the supplementary groups asked for (at most
    // max_groups_decoded of them; groups_truncated when the call named more).
    std::vector<std::uint32_t> groups_requested;
    bool groups_truncated = false;

    // Where the task's filesystem view starts: "/proc/TID/root" while the task
    // is stopped; the profiler uses it to inspect paths as the task sees them.
    std::string proc_root;
};

}  // namespace capprof
