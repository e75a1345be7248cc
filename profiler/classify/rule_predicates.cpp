#include "classify/rule_predicates.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <initializer_list>
#include <sstream>

#include "common/cap_names.hpp"
#include "capprof/netlink_names.hpp"
#include "capprof/sockopt_names.hpp"
#include "capprof/escape.hpp"

namespace capprof {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

const std::vector<PathComponent>& components_for(const RuleInput& in, int which) {
    return which == 1 ? in.context.components : in.context.components2;
}

std::optional<std::string> path_for(const SyscallEvent& e, int which) {
    return which == 1 ? primary_path(e) : e.path2;
}

const PathComponent* component_named(const std::vector<PathComponent>& components,
                                     const std::string& path) {
    for (const auto& c : components)
        if (c.path == path) return &c;
    return nullptr;
}

// The directory holding `path` in the walk (the last directory before it).
const PathComponent* parent_of(const std::vector<PathComponent>& components,
                               const std::string& path) {
    const PathComponent* parent = nullptr;
    for (const auto& c : components) {
        if (c.path == path) return parent;
        if (c.is_dir && c.exists) parent = &c;
    }
    return nullptr;
}

bool same_user(const TaskInfo& sender, const TaskInfo& target) {
    // kernel/signal.c kill_ok_by_cred()
    return sender.euid == target.suid || sender.euid == target.uid ||
           sender.uid == target.suid || sender.uid == target.uid;
}

std::string ids_text(uid_t uid, uid_t euid) {
    return uid == euid ? std::to_string(uid) : std::to_string(uid) + " (euid " + std::to_string(euid) + ")";
}


std::string netlink_request_text(const NetlinkError& nl) {
    // An unknown protocol (-1) was most likely rtnetlink.
    if (auto name = netlink_type_name(nl.protocol < 0 ? NETLINK_ROUTE : nl.protocol, nl.request_type)) return *name;
    return "message type " + std::to_string(nl.request_type);
}

std::string clone_flags_text(std::uint64_t flags) {
    static const std::pair<std::uint64_t, const char*> names[] = {
        {CLONE_NEWNS, "CLONE_NEWNS"},     {CLONE_NEWUTS, "CLONE_NEWUTS"},
        {CLONE_NEWIPC, "CLONE_NEWIPC"},   {CLONE_NEWPID, "CLONE_NEWPID"},
        {CLONE_NEWNET, "CLONE_NEWNET"},   {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
        {CLONE_NEWUSER, "CLONE_NEWUSER"}, {0x80 /* CLONE_NEWTIME */, "CLONE_NEWTIME"},
    };
    std::string out;
    for (auto [bit, name] : names)
        if (flags & bit) out += (out.empty() ? "" : "|") + std::string(name);
    return out;
}

constexpr std::uint64_t namespace_flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
                                          CLONE_NEWNET | CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */;

std::optional<std::uint64_t> clone_flags(const SyscallEvent& e) {
    if (named(e.name, {"unshare", "clone"})) return arg(e, 0);
    if (e.name == "setns") return arg(e, 1);
    if (e.name == "clone3") {  // the flags live in struct clone_args: use the decoded text
        std::uint64_t flags = 0;
        for (auto [bit, word] : {std::pair<std::uint64_t, const char*>{CLONE_NEWNS, "CLONE_NEWNS"},
                                 {CLONE_NEWUTS, "CLONE_NEWUTS"}, {CLONE_NEWIPC, "CLONE_NEWIPC"},
                                 {CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
                                 {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_NEWUSER, "CLONE_NEWUSER"},
                                 {0x80, "CLONE_NEWTIME"}})
            if (e.args_text.find(word) != std::string::npos) flags |= bit;
        return flags;
    }
    return std::nullopt;
}

std::optional<unsigned long> ioctl_cmd(const SyscallEvent& e) {
    if (e.name != "ioctl") return std::nullopt;
    return static_cast<unsigned long>(arg(e, 1) & 0xffffffffu);
}

int prctl_option(const SyscallEvent& e) { return e.name == "prctl" ? arg_int(e, 0) : -1; }

bool is_open(const SyscallEvent& e) { return named(e.name, {"open", "openat", "openat2", "creat"}); }

std::string path_or_empty(const SyscallEvent& e) { return primary_path(e).value_or(""); }

const char* policy_name(int policy) {
    switch (policy & ~SCHED_RESET_ON_FORK) {
    case SCHED_OTHER: return "SCHED_OTHER";
    case SCHED_FIFO: return "SCHED_FIFO";
    case SCHED_RR: return "SCHED_RR";
    case SCHED_BATCH: return "SCHED_BATCH";
    case SCHED_IDLE: return "SCHED_IDLE";
    case 6: return "SCHED_DEADLINE";
    default: return "policy";
    }
}

bool is_ptrace_family(std::string_view n) {
    return named(n, {"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
                     "get_robust_list", "process_madvise"});
}

constexpr std::uint64_t page_size = 4096;

std::uint64_t page_align(std::uint64_t bytes) { return (bytes + page_size - 1) & ~(page_size - 1); }

std::string bytes_text(std::uint64_t bytes) {
    std::string text = std::to_string(bytes) + " bytes";
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) text += " (" + std::to_string(bytes >> 20) + " MiB)";
    else if (bytes >= 1024 && bytes % 1024 == 0) text += " (" + std::to_string(bytes >> 10) + " KiB)";
    return text;
}

// The sysctl a /proc/sys path sets: /proc/sys/net/ipv4/ip_forward -> net.ipv4.ip_forward.
std::string sysctl_name(std::string_view path) {
    std::string name(path.substr(std::string_view("/proc/sys/").size()));
    std::replace(name.begin(), name.end(), '/', '.');
    return name;
}

// Docker's --sysctl accepts the sysctls of the namespaces a container owns
// (docs: "Configure namespaced kernel parameters (sysctls) at runtime").
bool namespaced_sysctl(std::string_view name) {
    return starts_with(name, "net.") || starts_with(name, "fs.mqueue.") || starts_with(name, "kernel.shm") ||
           starts_with(name, "kernel.msg") || name == "kernel.sem";
}

std::string read_only_fix(std::string_view path, std::string_view mount) {
    if (mount == "/proc/sys") {
        const std::string name = sysctl_name(path);
        if (namespaced_sysctl(name))
            return "set it from outside: docker run --sysctl " + name + "=VALUE (" + name +
                   " belongs to the container's own namespace), or on the host";
        return "set it on the host (sysctl -w " + name + "=VALUE there): " + name +
               " is not namespaced, so docker run --sysctl refuses it";
    }
    return "make the change on the host: containers see " + std::string(mount) + " read-only";
}

}  // namespace

std::optional<std::uint64_t> memlock_request(const SyscallEvent& e) {
    if (named(e.name, {"mlock", "mlock2"})) return page_align(arg(e, 1) + (arg(e, 0) & (page_size - 1)));
    if (named(e.name, {"mmap", "mmap2"})) return page_align(arg(e, 1));
    if (e.name == "mremap" && arg(e, 2) > arg(e, 1)) return page_align(arg(e, 2)) - page_align(arg(e, 1));
    return std::nullopt;
}

std::optional<std::string> read_only_kernel_mount(std::string_view path) {
    for (std::string_view mount : {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/sys"})
        if (path == mount || starts_with(path, std::string(mount) + "/")) return std::string(mount);
    return std::nullopt;
}

std::string cap_list_text(std::uint64_t set) {
    const auto names = cap_names(set);
    if (names.empty()) return "none";
    if ((set & cap_all()) == cap_all()) return "all";
    std::string out;
    const std::size_t shown = names.size() > 6 ? 4 : names.size();
    for (std::size_t i = 0; i < shown; ++i) out += (out.empty() ? "" : ", ") + names[i];
    if (shown < names.size()) out += ", ... (" + std::to_string(names.size()) + " in all)";
    return out;
}

// The lowest-numbered capability of a non-empty set, in Docker spelling.
static std::string first_cap_name(std::uint64_t set) {
    return set ? cap_name(lowest_cap(set)) : "";
}

std::optional<DacDenial> dac_denial_for(const RuleInput& in) {
    for (int which : {1, 2}) {
        auto path = path_for(in.event, which);
        const auto& comps = components_for(in, which);
        if (!path || comps.empty()) continue;
        AccessNeed need = access_needed(in.event, which, path_exists_in(comps, *path));
        auto d = find_dac_denial(comps, *path, need, in.event.task,
                                 FixLimits{in.context.root_on_host, in.context.chroot_dirs});
        if (!d) continue;
        // A capability the task holds already overrides the mode bits: then
        // they are not what refused the call.
        auto held = [&](const std::string& name) {
            auto cap = cap_from_name(name);
            return cap && cap_has(in.event.task.cap_eff, *cap);
        };
        bool overridden = !d->no_capability && held(d->capability);
        for (const auto& alt : d->alternatives) overridden = overridden || held(alt);
        if (!overridden) return d;
    }
    return std::nullopt;
}

std::optional<AttrBlock> attr_block_for(const RuleInput& in) {
    for (int which : {1, 2}) {
        auto path = path_for(in.event, which);
        const auto& comps = components_for(in, which);
        if (!path || comps.empty()) continue;
        AccessNeed need = access_needed(in.event, which, path_exists_in(comps, *path));
        if (auto b = find_attr_block(comps, *path, need)) return b;
    }
    return std::nullopt;
}

std::uint64_t exec_missing_caps(const RuleInput& in) {
    if (!in.context.file_caps_permitted || !in.context.file_caps_effective) return 0;
    // security/commoncap.c bprm_caps_from_vfs_caps(): with the effective bit
    // set, every file-permitted capability must land in the new permitted set
    // (bounding & fP | inheritable & fI), else execve fails with EPERM.
    const auto& t = in.event.task;
    return *in.context.file_caps_permitted & ~(t.cap_bnd | t.cap_inh);
}

namespace pred {

bool bind_low_port(const RuleInput& in) {
    const auto& sa = in.event.sockaddr;
    // net/ipv4/af_inet.c inet_bind / inet_port_requires_bind_service
    return sa && (sa->family == AF_INET || sa->family == AF_INET6) && sa->port > 0 &&
           sa->port < in.context.ip_unprivileged_port_start;
}

bool raw_or_packet_socket(const RuleInput& in) {
    const auto& e = in.event;
    const int type = e.sock_type & 0xf;
    return ((e.sock_domain == AF_INET || e.sock_domain == AF_INET6) && type == SOCK_RAW) ||
           e.sock_domain == AF_PACKET;
}

bool icmp_datagram_socket(const RuleInput& in) {
    const auto& e = in.event;
    return (e.sock_domain == AF_INET || e.sock_domain == AF_INET6) && (e.sock_type & 0xf) == SOCK_DGRAM &&
           (e.sock_protocol == IPPROTO_ICMP || e.sock_protocol == IPPROTO_ICMPV6);
}

bool sockopt_mark_priority_transparent(const RuleInput& in) {
    const int level = arg_int(in.event, 1), opt = arg_int(in.event, 2);
    return (level == SOL_SOCKET && (opt == SO_MARK || opt == SO_PRIORITY)) ||
           (level == SOL_IP && opt == IP_TRANSPARENT) || (level == SOL_IPV6 && opt == IPV6_TRANSPARENT);
}

bool sockopt_net_admin(const RuleInput& in) {
    const int level = arg_int(in.event, 1), opt = arg_int(in.event, 2);
    // do_ipt_get_ctl / do_ip6t_get_ctl: IPT_SO_GET_INFO .. IPT_SO_GET_REVISION_TARGET
    if (in.event.name == "getsockopt") return (level == SOL_IP || level == SOL_IPV6) && opt >= 64 && opt <= 67;
    if (level == SOL_SOCKET)
        return opt == SO_RCVBUFFORCE || opt == SO_SNDBUFFORCE || opt == SO_DEBUG || opt == SO_BUSY_POLL;
    if (level == SOL_IP || level == SOL_IPV6)
        return opt == 64 /* IPT_SO_SET_REPLACE */ || opt == 65 /* IPT_SO_SET_ADD_COUNTERS */ ||
               (level == SOL_IP && opt >= 200 && opt <= 212) /* MRT_* */;
    if (level == IPPROTO_TCP) return opt == TCP_REPAIR;
    return false;
}

bool sockopt_bindtodevice(const RuleInput& in) {
    return arg_int(in.event, 1) == SOL_SOCKET && arg_int(in.event, 2) == SO_BINDTODEVICE;
}

bool netlink_bind_groups(const RuleInput& in) {
    return in.event.sockaddr && in.event.sockaddr->family == AF_NETLINK;
}

bool net_ioctl_set(const RuleInput& in) {
    auto cmd = ioctl_cmd(in.event);
    if (!cmd) return false;
    // socket ioctls (linux/sockios.h, 0x89xx): getters need no capability and
    // do not fail with EPERM; TUN/TAP ioctls ('T', 200..) likewise.
    return (*cmd >= 0x8900 && *cmd <= 0x89ff) || (((*cmd >> 8) & 0xff) == 'T' && (*cmd & 0xff) >= 200);
}

bool netlink_netfilter_request(const RuleInput& in) {
    const auto& nl = in.event.netlink;
    return nl && nl->protocol == NETLINK_NETFILTER;
}

bool netlink_route_request(const RuleInput& in) {
    const auto& nl = in.event.netlink;
    return nl && nl->protocol != NETLINK_AUDIT;
}

bool netlink_audit_user(const RuleInput& in) {
    const auto& nl = in.event.netlink;
    if (!nl || nl->protocol != NETLINK_AUDIT) return false;
    const int t = nl->request_type;
    return t == AUDIT_USER || (t >= AUDIT_FIRST_USER_MSG && t <= AUDIT_LAST_USER_MSG) ||
           (t >= AUDIT_FIRST_USER_MSG2 && t <= AUDIT_LAST_USER_MSG2);
}

bool netlink_audit_control(const RuleInput& in) {
    const auto& nl = in.event.netlink;
    return nl && nl->protocol == NETLINK_AUDIT && !netlink_audit_user(in);
}

bool netlink_other(const RuleInput& in) { return in.event.netlink.has_value(); }

bool exec_file_caps(const RuleInput& in) { return exec_missing_caps(in) != 0; }

bool exec_noexec_mount(const RuleInput& in) { return in.context.mount && in.context.mount->noexec; }

bool dac_denied(const RuleInput& in) {
    auto d = dac_denial_for(in);
    return d && !d->no_capability;
}

bool dac_denied_no_capability(const RuleInput& in) {
    auto d = dac_denial_for(in);
    return d && d->no_capability;
}

bool attr_blocked(const RuleInput& in) { return attr_block_for(in).has_value(); }

bool protected_symlink(const RuleInput& in) {
    // fs/namei.c may_follow_link(): fs.protected_symlinks refuses to follow a
    // symlink in a sticky world-writable directory unless the follower or the
    // directory's owner owns the link. No capability overrides it.
    if (in.context.protected_symlinks.value_or(0) < 1) return false;
    const auto& comps = in.context.components;
    for (std::size_t i = 1; i < comps.size(); ++i) {
        const auto& link = comps[i];
        if (!link.is_symlink) continue;
        const PathComponent* dir = parent_of(comps, link.path);
        if (!dir || (dir->mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH)) continue;
        if (link.uid != in.event.task.fsuid && link.uid != dir->uid) return true;
    }
    return false;
}

bool protected_regular(const RuleInput& in) {
    // fs/namei.c may_create_in_sticky(): O_CREAT of an existing file owned by
    // someone else in a sticky directory (fs.protected_regular / protected_fifos).
    auto flags = open_flags(in.event);
    auto path = primary_path(in.event);
    if (!flags || !(*flags & O_CREAT) || !path) return false;
    const auto& comps = in.context.components;
    const PathComponent* file = component_named(comps, *path);
    const PathComponent* dir = parent_of(comps, *path);
    if (!file || !file->exists || !dir || !(dir->mode & S_ISVTX)) return false;
    const bool reg = S_ISREG(file->mode), fifo = S_ISFIFO(file->mode);
    const int level = reg ? in.context.protected_regular.value_or(0)
                          : fifo ? in.context.protected_fifos.value_or(0) : 0;
    if (level < 1 || file->uid == dir->uid || file->uid == in.event.task.fsuid) return false;
    return (dir->mode & S_IWOTH) || (level >= 2 && (dir->mode & S_IWGRP));
}

bool hardlink_protected(const RuleInput& in) {
    // fs/namei.c may_linkat(): with fs.protected_hardlinks=1 only the owner
    // (or CAP_FOWNER) may link a file it could not read and write.
    if (in.context.protected_hardlinks.value_or(1) < 1) return false;
    auto path = primary_path(in.event);
    if (!path) return true;
    const PathComponent* file = component_named(in.context.components, *path);
    return !file || !file->exists || file->uid != in.event.task.fsuid;
}

bool sticky_dir_not_owner(const RuleInput& in) {
    // fs/namei.c may_delete() -> check_sticky(): in a sticky directory only the
    // owner of the file or of the directory (or CAP_FOWNER) may remove it.
    for (int which : {1, 2}) {
        auto path = path_for(in.event, which);
        const auto& comps = components_for(in, which);
        if (!path) continue;
        const PathComponent* file = component_named(comps, *path);
        const PathComponent* dir = parent_of(comps, *path);
        if (file && file->exists && dir && (dir->mode & S_ISVTX) && file->uid != in.event.task.fsuid &&
            dir->uid != in.event.task.fsuid)
            return true;
    }
    return false;
}

bool open_noatime(const RuleInput& in) {
    auto flags = open_flags(in.event);
    return flags && (*flags & O_NOATIME);
}

bool fcntl_noatime(const RuleInput& in) {
    return arg_int(in.event, 1) == F_SETFL && (arg_int(in.event, 2) & O_NOATIME);
}

bool fcntl_setlease(const RuleInput& in) { return arg_int(in.event, 1) == F_SETLEASE; }

bool fcntl_pipe_size(const RuleInput& in) { return arg_int(in.event, 1) == F_SETPIPE_SZ; }

bool xattr_capability(const RuleInput& in) { return xattr_name(in.event) == "security.capability"; }

bool xattr_trusted(const RuleInput& in) {
    auto n = xattr_name(in.event);
    return n && starts_with(*n, "trusted.");
}

bool xattr_smack(const RuleInput& in) {
    auto n = xattr_name(in.event);
    return n && starts_with(*n, "security.SMACK64");
}

bool xattr_security_other(const RuleInput& in) {
    auto n = xattr_name(in.event);
    return n && starts_with(*n, "security.") && *n != "security.capability";
}

bool xattr_acl_or_sticky(const RuleInput& in) {
    auto n = xattr_name(in.event);
    return !n || starts_with(*n, "system.posix_acl") || starts_with(*n, "user.");
}

bool ioctl_setflags(const RuleInput& in) {
    auto cmd = ioctl_cmd(in.event);
    return cmd && (*cmd == (FS_IOC_SETFLAGS & 0xffffffffu) || *cmd == (FS_IOC32_SETFLAGS & 0xffffffffu) ||
                   *cmd == (FS_IOC_FSSETXATTR & 0xffffffffu));
}

bool ioctl_setflags_not_owner(const RuleInput& in) {
    if (!ioctl_setflags(in)) return false;
    auto path = primary_path(in.event);
    if (!path) return false;
    const PathComponent* file = component_named(in.context.components, *path);
    return file && file->exists && file->uid != in.event.task.fsuid;
}

bool ioctl_tiocsti(const RuleInput& in) { return ioctl_cmd(in.event) == static_cast<unsigned long>(TIOCSTI); }

bool ioctl_fibmap(const RuleInput& in) { return ioctl_cmd(in.event) == static_cast<unsigned long>(FIBMAP); }

bool kill_other_user(const RuleInput& in) {
    if (!in.context.target) return true;   // a process group, or a target that is gone
    return !same_user(in.event.task, *in.context.target);
}

bool ptrace_traceme(const RuleInput& in) {
    return in.event.name == "ptrace" && arg_int(in.event, 0) == PTRACE_TRACEME;
}

bool ptrace_target_traced(const RuleInput& in) {
    const int req = arg_int(in.event, 0);
    return in.event.name == "ptrace" && (req == PTRACE_ATTACH || req == PTRACE_SEIZE) &&
           in.context.target_tracer.value_or(0) > 0;
}

bool ptrace_scope_forbids(const RuleInput& in) {
    return in.context.ptrace_scope.value_or(0) >= 3 &&
           (is_ptrace_family(in.event.name) || proc_pid_ptrace_access(in));
}

bool proc_pid_ptrace_access(const RuleInput& in) {
    // fs/proc/base.c: these entries check ptrace_may_access(); a process with
    // capabilities the caller lacks (or a non-dumpable one) needs SYS_PTRACE.
    auto p = proc_pid_path(in.event);
    if (!p || p->pid == in.event.task.pid || p->pid == in.event.task.tid || dac_denied(in)) return false;
    static const std::initializer_list<std::string_view> entries = {
        "environ", "mem", "maps", "smaps", "smaps_rollup", "numa_maps", "pagemap", "fd", "fdinfo",
        "cwd", "root", "exe", "auxv", "stack", "syscall", "personality", "io", "ns", "timers",
        "timerslack_ns", "wchan", "cmdline", "mountinfo", "mounts", "mountstats", "task"};
    return named(p->entry, entries);
}

bool proc_pid_mode_denied(const RuleInput& in) {
    // /proc/PID entries are owned by the process's user (task_dump_owner) and
    // pass generic_permission() before ptrace_may_access() is asked.
    if (!proc_pid_path(in.event)) return false;
    auto d = dac_denial_for(in);
    return d && !d->no_capability && !d->capability.empty();
}

bool proc_map_files(const RuleInput& in) {
    auto p = proc_pid_path(in.event);
    return p && p->entry == "map_files";
}

bool dev_port_memory(const RuleInput& in) {
    const std::string p = path_or_empty(in.event);
    return is_open(in.event) && (p == "/dev/mem" || p == "/dev/kmem" || p == "/dev/port" ||
                                 (starts_with(p, "/dev/cpu/") && p.size() > 4 && p.substr(p.size() - 4) == "/msr"));
}

bool dev_kmsg(const RuleInput& in) { return is_open(in.event) && path_or_empty(in.event) == "/dev/kmsg"; }

bool kptr_restrict_for_all(const RuleInput& in) { return in.context.kptr_restrict.value_or(0) >= 2; }

bool memfd_path(const RuleInput& in) { return starts_with(path_or_empty(in.event), "/memfd:"); }

bool proc_kmsg(const RuleInput& in) { return is_open(in.event) && path_or_empty(in.event) == "/proc/kmsg"; }

// fs/proc/base.c __set_oom_adj: below oom_score_adj_min needs CAP_SYS_RESOURCE (EACCES).
bool proc_oom_score_adj(const RuleInput& in) {
    const std::string path = path_or_empty(in.event);
    if (!starts_with(path, "/proc/")) return false;
    return path.size() > 14 && (path.compare(path.size() - 14, 14, "/oom_score_adj") == 0 ||
                                path.compare(path.size() - 8, 8, "/oom_adj") == 0);
}

bool securityfs_path(const RuleInput& in) { return starts_with(path_or_empty(in.event), "/sys/kernel/security/"); }

bool ns_last_pid(const RuleInput& in) { return path_or_empty(in.event) == "/proc/sys/kernel/ns_last_pid"; }

bool proc_sys_net_write(const RuleInput& in) { return starts_with(path_or_empty(in.event), "/proc/sys/net/"); }

bool proc_sys_write(const RuleInput& in) { return starts_with(path_or_empty(in.event), "/proc/sys/"); }

// net/core sysctls of the initial namespace whose handlers check
// capable(CAP_SYS_ADMIN) (net/core/sysctl_net_core.c: the BPF JIT knobs,
// high_order_alloc_disable); measured: NET_ADMIN does not let them be written.
bool proc_sys_net_sysadmin_write(const RuleInput& in) {
    const std::string path = path_or_empty(in.event);
    return starts_with(path, "/proc/sys/net/core/bpf_") || path == "/proc/sys/net/core/high_order_alloc_disable";
}

// kernel/umh.c proc_cap_handler: writing usermodehelper/bset or
// inheritable needs CAP_SETPCAP and CAP_SYS_MODULE.
bool proc_sys_usermodehelper_write(const RuleInput& in) {
    return starts_with(path_or_empty(in.event), "/proc/sys/kernel/usermodehelper/");
}

// kernel/ucount.c set_permissions: the user/max_*_namespaces limits are
// read-only (EACCES at open) without CAP_SYS_RESOURCE over the user namespace.
bool proc_sys_user_write(const RuleInput& in) {
    const auto& e = in.event;
    if (!starts_with(path_or_empty(e), "/proc/sys/user/")) return false;
    if (e.name == "write" || e.name == "pwrite64" || e.name == "writev" || e.name == "pwritev" ||
        e.name == "pwritev2" || e.name == "truncate")
        return true;
    auto flags = open_flags(e);  // open/openat/creat for writing
    return flags && (*flags & O_ACCMODE) != O_RDONLY;
}

bool mknod_device(const RuleInput& in) {
    const unsigned mode = static_cast<unsigned>(arg_int(in.event, in.event.name == "mknodat" ? 2 : 1));
    return S_ISCHR(mode) || S_ISBLK(mode);
}

bool clone_namespaces(const RuleInput& in) {
    if (in.event.name == "setns") return true;
    auto flags = clone_flags(in.event);
    return flags && (*flags & namespace_flags) && !(*flags & CLONE_NEWUSER);
}

bool clone_newuser_only(const RuleInput& in) {
    auto flags = clone_flags(in.event);
    return flags && (*flags & CLONE_NEWUSER);
}

bool clone_newuser_userns_clone_off(const RuleInput& in) {
    return clone_newuser_only(in) && in.context.unprivileged_userns_clone == 0;
}

bool clone3_set_tid(const RuleInput& in) {
    return in.event.args_text.find("set_tid") != std::string::npos && !(clone_flags(in.event).value_or(0) & namespace_flags);
}

// security/commoncap.c cap_capset(): the new inheritable set must stay within
// old inheritable | bounding (nobody may exceed that), and within old
// inheritable | permitted unless CAP_SETPCAP; the new permitted set within the
// old one; effective within the new permitted set.
bool capset_raises_permitted(const RuleInput& in) {
    const auto& r = in.context.capset_request;
    return r && (r->permitted & ~in.event.task.cap_prm) != 0;
}

bool capset_beyond_bounding(const RuleInput& in) {
    const auto& r = in.context.capset_request;
    const auto& t = in.event.task;
    return r && (r->inheritable & ~(t.cap_inh | t.cap_bnd)) != 0;
}

// libcap's cap_get_proc(), cap_set_flag(CAP_EFFECTIVE), cap_set_proc() (setcap
// raises SETFCAP so): the permitted set passed back unchanged, the effective
// set asking for what the task never held. Granting it makes the same code
// work; a program that builds a smaller permitted set itself is inconsistent.
bool capset_raises_effective(const RuleInput& in) {
    const auto& r = in.context.capset_request;
    return r && r->permitted == in.event.task.cap_prm && (r->effective & ~r->permitted) != 0;
}

bool capset_effective_beyond_permitted(const RuleInput& in) {
    const auto& r = in.context.capset_request;
    return r && (r->effective & ~r->permitted) != 0;
}

bool capset_setpcap(const RuleInput& in) {
    const auto& r = in.context.capset_request;
    const auto& t = in.event.task;
    return !r || (r->inheritable & ~(t.cap_inh | t.cap_prm)) != 0;
}

bool prctl_capbset_drop(const RuleInput& in) { return prctl_option(in.event) == PR_CAPBSET_DROP; }

bool prctl_ambient_raise(const RuleInput& in) {
    return prctl_option(in.event) == PR_CAP_AMBIENT && arg_int(in.event, 1) == PR_CAP_AMBIENT_RAISE;
}

bool prctl_securebits(const RuleInput& in) { return prctl_option(in.event) == PR_SET_SECUREBITS; }

bool prctl_set_mm(const RuleInput& in) { return prctl_option(in.event) == PR_SET_MM; }

bool prctl_set_mm_map(const RuleInput& in) {
    return prctl_set_mm(in) && (arg_int(in.event, 1) == PR_SET_MM_MAP || arg_int(in.event, 1) == PR_SET_MM_MAP_SIZE);
}

bool shmctl_lock(const RuleInput& in) {
    const int cmd = arg_int(in.event, 1) & ~0x100 /* IPC_64 */;
    return cmd == 11 /* SHM_LOCK */ || cmd == 12 /* SHM_UNLOCK */;
}

bool ipc_ctl_set_rmid(const RuleInput& in) {
    const int cmd = arg_int(in.event, in.event.name == "semctl" ? 2 : 1) & ~0x100 /* IPC_64 */;
    return cmd == 0 /* IPC_RMID */ || cmd == 1 /* IPC_SET */;
}

bool mmap_locked(const RuleInput& in) { return (arg_int(in.event, 3) & MAP_LOCKED) != 0; }

bool mmap_low_address(const RuleInput& in) {
    // security/commoncap.c cap_mmap_addr(): below vm.mmap_min_addr needs SYS_RAWIO.
    return (arg_int(in.event, 3) & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && arg(in.event, 0) < 65536;
}

bool shmget_hugetlb(const RuleInput& in) { return (arg_int(in.event, 2) & 04000 /* SHM_HUGETLB */) != 0; }

bool alarm_clock(const RuleInput& in) {
    const int clock = arg_int(in.event, 0);
    return clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM;
}

bool sched_realtime_held(const RuleInput& in) {
    return cap_has(in.event.task.cap_eff, 23 /* CAP_SYS_NICE */) || in.context.rt_runtime_us == 0L;
}

bool perf_paranoid(const RuleInput&) { return true; }

bool bpf_unprivileged_disabled(const RuleInput&) { return true; }

// mm/mlock.c do_mlock(): locked_vm plus the request over RLIMIT_MEMLOCK
// fails with ENOMEM unless CAP_IPC_LOCK -- ENOMEM also means "not mapped",
// so the task's VmLck decides. mm/mmap.c mlock_future_ok(): a locked
// mapping (MAP_LOCKED, any mapping after mlockall(MCL_FUTURE), memfd_secret)
// over the limit fails with EAGAIN, and mremap(2) growing one likewise.
bool memlock_over_limit(const RuleInput& in) {
    const auto& m = in.context.memlock;
    auto request = memlock_request(in.event);
    return m && m->limit && request && m->locked + *request > *m->limit;
}

// mm/mlock.c mlockall(): MCL_CURRENT compares the whole address space
// (total_vm, VmSize) with RLIMIT_MEMLOCK.
bool mlockall_over_limit(const RuleInput& in) {
    const auto& m = in.context.memlock;
    return (arg_int(in.event, 0) & MCL_CURRENT) && m && m->limit && m->mapped > *m->limit;
}

// ipc/shm.c shmctl_do_lock(): SHM_LOCK over the limit fails with ENOMEM.
bool shmctl_shm_lock(const RuleInput& in) {
    return (arg_int(in.event, 1) & ~0x100 /* IPC_64 */) == 11 /* SHM_LOCK */ && in.context.memlock &&
           in.context.memlock->limit;
}

// io_uring/rsrc.c io_account_mem(): registered buffers are charged to the
// user's locked memory unless the ring was created with CAP_IPC_LOCK.
bool io_uring_buffers(const RuleInput& in) {
    const int opcode = arg_int(in.event, 1);
    return (opcode == 0 /* IORING_REGISTER_BUFFERS */ || opcode == 15 /* IORING_REGISTER_BUFFERS2 */) &&
           in.context.memlock && in.context.memlock->limit;
}

// ipc/mqueue.c mq_attr_ok(): without CAP_SYS_RESOURCE, mq_maxmsg and
// mq_msgsize may not exceed fs.mqueue.msg_max / msgsize_max (EINVAL); with
// it, up to HARD_MSGMAX (65536) and HARD_MSGSIZEMAX (16 MiB).
bool mqueue_attr_over_limit(const RuleInput& in) {
    const auto& r = in.context.mqueue_request;
    if (!r || r->max_messages <= 0 || r->message_size <= 0) return false;
    if (r->max_messages > 65536 || r->message_size > (16 << 20)) return false;
    return (r->msg_max && r->max_messages > *r->msg_max) || (r->msgsize_max && r->message_size > *r->msgsize_max);
}

// ipc/mqueue.c mqueue_create_attr(): fs.mqueue.queues_max reached (ENOSPC)
// unless CAP_SYS_RESOURCE.
bool mqueue_create(const RuleInput& in) { return (arg_int(in.event, 1) & O_CREAT) != 0; }

bool read_only_kernel_interface(const RuleInput& in) {
    auto path = primary_path(in.event);
    return path && read_only_kernel_mount(*path).has_value();
}

// kernel/user_namespace.c verify_root_map() (Linux 5.12+): a uid_map whose
// extent maps host uid 0 needs CAP_SETFCAP in the parent namespace (held
// when the namespace was created, for a task writing its own map).
bool id_map_maps_root(const RuleInput& in) {
    const std::string path = path_or_empty(in.event);
    if (!starts_with(path, "/proc/") || path.size() < 8 || path.compare(path.size() - 8, 8, "/uid_map") != 0)
        return false;
    if (!in.context.written) return false;
    std::istringstream lines(*in.context.written);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        long inside = -1, outside = -1, count = -1;
        if (fields >> inside >> outside >> count && outside == 0 && count > 0) return true;
    }
    return false;
}

bool seccomp_filter(const RuleInput& in) { return in.event.task.seccomp != 0; }

bool lsm_confined(const RuleInput& in) {
    const std::string& label = in.context.lsm_label;
    return !label.empty() && label.find("unconfined") == std::string::npos;
}

bool foreign_user_namespace(const RuleInput& in) { return !in.context.same_userns; }

}  // namespace pred

namespace {

using Facts = std::map<std::string, std::string>;

// The call itself: its name, errno, arguments, paths, the caller.
void add_call_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    f["syscall"] = e.name;
    f["errno"] = errno_name(e.err);
    f["args"] = e.args_text;
    if (auto p = primary_path(e)) f["path"] = shown_path(*p);
    else f["path"] = "the file";
    f["path2"] = e.path2 ? shown_path(*e.path2) : "the file";
    f["uid"] = std::to_string(e.task.fsuid);
    f["euid"] = std::to_string(e.task.euid);
    f["gid"] = std::to_string(e.task.fsgid);
    f["pid"] = std::to_string(e.task.pid);
    f["comm"] = escape_string(e.task.comm);
    f["task_caps"] = cap_list_text(e.task.cap_eff);
    for (int i = 0; i < 6; ++i) f["arg" + std::to_string(i)] = std::to_string(arg_int(e, i));
    if (named(e.name, {"setsockopt", "getsockopt"})) {
        const int level = arg_int(e, 1), option = arg_int(e, 2);
        f["sockopt"] = sockopt_level_name(level).value_or("level " + f["arg1"]) + ", " +
                       sockopt_name(level, option, e.name == "getsockopt").value_or("option " + f["arg2"]);
    }
    if (e.sockaddr) {
        f["port"] = std::to_string(e.sockaddr->port);
        f["address"] = e.sockaddr->text;
    }
}

// The sysctls and security modules that decide some checks.
void add_sysctl_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    const auto& c = in.context;
    auto opt_int = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("unknown"); };
    f["port_start"] = std::to_string(c.ip_unprivileged_port_start);
    f["ping_range"] = c.ping_group_range.empty() ? "unknown" : c.ping_group_range;
    f["perf_paranoid"] = opt_int(c.perf_event_paranoid);
    f["dmesg_restrict"] = opt_int(c.dmesg_restrict);
    f["kptr_restrict"] = opt_int(c.kptr_restrict);
    // The file itself, as it is after the call (a silent chmod).
    if (!c.components.empty() && c.components.back().exists) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", c.components.back().mode & 07777);
        f["file_mode"] = mode;
        f["file_gid"] = std::to_string(c.components.back().gid);
    } else {
        f["file_mode"] = f["file_gid"] = "unknown";
    }
    f["ptrace_scope"] = opt_int(c.ptrace_scope);
    f["ptrace_scope_note"] = c.ptrace_scope ? "; kernel.yama.ptrace_scope is " + std::to_string(*c.ptrace_scope) : "";
    f["protected_hardlinks"] = opt_int(c.protected_hardlinks);
    f["protected_symlinks"] = opt_int(c.protected_symlinks);
    f["protected_regular"] = opt_int(c.protected_regular);
    f["protected_fifos"] = opt_int(c.protected_fifos);
    f["bpf_disabled"] = opt_int(c.unprivileged_bpf_disabled);
    f["userns_clone"] = opt_int(c.unprivileged_userns_clone);
    f["max_userns"] = opt_int(c.max_user_namespaces);
    f["seccomp"] = std::to_string(e.task.seccomp);
    f["lsm_label"] = c.lsm_label.empty() ? "none" : escape_string(c.lsm_label);
    std::string lsms;
    for (const auto& l : c.lsms) lsms += (lsms.empty() ? "" : ",") + l;
    f["lsms"] = lsms.empty() ? "none" : lsms;
    f["rt_runtime"] = c.rt_runtime_us ? std::to_string(*c.rt_runtime_us) : "unknown";
}

