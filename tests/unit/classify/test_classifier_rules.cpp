// Table-driven: one synthetic failing call per rule of the table, checked for
// the verdict, the capability, the rule that matched and a piece of the
// explanation a user would read.
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "classify/classifier.hpp"
#include "classify/rules.hpp"
#include "support/classify_fixture.hpp"

namespace capprof {
namespace {

using testing::dir;
using testing::Ev;
using testing::file;
using testing::host_context;
using testing::missing;
using testing::symlink;

struct Case {
    std::string name;
    Ev event;
    std::function<void(ClassifyContext&)> setup;
    Verdict verdict;
    std::string capability;   // "" = none
    std::string rule;
    std::string explains;     // a substring of the explanation
};

constexpr Verdict C = Verdict::capability, F = Verdict::file_permission, N = Verdict::not_capability,
                  U = Verdict::unknown;

void nothing(ClassifyContext&) {}

TaskInfo other_user_target(uid_t uid, std::uint64_t caps = 0) {
    TaskInfo t = testing::dropped_root_task();
    t.tid = t.pid = 1234;
    t.comm = "target";
    t.uid = t.euid = t.suid = t.fsuid = uid;
    t.cap_eff = t.cap_prm = caps;
    return t;
}

// A task with `locked` bytes locked in an address space of `mapped` bytes,
// under an 8 MiB RLIMIT_MEMLOCK (Debian's default).
std::function<void(ClassifyContext&)> memlock(std::uint64_t locked, std::uint64_t mapped) {
    return [=](ClassifyContext& c) { c.memlock = MemlockState{locked, mapped, 8u << 20}; };
}

constexpr std::uint64_t mib = 1u << 20;

std::vector<Case> cases() {
    return {
        {"audit user message", Ev("sendmsg", EPERM).netlink(9, 1100), nothing, C, "AUDIT_WRITE",
         "netlink-audit-user", "user-space audit record"},
        {"audit control message", Ev("recvmsg", EPERM).netlink(9, 1001), nothing, C, "AUDIT_CONTROL",
         "netlink-audit-control", "audit subsystem"},
        {"rtnetlink RTM_NEWLINK", Ev("recvmsg", EPERM).netlink(0, 16), nothing, C, "NET_ADMIN",
         "netlink-net-admin", "RTM_NEWLINK"},
        {"nftables listing", Ev("recvmsg", EPERM).netlink(12, 0x0a10), nothing, C, "NET_ADMIN",
         "netlink-netfilter", "NFT_MSG_GETGEN"},
        {"PTRACE_TRACEME under capprof", Ev("ptrace", EPERM).sarg(0, 0), nothing, N, "", "ptrace-traceme",
         "already tracing"},
        {"attach to a task capprof traces", Ev("ptrace", EPERM).sarg(0, 16).sarg(1, 1234),
         [](ClassifyContext& c) { c.target = other_user_target(0); c.target_tracer = 4000; }, N, "",
         "ptrace-target-traced", "already traced by pid 4000"},
        {"ptrace_scope 3", Ev("ptrace", EPERM).sarg(0, 16).sarg(1, 1234),
         [](ClassifyContext& c) { c.ptrace_scope = 3; }, N, "", "ptrace-scope-3", "ptrace_scope is 3"},
        {"write to an immutable file", Ev("openat", EPERM).sarg(0, AT_FDCWD).sarg(2, O_WRONLY).path("/etc/motd"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/etc", 0, 0, 0755),
                             file("/etc/motd", 0, 0, 0644, FS_IMMUTABLE_FL)};
         },
         N, "", "immutable-file", "immutable attribute (chattr +i)"},
        {"exec from a noexec mount", Ev("execve", EACCES).path("/mnt/data/tool"),
         [](ClassifyContext& c) { c.mount = MountInfo{"/mnt/data", false, true, true, true}; }, N, "",
         "noexec-mount", "noexec"},
        {"foreign symlink in /tmp", Ev("openat", EACCES).sarg(2, O_RDONLY).path("/tmp/link"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/tmp", 0, 0, 01777), symlink("/tmp/link", 1000),
                             file("/tmp/link", 0, 0, 0644)};
         },
         N, "", "protected-symlinks", "fs.protected_symlinks is 1"},
        {"O_CREAT of a foreign file in /tmp", Ev("openat", EACCES).sarg(2, O_CREAT | O_WRONLY).path("/tmp/f"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/tmp", 0, 0, 01777), file("/tmp/f", 1000, 1000, 0666)};
         },
         N, "", "protected-regular", "fs.protected_regular is 2"},
        {"exec of a file without x bits", Ev("execve", EACCES).path("/srv/tool"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), file("/srv/tool", 0, 0, 0644)};
         },
         N, "", "exec-no-x-bit", "no execute bit"},
        {"/proc/PID/map_files", Ev("readlinkat", EPERM).path("/proc/1234/map_files/400000-401000"), nothing, C,
         "CHECKPOINT_RESTORE", "proc-map-files", "map_files"},
        {"/proc/1/environ of a privileged process", Ev("openat", EACCES).path("/proc/1/environ"),
         [](ClassifyContext& c) { c.target = other_user_target(0, ~0ull >> 23); }, C, "SYS_PTRACE",
         "proc-pid-ptrace", "ptrace_may_access"},
        {"/proc/PID/environ of another user", Ev("openat", EACCES).path("/proc/1234/environ"),
         [](ClassifyContext& c) {
             c.target = other_user_target(65534);
             c.components = {dir("/", 0, 0, 0755), dir("/proc", 0, 0, 0555), dir("/proc/1234", 65534, 65534, 0555),
                             file("/proc/1234/environ", 65534, 65534, 0400)};
         },
         C, "DAC_READ_SEARCH", "proc-pid-mode", "ptrace_may_access"},
        {"ping's file capability", Ev("execve", EPERM).path("/usr/bin/ping"),
         [](ClassifyContext& c) { c.file_caps_permitted = 1ull << 13; c.file_caps_effective = true; }, C,
         "NET_RAW", "exec-file-caps", "file capabilities (NET_RAW"},
        {"chown", Ev("chown", EPERM).path("/tmp/x").sarg(1, 1000).sarg(2, -1), nothing, C, "CHOWN", "chown",
         "CAP_CHOWN"},
        {"fchownat", Ev("fchownat", EPERM).path("/tmp/x"), nothing, C, "CHOWN", "chown", "CAP_CHOWN"},
        {"chmod of a foreign file", Ev("fchmodat", EPERM).path("/tmp/x"), nothing, C, "FOWNER", "chmod-not-owner",
         "owner"},
        {"utimensat with times", Ev("utimensat", EPERM).path("/tmp/x"), nothing, C, "FOWNER", "utimes-not-owner",
         "explicit times"},
        {"unlink in a sticky dir", Ev("unlinkat", EPERM).path("/tmp/f"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/tmp", 1001, 0, 01777), file("/tmp/f", 1000, 0, 0644)};
         },
         C, "FOWNER", "sticky-dir", "sticky"},
        {"hard link of a foreign file", Ev("linkat", EPERM).path("/tmp/f").path2("/tmp/g"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/tmp", 0, 0, 01777), file("/tmp/f", 1000, 0, 0600)};
         },
         C, "FOWNER", "hardlink-protected", "protected_hardlinks is 1"},
        {"O_NOATIME", Ev("openat", EPERM).sarg(2, O_RDONLY | O_NOATIME).path("/tmp/f"), nothing, C, "FOWNER",
         "open-noatime", "O_NOATIME"},
        {"F_SETFL O_NOATIME", Ev("fcntl", EPERM).sarg(1, F_SETFL).sarg(2, O_NOATIME), nothing, C, "FOWNER",
         "fcntl-noatime", "O_NOATIME"},
        {"F_SETLEASE", Ev("fcntl", EACCES).sarg(1, F_SETLEASE).sarg(2, F_RDLCK), nothing, C, "LEASE", "lease",
         "lease"},
        {"F_SETPIPE_SZ", Ev("fcntl", EPERM).sarg(1, F_SETPIPE_SZ), nothing, C, "SYS_RESOURCE", "pipe-max-size",
         "pipe-max-size"},
        {"setxattr security.capability",
         Ev("setxattr", EPERM).path("/bin/x").text("\"/bin/x\", \"security.capability\", \"\\1\\0\", 20, 0"),
         nothing, C, "SETFCAP", "setfcap", "CAP_SETFCAP"},
        {"setxattr trusted.*", Ev("lsetxattr", EPERM).text("\"/x\", \"trusted.overlay\", \"y\", 1, 0"), nothing,
         C, "SYS_ADMIN", "xattr-trusted", "trusted.overlay"},
        {"setxattr security.SMACK64", Ev("fsetxattr", EPERM).text("3, \"security.SMACK64\", \"_\", 1, 0"), nothing,
         C, "MAC_ADMIN", "xattr-smack", "Smack"},
        {"setxattr security.selinux", Ev("setxattr", EPERM).text("\"/x\", \"security.selinux\", \"s0\", 2, 0"),
         nothing, C, "SYS_ADMIN", "xattr-security", "security.selinux"},
        {"setxattr ACL of a foreign file",
         Ev("setxattr", EPERM).text("\"/x\", \"system.posix_acl_access\", \"...\", 28, 0"), nothing, C, "FOWNER",
         "xattr-owner", "CAP_FOWNER"},
        {"chattr of a foreign file", Ev("ioctl", EPERM).sarg(0, 3).arg(1, FS_IOC_SETFLAGS).path("/srv/f"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), file("/srv/f", 1000, 0, 0644)};
         },
         C, "FOWNER", "setflags-not-owner", "owner"},
        {"chattr +i", Ev("ioctl", EPERM).sarg(0, 3).arg(1, FS_IOC_SETFLAGS), nothing, C, "LINUX_IMMUTABLE",
         "linux-immutable", "CAP_LINUX_IMMUTABLE"},
        {"open_by_handle_at", Ev("open_by_handle_at", EPERM), nothing, C, "DAC_READ_SEARCH", "open-by-handle",
         "CAP_DAC_READ_SEARCH"},
        {"mknod of a char device", Ev("mknodat", EPERM).sarg(2, S_IFCHR | 0600).path("/tmp/null"), nothing, C,
         "MKNOD", "mknod-device", "device node"},
        {"/dev/mem", Ev("openat", EPERM).path("/dev/mem"), nothing, C, "SYS_RAWIO", "dev-mem", "/dev/mem"},
        {"/dev/kmsg", Ev("openat", EPERM).path("/dev/kmsg"), nothing, C, "SYSLOG", "dev-kmsg",
         "dmesg_restrict"},
        {"AppArmor policy load", Ev("openat", EACCES).path("/sys/kernel/security/apparmor/.load"), nothing, C,
         "MAC_ADMIN", "securityfs", "policy"},
        {"ns_last_pid", Ev("write", EPERM).path("/proc/sys/kernel/ns_last_pid"), nothing, C, "CHECKPOINT_RESTORE",
         "ns-last-pid", "ns_last_pid"},
        {"net sysctl", Ev("write", EPERM).path("/proc/sys/net/core/somaxconn"), nothing, C, "NET_ADMIN",
         "sysctl-net", "somaxconn"},
        {"kernel sysctl", Ev("write", EPERM).path("/proc/sys/kernel/kptr_restrict"), nothing, C, "SYS_ADMIN",
         "sysctl", "kptr_restrict"},
        {"epoll of a regular file", Ev("epoll_ctl", EPERM).path("/etc/passwd"), nothing, N, "", "epoll-unsupported",
         "cannot be polled"},
        {"setsid of a group leader", Ev("setsid", EPERM), nothing, N, "", "setsid-leader", "already leads"},
        {"setpgid of a session leader", Ev("setpgid", EPERM), nothing, N, "", "setpgid-session", "session leader"},
        {"write to a sealed memfd", Ev("write", EPERM).path("/memfd:buffer (deleted)"), nothing, N, "",
         "memfd-sealed", "seals"},
        {"/proc/kmsg", Ev("openat", EPERM).path("/proc/kmsg"), nothing, C, "SYSLOG", "proc-kmsg",
         "whatever kernel.dmesg_restrict says"},
        {"oom_score_adj lowered", Ev("write", EACCES).path("/proc/4242/oom_score_adj"), nothing, C,
         "SYS_RESOURCE", "oom-score-adj", "oom_score_adj_min"},
        {"net/core BPF JIT sysctl", Ev("write", EPERM).path("/proc/sys/net/core/bpf_jit_enable"), nothing, C,
         "SYS_ADMIN", "sysctl-net-sysadmin", "host-wide"},
        {"usermodehelper sysctl", Ev("write", EPERM).path("/proc/sys/kernel/usermodehelper/bset"), nothing, C,
         "SETPCAP", "sysctl-usermodehelper", "CAP_SYS_MODULE"},
        {"user namespace limit opened for writing",
         Ev("openat", EACCES).sarg(0, -100).arg(2, 01).path("/proc/sys/user/max_user_namespaces"), nothing, C,
         "SYS_RESOURCE", "sysctl-user-namespaces", "read-only without CAP_SYS_RESOURCE"},
        {"kill another user's process", Ev("kill", EPERM).sarg(0, 1234).sarg(1, 15),
         [](ClassifyContext& c) { c.target = other_user_target(65534); }, C, "KILL", "kill", "uid 65534"},
        {"ptrace attach", Ev("ptrace", EPERM).sarg(0, 16).sarg(1, 1234),
         [](ClassifyContext& c) { c.target = other_user_target(1000); c.target_tracer = 0; }, C, "SYS_PTRACE",
         "ptrace", "CAP_SYS_PTRACE"},
        {"process_vm_readv", Ev("process_vm_readv", EPERM).sarg(0, 1234), nothing, C, "SYS_PTRACE", "ptrace",
         "process_vm_readv"},
        {"userfaultfd", Ev("userfaultfd", EPERM), nothing, C, "SYS_PTRACE", "userfaultfd", "userfaultfd"},
        {"setuid", Ev("setuid", EPERM).sarg(0, 1000), nothing, C, "SETUID", "setuid", "CAP_SETUID"},
        {"setresuid32 (i386)", Ev("setresuid32", EPERM), nothing, C, "SETUID", "setuid", "CAP_SETUID"},
        {"setgroups", Ev("setgroups", EPERM), nothing, C, "SETGID", "setgid", "CAP_SETGID"},
        // setfsuid/setfsgid never fail: a call that did not take effect (errno 0).
        {"setfsuid silent", Ev("setfsuid", 0).sarg(0, 33), nothing, C, "SETUID", "setfsuid-silent", "CAP_SETUID"},
        {"setfsgid silent", Ev("setfsgid32", 0).sarg(0, 33), nothing, C, "SETGID", "setfsgid-silent", "CAP_SETGID"},
        // chmod 2775 of a directory of a group the caller is not in: the bit was cleared.
        {"chmod setgid silent", Ev("fchmodat", 0).sarg(0, AT_FDCWD).sarg(2, 02775).path("/srv/data"),
         [](ClassifyContext& c) {
             PathComponent dir;
             dir.path = "/srv/data";
             dir.exists = dir.is_dir = true;
             dir.mode = S_IFDIR | 0775;
             dir.gid = 1;
             c.components = {dir};
         },
         C, "FSETID", "chmod-setgid-silent", "whose group 1 is neither"},
        {"kallsyms zeroed", Ev("openat", 0).sarg(0, AT_FDCWD).sarg(2, O_RDONLY).path("/proc/kallsyms"),
         [](ClassifyContext& c) { c.kptr_restrict = 0, c.perf_event_paranoid = 2; }, C, "SYSLOG",
         "kallsyms-zeroed", "as zeros"},
        {"kallsyms zeroed for all", Ev("openat", 0).sarg(0, AT_FDCWD).sarg(2, O_RDONLY).path("/proc/modules"),
         [](ClassifyContext& c) { c.kptr_restrict = 2; }, N, "", "kallsyms-zeroed-for-all",
         "kernel.kptr_restrict is 2"},
        {"ambient raise", Ev("prctl", EPERM).sarg(0, PR_CAP_AMBIENT).sarg(1, PR_CAP_AMBIENT_RAISE).sarg(2, 12),
         nothing, C, "NET_ADMIN", "ambient-raise", "NET_ADMIN"},
        {"PR_CAPBSET_DROP", Ev("prctl", EPERM).sarg(0, PR_CAPBSET_DROP).sarg(1, 0), nothing, C, "SETPCAP",
         "capbset-drop", "bounding set"},
        {"PR_SET_SECUREBITS", Ev("prctl", EPERM).sarg(0, PR_SET_SECUREBITS), nothing, C, "SETPCAP", "securebits",
         "securebits"},
        {"capset unreadable", Ev("capset", EPERM), nothing, C, "SETPCAP", "capset", "inheritable"},
        {"capset inheritable within bounding",
         Ev("capset", EPERM), [](ClassifyContext& c) { c.capset_request = CapsetRequest{0, 0, 1ull << 10}; },
         C, "NET_BIND_SERVICE", "capset-bounding", "outside the bounding set"},
        {"capset inheritable beyond permitted", [] {
             Ev e("capset", EPERM);
             SyscallEvent& ev = const_cast<SyscallEvent&>(e.get());
             ev.task.cap_bnd = 1ull << 10;
             return e;
         }(), [](ClassifyContext& c) { c.capset_request = CapsetRequest{0, 0, 1ull << 10}; }, C, "SETPCAP",
         "capset", "CAP_SETPCAP"},
        {"capset raising permitted", Ev("capset", EPERM),
         [](ClassifyContext& c) { c.capset_request = CapsetRequest{1ull << 12, 1ull << 12, 0}; }, C, "NET_ADMIN",
         "capset-permitted", "NET_ADMIN"},
        {"capset raising effective, as setcap does", Ev("capset", EPERM),
         [](ClassifyContext& c) { c.capset_request = CapsetRequest{1ull << 31, 0, 0}; }, C, "SETFCAP",
         "capset-effective-raise", "setcap raises SETFCAP"},
        {"capset effective beyond the permitted set it lowers", Ev("capset", EPERM).cap_eff(3ull << 12),
         [](ClassifyContext& c) { c.capset_request = CapsetRequest{1ull << 13, 1ull << 12, 0}; }, N, "",
         "capset-effective", "inconsistent"},
        {"bind port 80", Ev("bind", EACCES).sarg(0, 3).inet(80), nothing, C, "NET_BIND_SERVICE", "bind-low-port",
         "binding port 80 < net.ipv4.ip_unprivileged_port_start (1024)"},
        {"bind [::]:443", Ev("bind", EACCES).inet(443, AF_INET6), nothing, C, "NET_BIND_SERVICE",
         "bind-low-port", "port 443"},
        {"netlink bind to groups", Ev("bind", EPERM).sockaddr_family(AF_NETLINK, "groups 00000001"), nothing, C,
         "NET_ADMIN", "netlink-bind", "multicast"},
        {"ICMP datagram socket", Ev("socket", EACCES).socket(AF_INET, SOCK_DGRAM, 1), nothing, N, "",
         "icmp-socket", "ping_group_range (1 0)"},
        {"raw socket", Ev("socket", EPERM).socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, 1), nothing, C, "NET_RAW",
         "raw-socket", "CAP_NET_RAW"},
        {"packet socket", Ev("socket", EPERM).socket(AF_PACKET, SOCK_DGRAM, 0), nothing, C, "NET_RAW",
         "raw-socket", "packet"},
        {"SO_MARK", Ev("setsockopt", EPERM).sarg(1, SOL_SOCKET).sarg(2, SO_MARK), nothing, C, "NET_RAW",
         "sockopt-mark", "SO_MARK"},
        {"SO_RCVBUFFORCE", Ev("setsockopt", EPERM).sarg(1, SOL_SOCKET).sarg(2, SO_RCVBUFFORCE), nothing, C,
         "NET_ADMIN", "sockopt-net-admin", "SOL_SOCKET, SO_RCVBUFFORCE needs CAP_NET_ADMIN"},
        {"iptables-legacy reading its tables", Ev("getsockopt", EPERM).sarg(1, 0 /* SOL_IP */).sarg(2, 64),
         nothing, C, "NET_ADMIN", "sockopt-net-admin", "SOL_IP, IPT_SO_GET_INFO"},
        {"TCP_REPAIR", Ev("setsockopt", EPERM).sarg(1, 6 /* SOL_TCP */).sarg(2, 19 /* TCP_REPAIR */), nothing, C, "NET_ADMIN",
         "sockopt-net-admin", "SOL_TCP, TCP_REPAIR"},
        {"SO_BINDTODEVICE", Ev("setsockopt", EPERM).sarg(1, SOL_SOCKET).sarg(2, SO_BINDTODEVICE), nothing, C,
         "NET_RAW", "sockopt-bindtodevice", "device"},
        {"SIOCSIFFLAGS", Ev("ioctl", EPERM).sarg(0, 3).arg(1, 0x8914), nothing, C, "NET_ADMIN", "net-ioctl",
         "0x8914"},
        {"mlockall", Ev("mlockall", EPERM), nothing, C, "IPC_LOCK", "mlock", "RLIMIT_MEMLOCK"},
        {"mmap MAP_LOCKED", Ev("mmap", EPERM).arg(0, 0x7f0000000000).sarg(3, 0x22 | 0x2000), nothing, C,
         "IPC_LOCK", "mmap-locked", "MAP_LOCKED"},
        {"mlock over RLIMIT_MEMLOCK", Ev("mlock", ENOMEM).arg(0, 0x7f0000000000).arg(1, 16 * mib),
         memlock(0, 40 * mib), C, "IPC_LOCK", "mlock-limit",
         "locking 16777216 bytes (16 MiB) more, with 0 bytes locked already, exceeds RLIMIT_MEMLOCK "
         "(8388608 bytes (8 MiB))"},
        {"mlock2 adding to what is locked", Ev("mlock2", ENOMEM).arg(0, 0x7f0000000010).arg(1, 4096),
         memlock(8 * mib, 40 * mib), C, "IPC_LOCK", "mlock-limit", "8192 bytes (8 KiB) more"},
        {"mlock of an unmapped range is no denial", Ev("mlock", ENOMEM).arg(0, 0x10000).arg(1, 4096),
         memlock(0, 40 * mib), U, "", "unknown", "ENOMEM"},
        {"mlockall bigger than RLIMIT_MEMLOCK", Ev("mlockall", ENOMEM).arg(0, MCL_CURRENT | MCL_FUTURE),
         memlock(0, 40 * mib), C, "IPC_LOCK", "mlockall-limit", "(41943040 bytes (40 MiB))"},
        {"mmap after mlockall(MCL_FUTURE)", Ev("mmap", EAGAIN).arg(1, 16 * mib).sarg(3, MAP_PRIVATE),
         memlock(4 * mib, 40 * mib), C, "IPC_LOCK", "mmap-memlock", "mlock_future_ok"},
        {"mremap growing a locked mapping", Ev("mremap", EAGAIN).arg(1, 4096).arg(2, 16 * mib + 4096),
         memlock(4 * mib, 40 * mib), C, "IPC_LOCK", "mmap-memlock", "16777216 bytes (16 MiB)"},
        {"SHM_LOCK over RLIMIT_MEMLOCK", Ev("shmctl", ENOMEM).sarg(1, 11), memlock(0, 40 * mib), C, "IPC_LOCK",
         "shm-lock-limit", "user_shm_lock"},
        {"io_uring buffers over RLIMIT_MEMLOCK", Ev("io_uring_register", ENOMEM).sarg(0, 3).sarg(1, 0),
         memlock(0, 40 * mib), C, "IPC_LOCK", "io-uring-memlock", "registered buffers"},
        {"mq_open beyond fs.mqueue.msg_max", Ev("mq_open", EINVAL).sarg(1, O_CREAT | O_RDWR),
         [](ClassifyContext& c) { c.mqueue_request = MqueueRequest{100, 64, 10, 8192}; }, C, "SYS_RESOURCE",
         "mqueue-limits", "mq_maxmsg 100, mq_msgsize 64, beyond fs.mqueue.msg_max 10"},
        {"mq_open with a size no capability allows", Ev("mq_open", EINVAL).sarg(1, O_CREAT | O_RDWR),
         [](ClassifyContext& c) { c.mqueue_request = MqueueRequest{100000, 64, 10, 8192}; }, U, "", "unknown",
         "mq_open"},
        {"mq_open beyond fs.mqueue.queues_max", Ev("mq_open", ENOSPC).sarg(1, O_CREAT | O_RDWR), nothing, C,
         "SYS_RESOURCE", "mqueue-count", "queues_max"},
        {"SCM_RIGHTS beyond RLIMIT_NOFILE", Ev("sendmsg", ETOOMANYREFS).sarg(0, 3),
         [](ClassifyContext& c) { c.nofile_limit = 16; }, C, "SYS_RESOURCE", "unix-fds-in-flight",
         "than RLIMIT_NOFILE (16) needs"},
        {"sysctl -w on a read-only /proc/sys",
         Ev("openat", EROFS).sarg(0, AT_FDCWD).sarg(2, O_WRONLY | O_TRUNC).path("/proc/sys/net/ipv4/ip_forward"),
         nothing, N, "", "read-only-kernel-interface", "read-only mount of /proc/sys"},
        {"a write under a read-only /sys", Ev("openat", EROFS).sarg(2, O_WRONLY).path("/sys/kernel/mm/ksm/run"),
         nothing, N, "", "read-only-kernel-interface", "read-only mount of /sys,"},
        {"EROFS elsewhere is no denial", Ev("openat", EROFS).sarg(2, O_WRONLY).path("/usr/share/x"), nothing, U,
         "", "unknown", "EROFS"},
        {"unshare -U -r maps uid 0", Ev("write", EPERM).sarg(0, 3).path("/proc/4242/uid_map").cap_eff(~0ull >> 23),
         [](ClassifyContext& c) { c.written = "0 0 1"; c.same_userns = false; }, C, "SETFCAP", "userns-map-root",
         "since Linux 5.12"},
        {"a uid_map without uid 0 needs no SETFCAP", Ev("write", EPERM).sarg(0, 3).path("/proc/4242/uid_map"),
         [](ClassifyContext& c) { c.written = "0 1000 1"; c.same_userns = false; }, N, "", "user-namespace",
         "user namespace"},
        {"mmap at address 0", Ev("mmap", EPERM).arg(0, 0).sarg(3, 0x32), nothing, C, "SYS_RAWIO",
         "mmap-low-address", "mmap_min_addr"},
        {"SHM_LOCK", Ev("shmctl", EPERM).sarg(1, 11), nothing, C, "IPC_LOCK", "shm-lock", "shared memory"},
        {"SHM_HUGETLB", Ev("shmget", EPERM).sarg(2, 04000 | 0600), nothing, C, "IPC_LOCK", "shm-hugetlb",
         "huge-page"},
        {"IPC_RMID of a foreign segment", Ev("shmctl", EPERM).sarg(1, 0), nothing, C, "SYS_ADMIN",
         "ipc-ctl-owner", "ipcctl_obtain_check"},
        {"shmat without permission", Ev("shmat", EACCES), nothing, C, "IPC_OWNER", "ipc-owner", "CAP_IPC_OWNER"},
        {"userns with unprivileged_userns_clone=0", Ev("unshare", EPERM).arg(0, CLONE_NEWUSER),
         [](ClassifyContext& c) { c.unprivileged_userns_clone = 0; }, C, "SYS_ADMIN", "userns-clone-off",
         "unprivileged_userns_clone is 0"},
        {"CLONE_NEWUSER needs no capability", Ev("unshare", EPERM).arg(0, CLONE_NEWUSER | CLONE_NEWNS), nothing, N,
         "", "userns", "needs no capability"},
        {"clone3 set_tid", Ev("clone3", EPERM).text("{flags=0, set_tid=[300], set_tid_size=1}, 88"), nothing, C,
         "CHECKPOINT_RESTORE", "clone3-set-tid", "set_tid"},
        {"unshare CLONE_NEWNS", Ev("unshare", EPERM).arg(0, CLONE_NEWNS), nothing, C, "SYS_ADMIN", "namespaces",
         "CLONE_NEWNS"},
        {"setns", Ev("setns", EPERM).sarg(0, 3), nothing, C, "SYS_ADMIN", "namespaces", "namespaces"},
        {"clone3 unreadable", Ev("clone3", EPERM), nothing, C, "SYS_ADMIN", "clone3", "clone3"},
        {"mount", Ev("mount", EPERM).path("tmpfs").path2("/mnt"), nothing, C, "SYS_ADMIN", "mount", "mount()"},
        {"umount2", Ev("umount2", EPERM).path("/mnt"), nothing, C, "SYS_ADMIN", "mount", "umount2()"},
        {"sethostname", Ev("sethostname", EPERM), nothing, C, "SYS_ADMIN", "hostname", "UTS"},
        {"swapon", Ev("swapon", EPERM), nothing, C, "SYS_ADMIN", "swap", "swapon"},
        {"quotactl", Ev("quotactl", EPERM), nothing, C, "SYS_ADMIN", "quotactl", "quotas"},
        {"keyctl", Ev("keyctl", EPERM), nothing, C, "SYS_ADMIN", "keyctl", "keyring"},
        {"TIOCSTI", Ev("ioctl", EPERM).sarg(0, 0).arg(1, 0x5412), nothing, C, "SYS_ADMIN", "tiocsti", "TIOCSTI"},
        {"fanotify_init", Ev("fanotify_init", EPERM), nothing, C, "SYS_ADMIN", "fanotify", "fanotify"},
        {"bpf", Ev("bpf", EPERM), nothing, C, "BPF", "bpf", "unprivileged_bpf_disabled is 2"},
        {"perf_event_open", Ev("perf_event_open", EACCES), nothing, C, "PERFMON", "perf",
         "perf_event_paranoid = 2"},
        {"PR_SET_MM_MAP", Ev("prctl", EPERM).sarg(0, PR_SET_MM).sarg(1, PR_SET_MM_MAP), nothing, C,
         "CHECKPOINT_RESTORE", "checkpoint-restore-mm", "PR_SET_MM_MAP"},
        {"PR_SET_MM_START_CODE", Ev("prctl", EPERM).sarg(0, PR_SET_MM).sarg(1, PR_SET_MM_START_CODE), nothing, C,
         "SYS_RESOURCE", "prctl-set-mm", "PR_SET_MM"},
        {"finit_module", Ev("finit_module", EPERM), nothing, C, "SYS_MODULE", "modules", "kernel modules"},
        {"iopl", Ev("iopl", EPERM), nothing, C, "SYS_RAWIO", "ioport", "I/O port"},
        {"FIBMAP", Ev("ioctl", EPERM).sarg(0, 3).arg(1, FIBMAP), nothing, C, "SYS_RAWIO", "fibmap", "FIBMAP"},
        {"chroot", Ev("chroot", EPERM).path("/srv"), nothing, C, "SYS_CHROOT", "chroot", "chroot()"},
        {"acct", Ev("acct", EPERM).path("/var/log/pacct"), nothing, C, "SYS_PACCT", "acct", "accounting"},
        {"reboot", Ev("reboot", EPERM), nothing, C, "SYS_BOOT", "reboot", "CAP_SYS_BOOT"},
        {"clock_settime", Ev("clock_settime", EPERM), nothing, C, "SYS_TIME", "time", "CAP_SYS_TIME"},
        {"vhangup", Ev("vhangup", EPERM), nothing, C, "SYS_TTY_CONFIG", "vhangup", "vhangup"},
        {"syslog", Ev("syslog", EPERM).sarg(0, 3), nothing, C, "SYSLOG", "syslog", "dmesg_restrict is 1"},
        {"timerfd_create CLOCK_BOOTTIME_ALARM", Ev("timerfd_create", EPERM).sarg(0, 9), nothing, C, "WAKE_ALARM",
         "wake-alarm", "ALARM"},
        {"SCHED_FIFO with SYS_NICE held", Ev("sched_setscheduler", EPERM).sarg(1, SCHED_FIFO).cap_eff(1ull << 23),
         [](ClassifyContext& c) { c.rt_runtime_us = 0; }, N, "", "rt-sched-held", "cpu.rt_runtime_us = 0"},
        {"SCHED_FIFO", Ev("sched_setscheduler", EPERM).sarg(1, SCHED_FIFO), nothing, C, "SYS_NICE", "sched",
         "real-time"},
        {"nice -5", Ev("setpriority", EACCES).sarg(0, 0).sarg(1, 0).sarg(2, -5), nothing, C, "SYS_NICE", "nice",
         "to -5"},
        {"renice another user's process", Ev("setpriority", EPERM).sarg(0, 0).sarg(1, 1234).sarg(2, 5),
         [](ClassifyContext& c) { c.target = other_user_target(1000); }, C, "SYS_NICE", "nice-other",
         "another user"},
        {"ionice -c1", Ev("ioprio_set", EPERM).sarg(0, 1).sarg(1, 0).sarg(2, 1 << 13), nothing, C, "SYS_NICE",
         "ioprio", "CAP_SYS_NICE"},
        {"move_pages", Ev("move_pages", EPERM).sarg(0, 1234), nothing, C, "SYS_NICE", "migrate-pages", "pages"},
        {"setrlimit", Ev("setrlimit", EPERM), nothing, C, "SYS_RESOURCE", "rlimit", "hard resource limit"},
        {"read a foreign 0600 file", Ev("openat", EACCES).sarg(0, AT_FDCWD).sarg(2, O_RDONLY).path("/srv/data/secret"),
         [](ClassifyContext& c) {
             c.components = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), dir("/srv/data", 1000, 1000, 0755),
                             file("/srv/data/secret", 1000, 1000, 0600)};
         },
         F, "DAC_READ_SEARCH", "file-permission",
         "uid 0 is not the owner (1000:1000, mode 0600) and \"other\" has no read permission"},
        {"unexplained failure in a user namespace", Ev("getpid", EPERM),
         [](ClassifyContext& c) { c.same_userns = false; }, N, "", "user-namespace", "user namespace"},
        {"seccomp filter", Ev("uname", EPERM).seccomp(2), nothing, N, "", "seccomp", "seccomp filter"},
        {"AppArmor profile", Ev("getpid", EACCES),
         [](ClassifyContext& c) { c.lsm_label = "docker-default (enforce)"; }, N, "", "lsm", "docker-default"},
        {"nothing explains it", Ev("getpid", EPERM).text(""), nothing, U, "", "unknown", "getpid"},
        {"bind to a high port is not NET_BIND_SERVICE", Ev("bind", EACCES).inet(8080), nothing, U, "", "unknown",
         "bind"},
        {"kill within the same user is not KILL", Ev("kill", EPERM).sarg(0, 1234),
         [](ClassifyContext& c) { c.target = other_user_target(0); }, U, "", "unknown", "kill"},
    };
}

