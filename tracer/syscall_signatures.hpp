#pragma once
// Syscall knowledge as data (strace's syscallent tables): for each syscall
// name, the kind of each argument. Used both to decode a failing call
// (which argument is a path, a sockaddr, a uid...) and to print its
// arguments as strace would.
#include <array>
#include <cstdint>
#include <string_view>

namespace capprof {

enum class ArgKind : std::uint8_t {
    int_,           // signed decimal
    uint,           // unsigned decimal
    hex,            // 0x...
    ptr,            // address: NULL or 0x...
    argv,           // execve's argv: ["ping", "-c", "1"]
    envp,           // execve's envp: 0x7ffc... /* 12 vars */
    fd,
    file_fd,        // an fd whose file is the call's object (fchown, write): its path is the event's
    dirfd,          // AT_FDCWD or fd; later path arguments are relative to it
    path,           // pathname, resolved against the last dirfd (or cwd)
    mount_source,   // mount(2) source: a path if it looks like one, else a name
    string,         // a string that is not a path (hostname, xattr name, fs type)
    open_flags,
    mode,           // permission bits, octal
    mknod_mode,     // file type | permission bits
    at_flags,
    access_mode,    // F_OK, R_OK|W_OK|X_OK
    sockaddr,       // struct sockaddr*, its length is the next argument
    socklen,
    sock_domain,
    sock_type,
    sock_protocol,  // interpreted with the previous sock_domain
    sockopt_level,  // SOL_SOCKET, SOL_IP, ...
    sockopt_name,   // interpreted with the previous sockopt_level
    uid,
    gid,
    gid_list,       // setgroups' list of the previous argument's length: [33, 44]
    pid,
    signal,
    clone_flags,    // CLONE_*, plus the exit signal in the low byte for clone()
    namespace_flags,// unshare/setns: CLONE_NEW*
    mount_flags,
    umount_flags,
    prio_which,
    sched_policy,
    resource,       // RLIMIT_*
    ptrace_request,
};

struct SyscallSignature {
    std::string_view name;
    std::uint8_t count = 0;
    std::array<ArgKind, 6> args{};
};

// nullptr for syscalls without an entry: they are printed as hex arguments.
const SyscallSignature* find_signature(std::string_view name);

}  // namespace capprof