// The process a signal, ptrace or the like aimed at.
void add_target_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    const auto& c = in.context;
    if (auto pid = target_pid(e)) f["target_pid"] = std::to_string(*pid);
    else f["target_pid"] = "?";
    if (c.target) {
        f["target_uid"] = ids_text(c.target->uid, c.target->euid);
        f["target_comm"] = escape_string(c.target->comm);
        f["target_caps"] = cap_list_text(c.target->cap_eff);
        f["target"] = "pid " + f["target_pid"] + " (" + f["target_comm"] + ", uid " + f["target_uid"] +
                      ", capabilities: " + f["target_caps"] + ")";
    } else {
        f["target_uid"] = "?";
        f["target"] = "pid " + f["target_pid"] + " (no longer readable)";
    }
    f["tracer"] = c.target_tracer ? std::to_string(*c.target_tracer) : "?";
}

// File capabilities, ambient raises and capset requests.
void add_capability_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    const auto& c = in.context;
    if (c.mount) f["mount_point"] = shown_path(c.mount->mount_point);
    if (c.file_caps_permitted) f["file_caps"] = cap_list_text(*c.file_caps_permitted);
    f["ping_note"] = "";
    if (std::uint64_t missing = exec_missing_caps(in)) {
        f["missing_caps"] = cap_list_text(missing);
        if (e.path && std::string_view(*e.path).substr(e.path->rfind('/') + 1) == "ping")
            f["ping_note"] = "ping: with net.ipv4.ping_group_range covering the group (Docker 20.10+ sets it "
                             "in every container), ping works without NET_RAW once its file capability is "
                             "removed";
        f["file_cap"] = first_cap_name(missing);
        f["file_caps_together"] = missing ? cap_names_text(missing) : "";
    }
    if (pred::prctl_ambient_raise(in)) f["arg_cap"] = cap_name(arg_int(e, 2));
    if (const auto& r = c.capset_request) {
        std::uint64_t missing = r->permitted & ~e.task.cap_prm;
        if (!missing) missing = r->inheritable & ~(e.task.cap_inh | e.task.cap_bnd);
        if (!missing) missing = r->effective & ~r->permitted;
        f["capset_missing"] = cap_list_text(missing);
        f["capset_cap"] = first_cap_name(missing);
        f["capset_together"] = missing ? cap_names_text(missing) : "";
    }
}