class ClassifyRules : public ::testing::TestWithParam<Case> {};

TEST_P(ClassifyRules, Verdict) {
    const Case& t = GetParam();
    ClassifyContext context = host_context();
    t.setup(context);
    const Finding f = classify(t.event, context);
    EXPECT_EQ(verdict_name(f.verdict), std::string(verdict_name(t.verdict))) << f.explanation;
    EXPECT_EQ(f.capability.value_or(""), t.capability) << f.explanation;
    EXPECT_EQ(f.rule, t.rule);
    EXPECT_NE(f.explanation.find(t.explains), std::string::npos) << f.explanation;
    EXPECT_FALSE(f.fix.empty());
    EXPECT_EQ(f.event.name, t.event.get().name);
    // Templates are filled: no placeholder survives into what the user reads.
    EXPECT_EQ(f.explanation.find("{"), std::string::npos) << f.explanation;
    EXPECT_EQ(f.fix.find("{"), std::string::npos) << f.fix;
    if (f.verdict == Verdict::not_capability || f.verdict == Verdict::unknown) {
        EXPECT_FALSE(f.capability);
        EXPECT_TRUE(f.together.empty());
    }
}

INSTANTIATE_TEST_SUITE_P(AllRules, ClassifyRules, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             std::string name;
                             for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             return name + "_" + std::to_string(info.index);
                         });

TEST(ClassifyRules, EveryRuleHasACase) {
    std::set<std::string> covered;
    for (const auto& c : cases()) covered.insert(c.rule);
    for (const Rule& rule : rules())
        EXPECT_TRUE(covered.count(std::string(rule.id))) << "no test case for rule " << rule.id;
}

TEST(ClassifyRules, RuleIdsAreUnique) {
    std::set<std::string> seen;
    for (const Rule& rule : rules()) EXPECT_TRUE(seen.insert(std::string(rule.id)).second) << rule.id;
}

}  // namespace
}  // namespace capprof
