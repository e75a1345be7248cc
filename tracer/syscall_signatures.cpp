#include "syscall_signatures.hpp"

#include <initializer_list>
#include <unordered_map>

namespace capprof {

namespace {

using K = ArgKind;

struct Row {
    std::string_view name;
    std::initializer_list<ArgKind> args;
};

// Names as libseccomp spells them; i386-only variants (chown32, ...) too.
const Row rows[] = {
    // files
    {"open", {K::path, K::open_flags, K::mode}},
    // EPERM from a write is a sysctl handler, a sealed memfd, an append-only
    // file...: the file decides, so its path is decoded.
    {"read", {K::file_fd, K::ptr, K::uint}},
    {"write", {K::file_fd, K::ptr, K::uint}},
    {"pread64", {K::file_fd, K::ptr, K::uint, K::int_}},
    {"pwrite64", {K::file_fd, K::ptr, K::uint, K::int_}},
    {"readv", {K::file_fd, K::ptr, K::int_}},
    {"writev", {K::file_fd, K::ptr, K::int_}},
    {"preadv", {K::file_fd, K::ptr, K::int_, K::int_, K::int_}},
    {"pwritev", {K::file_fd, K::ptr, K::int_, K::int_, K::int_}},
    {"preadv2", {K::file_fd, K::ptr, K::int_, K::int_, K::int_, K::hex}},
    {"pwritev2", {K::file_fd, K::ptr, K::int_, K::int_, K::int_, K::hex}},
    {"openat", {K::dirfd, K::path, K::open_flags, K::mode}},
    {"openat2", {K::dirfd, K::path, K::ptr, K::uint}},
    {"creat", {K::path, K::mode}},
    {"open_by_handle_at", {K::fd, K::ptr, K::open_flags}},
    {"name_to_handle_at", {K::dirfd, K::path, K::ptr, K::ptr, K::at_flags}},
    {"access", {K::path, K::access_mode}},
    {"faccessat", {K::dirfd, K::path, K::access_mode}},
    {"faccessat2", {K::dirfd, K::path, K::access_mode, K::at_flags}},
    {"stat", {K::path, K::ptr}},
    {"lstat", {K::path, K::ptr}},
    {"stat64", {K::path, K::ptr}},
    {"lstat64", {K::path, K::ptr}},
    {"newfstatat", {K::dirfd, K::path, K::ptr, K::at_flags}},
    {"fstatat64", {K::dirfd, K::path, K::ptr, K::at_flags}},
    {"statx", {K::dirfd, K::path, K::at_flags, K::hex, K::ptr}},
    {"statfs", {K::path, K::ptr}},
    {"execve", {K::path, K::argv, K::envp}},
    {"execveat", {K::dirfd, K::path, K::argv, K::envp, K::at_flags}},
    {"chdir", {K::path}},
    {"fchdir", {K::file_fd}},
    {"chroot", {K::path}},
    {"mkdir", {K::path, K::mode}},
    {"mkdirat", {K::dirfd, K::path, K::mode}},
    {"rmdir", {K::path}},
    {"unlink", {K::path}},
    {"unlinkat", {K::dirfd, K::path, K::at_flags}},
    {"rename", {K::path, K::path}},
    {"renameat", {K::dirfd, K::path, K::dirfd, K::path}},
    {"renameat2", {K::dirfd, K::path, K::dirfd, K::path, K::hex}},
    {"link", {K::path, K::path}},
    {"linkat", {K::dirfd, K::path, K::dirfd, K::path, K::at_flags}},
    {"symlink", {K::string, K::path}},
    {"symlinkat", {K::string, K::dirfd, K::path}},
    {"readlink", {K::path, K::ptr, K::int_}},
    {"readlinkat", {K::dirfd, K::path, K::ptr, K::int_}},
    {"chmod", {K::path, K::mode}},
    {"fchmod", {K::file_fd, K::mode}},
    {"fchmodat", {K::dirfd, K::path, K::mode}},
    {"fchmodat2", {K::dirfd, K::path, K::mode, K::at_flags}},
    {"chown", {K::path, K::uid, K::gid}},
    {"lchown", {K::path, K::uid, K::gid}},
    {"fchown", {K::file_fd, K::uid, K::gid}},
    {"chown32", {K::path, K::uid, K::gid}},
    {"lchown32", {K::path, K::uid, K::gid}},
    {"fchown32", {K::file_fd, K::uid, K::gid}},
    {"fchownat", {K::dirfd, K::path, K::uid, K::gid, K::at_flags}},
    {"truncate", {K::path, K::int_}},
    {"truncate64", {K::path, K::int_}},
    {"ftruncate", {K::file_fd, K::int_}},
    {"utime", {K::path, K::ptr}},
    {"utimes", {K::path, K::ptr}},
    {"utimensat", {K::dirfd, K::path, K::ptr, K::at_flags}},
    {"futimesat", {K::dirfd, K::path, K::ptr}},
    {"mknod", {K::path, K::mknod_mode, K::hex}},
    {"mknodat", {K::dirfd, K::path, K::mknod_mode, K::hex}},
    {"setxattr", {K::path, K::string, K::ptr, K::uint, K::hex}},
    {"lsetxattr", {K::path, K::string, K::ptr, K::uint, K::hex}},
    {"fsetxattr", {K::file_fd, K::string, K::ptr, K::uint, K::hex}},
    {"getxattr", {K::path, K::string, K::ptr, K::uint}},
    {"lgetxattr", {K::path, K::string, K::ptr, K::uint}},
    {"removexattr", {K::path, K::string}},
    {"lremovexattr", {K::path, K::string}},
    {"fremovexattr", {K::file_fd, K::string}},
    {"inotify_add_watch", {K::fd, K::path, K::hex}},
    {"fanotify_init", {K::hex, K::hex}},
    {"fanotify_mark", {K::file_fd, K::hex, K::hex, K::dirfd, K::path}},
    {"acct", {K::path}},
    {"swapon", {K::path, K::hex}},
    {"swapoff", {K::path}},
    {"quotactl", {K::hex, K::path, K::int_, K::ptr}},
    {"ioctl", {K::fd, K::hex, K::hex}},
    {"epoll_ctl", {K::fd, K::int_, K::file_fd, K::ptr}},
    {"fcntl", {K::file_fd, K::int_, K::hex}},
    {"flock", {K::file_fd, K::int_}},
    // mounts and namespaces
    {"mount", {K::mount_source, K::path, K::string, K::mount_flags, K::ptr}},
    {"umount", {K::path}},
    {"umount2", {K::path, K::umount_flags}},
    {"pivot_root", {K::path, K::path}},
    {"fsopen", {K::string, K::hex}},
    {"fspick", {K::dirfd, K::path, K::hex}},
    {"fsconfig", {K::file_fd, K::uint, K::string, K::ptr, K::int_}},
    {"fsmount", {K::file_fd, K::hex, K::hex}},
    {"open_tree", {K::dirfd, K::path, K::hex}},
    {"move_mount", {K::dirfd, K::path, K::dirfd, K::path, K::hex}},
    {"mount_setattr", {K::dirfd, K::path, K::hex, K::ptr, K::uint}},
    {"unshare", {K::namespace_flags}},
    {"setns", {K::fd, K::namespace_flags}},
    {"clone", {K::clone_flags, K::ptr, K::ptr, K::ptr, K::hex}},
    {"clone3", {K::ptr, K::uint}},
    // sockets
    {"socket", {K::sock_domain, K::sock_type, K::sock_protocol}},
    {"socketpair", {K::sock_domain, K::sock_type, K::sock_protocol, K::ptr}},
    {"bind", {K::fd, K::sockaddr, K::socklen}},
    {"connect", {K::fd, K::sockaddr, K::socklen}},
    {"listen", {K::fd, K::int_}},
    {"accept", {K::fd, K::ptr, K::ptr}},
    {"accept4", {K::fd, K::ptr, K::ptr, K::hex}},
    {"sendto", {K::fd, K::ptr, K::uint, K::hex, K::sockaddr, K::socklen}},
    {"sendmsg", {K::fd, K::ptr, K::hex}},
    {"recvfrom", {K::fd, K::ptr, K::uint, K::hex, K::ptr, K::ptr}},
    {"recvmsg", {K::fd, K::ptr, K::hex}},
    {"setsockopt", {K::fd, K::sockopt_level, K::sockopt_name, K::ptr, K::int_}},
    {"getsockopt", {K::fd, K::sockopt_level, K::sockopt_name, K::ptr, K::ptr}},
    // credentials
    {"setuid", {K::uid}},
    {"setgid", {K::gid}},
    {"setuid32", {K::uid}},
    {"setgid32", {K::gid}},
    {"setreuid", {K::uid, K::uid}},
    {"setregid", {K::gid, K::gid}},
    {"setreuid32", {K::uid, K::uid}},
    {"setregid32", {K::gid, K::gid}},
    {"setresuid", {K::uid, K::uid, K::uid}},
    {"setresgid", {K::gid, K::gid, K::gid}},
    {"setresuid32", {K::uid, K::uid, K::uid}},
    {"setresgid32", {K::gid, K::gid, K::gid}},
    {"setfsuid", {K::uid}},
    {"setfsgid", {K::gid}},
    {"setfsuid32", {K::uid}},
    {"setfsgid32", {K::gid}},
    {"setgroups", {K::int_, K::gid_list}},
    {"setgroups32", {K::int_, K::gid_list}},
    {"capset", {K::ptr, K::ptr}},
    {"prctl", {K::int_, K::hex, K::hex, K::hex, K::hex}},
    // processes
    {"kill", {K::pid, K::signal}},
    {"tkill", {K::pid, K::signal}},
    {"tgkill", {K::pid, K::pid, K::signal}},
    {"rt_sigqueueinfo", {K::pid, K::signal, K::ptr}},
    {"rt_tgsigqueueinfo", {K::pid, K::pid, K::signal, K::ptr}},
    {"pidfd_open", {K::pid, K::hex}},
    {"pidfd_send_signal", {K::fd, K::signal, K::ptr, K::hex}},
    {"pidfd_getfd", {K::fd, K::fd, K::hex}},
    {"ptrace", {K::ptrace_request, K::pid, K::ptr, K::ptr}},
    {"process_vm_readv", {K::pid, K::ptr, K::uint, K::ptr, K::uint, K::hex}},
    {"process_vm_writev", {K::pid, K::ptr, K::uint, K::ptr, K::uint, K::hex}},
    {"kcmp", {K::pid, K::pid, K::int_, K::hex, K::hex}},
    {"setpgid", {K::pid, K::pid}},
    {"setpriority", {K::prio_which, K::int_, K::int_}},
    {"nice", {K::int_}},
    {"sched_setscheduler", {K::pid, K::sched_policy, K::ptr}},
    {"sched_setparam", {K::pid, K::ptr}},
    {"sched_setattr", {K::pid, K::ptr, K::hex}},
    {"sched_setaffinity", {K::pid, K::uint, K::ptr}},
    {"ioprio_set", {K::int_, K::int_, K::hex}},
    {"setrlimit", {K::resource, K::ptr}},
    {"prlimit64", {K::pid, K::resource, K::ptr, K::ptr}},
    {"migrate_pages", {K::pid, K::uint, K::ptr, K::ptr}},
    {"move_pages", {K::pid, K::uint, K::ptr, K::ptr, K::ptr, K::hex}},
    {"mbind", {K::ptr, K::uint, K::int_, K::ptr, K::uint, K::hex}},
    {"set_mempolicy", {K::int_, K::ptr, K::uint}},
    {"mlock", {K::ptr, K::uint}},
    {"mlock2", {K::ptr, K::uint, K::hex}},
    {"mlockall", {K::hex}},
    // The memory-lock limit also refuses mappings (EAGAIN): mmap's fd names
    // the mapped file (a memfd_secret area is always locked).
    {"mmap", {K::ptr, K::uint, K::hex, K::hex, K::file_fd, K::hex}},
    {"mmap2", {K::ptr, K::uint, K::hex, K::hex, K::file_fd, K::hex}},
    {"mremap", {K::ptr, K::uint, K::uint, K::hex, K::ptr}},
    {"io_uring_register", {K::fd, K::uint, K::ptr, K::uint}},
    {"mq_open", {K::string, K::open_flags, K::mode, K::ptr}},
    {"shmctl", {K::int_, K::int_, K::ptr}},
    {"shmget", {K::hex, K::uint, K::hex}},
    {"msgctl", {K::int_, K::int_, K::ptr}},
    {"semctl", {K::int_, K::int_, K::int_, K::hex}},
    // system
    {"reboot", {K::hex, K::hex, K::hex, K::ptr}},
    {"sethostname", {K::string, K::int_}},
    {"setdomainname", {K::string, K::int_}},
    {"settimeofday", {K::ptr, K::ptr}},
    {"clock_settime", {K::int_, K::ptr}},
    {"clock_adjtime", {K::int_, K::ptr}},
    {"adjtimex", {K::ptr}},
    {"stime", {K::ptr}},
    {"init_module", {K::ptr, K::uint, K::string}},
    {"finit_module", {K::file_fd, K::string, K::hex}},
    {"delete_module", {K::string, K::hex}},
    {"kexec_load", {K::hex, K::uint, K::ptr, K::hex}},
    {"kexec_file_load", {K::fd, K::fd, K::uint, K::string, K::hex}},
    {"syslog", {K::int_, K::ptr, K::int_}},
    {"perf_event_open", {K::ptr, K::pid, K::int_, K::fd, K::hex}},
    {"bpf", {K::int_, K::ptr, K::uint}},
    {"ioperm", {K::hex, K::hex, K::int_}},
    {"iopl", {K::int_}},
    {"vhangup", {}},
    {"personality", {K::hex}},
    {"userfaultfd", {K::hex}},
    {"keyctl", {K::int_, K::hex, K::hex, K::hex, K::hex}},
    {"add_key", {K::string, K::string, K::ptr, K::uint, K::int_}},
    {"request_key", {K::string, K::string, K::string, K::int_}},
    {"lookup_dcookie", {K::hex, K::ptr, K::uint}},
    {"nfsservctl", {K::int_, K::ptr, K::ptr}},
    {"vm86", {K::hex, K::ptr}},
    {"modify_ldt", {K::int_, K::ptr, K::uint}},
    {"landlock_restrict_self", {K::fd, K::hex}},
    {"seccomp", {K::uint, K::hex, K::ptr}},
    {"memfd_secret", {K::hex}},
};

std::unordered_map<std::string_view, SyscallSignature> build_table() {
    std::unordered_map<std::string_view, SyscallSignature> table;
    for (const Row& row : rows) {
        SyscallSignature signature;
        signature.name = row.name;
        for (ArgKind kind : row.args) signature.args[signature.count++] = kind;
        table.emplace(row.name, signature);
    }
    return table;
}

}  // namespace

const SyscallSignature* find_signature(std::string_view name) {
    static const auto table = build_table();
    auto it = table.find(name);
    return it == table.end() ? nullptr : &it->second;
}

}  // namespace capprof