// What the call asked for: attribute, flags, netlink request, limits.
void add_request_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    const auto& c = in.context;
    if (auto x = xattr_name(e)) f["xattr"] = escape_string(*x);
    else f["xattr"] = "the attribute";
    if (auto flags = clone_flags(e)) f["clone_flags"] = clone_flags_text(*flags);
    if (e.netlink) f["netlink_request"] = netlink_request_text(*e.netlink);
    if (auto cmd = ioctl_cmd(e)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%#lx", *cmd);
        f["ioctl"] = buf;
    }
    if (named(e.name, {"sched_setscheduler"})) f["policy"] = policy_name(arg_int(e, 1));
    else f["policy"] = "a real-time policy";
    if (e.name == "setpriority") f["nice"] = std::to_string(arg_int(e, 2));
    if (const auto& m = c.memlock) {
        f["memlock_limit"] = m->limit ? bytes_text(*m->limit) : "unlimited";
        f["memlock_locked"] = bytes_text(m->locked);
        f["memlock_mapped"] = bytes_text(m->mapped);
    }
    if (auto request = memlock_request(e)) f["memlock_request"] = bytes_text(*request);
    if (const auto& r = c.mqueue_request) {
        auto limit = [](const std::optional<long>& v) { return v ? std::to_string(*v) : std::string("unknown"); };
        f["mq_request"] = "mq_maxmsg " + std::to_string(r->max_messages) + ", mq_msgsize " +
                          std::to_string(r->message_size);
        f["mq_limits"] = "fs.mqueue.msg_max " + limit(r->msg_max) + ", fs.mqueue.msgsize_max " +
                         limit(r->msgsize_max);
    }
}

// Why the file refused: read-only mount, permission bits, attributes.
void add_file_facts(const RuleInput& in, Facts& f) {
    const auto& e = in.event;
    const auto& c = in.context;
    if (auto p = primary_path(e)) {
        if (auto mount = read_only_kernel_mount(*p)) {
            f["ro_mount"] = *mount;
            f["ro_fix"] = read_only_fix(*p, *mount);
        }
    }
    if (c.written) f["written"] = escape_string(*c.written);
    f["nofile_limit"] = c.nofile_limit ? " (" + std::to_string(*c.nofile_limit) + ")" : "";
    if (auto d = dac_denial_for(in)) {
        f["dac_why"] = d->explanation;
        f["dac_fix"] = d->fix;
        f["dac_cap"] = d->capability;
        f["dac_alt"] = d->alternatives.empty() ? "" : d->alternatives.front();
    }
    if (auto b = attr_block_for(in)) {
        f["attr_why"] = b->explanation;
        f["attr_fix"] = b->fix;
    }
}

}  // namespace

std::map<std::string, std::string> rule_facts(const RuleInput& in) {
    Facts f;
    add_call_facts(in, f);
    add_sysctl_facts(in, f);
    add_target_facts(in, f);
    add_capability_facts(in, f);
    add_request_facts(in, f);
    add_file_facts(in, f);
    return f;
}

}  // namespace capprof
