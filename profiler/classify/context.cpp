// gather_context(): the I/O half of classification. It runs as root on paths
// the workload chose, so it only reads, never opens anything for writing, and
// resolves every path with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
// under the task's /proc/TID/root (Linux 5.6+): a symlink planted by the
// workload cannot lead outside the task's root, and /proc magic links are
// refused. It inspects the workload's files through O_PATH descriptors and
// does not open them for reading where statx, getxattr or libcap can answer:
// an open, even O_RDONLY|O_NONBLOCK, breaks a lease the workload holds.
// /proc/self and /proc/thread-self mean the task, not capprof.
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include "classify/call_facts.hpp"
#include "capprof/proc_status.hpp"
#include "classify/context.hpp"
#include "classify/dac.hpp"
#include "classify/protected_dirs.hpp"
#include "classify/event_args.hpp"
#include "classify/task_limits.hpp"

namespace capprof {

namespace {

constexpr std::size_t max_components = 64;
constexpr std::size_t max_small_file = 1 << 16;
constexpr std::size_t max_mountinfo = 4 << 20;

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

private:
    int fd_;
};

std::optional<std::string> read_file(const std::string& path, std::size_t limit = max_small_file) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.ok()) return std::nullopt;
    std::string out;
    char buf[8192];
    while (out.size() < limit) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0' || s.back() == ' ')) s.pop_back();
    return s;
}

std::optional<int> read_sysctl(const char* name) {
    auto text = read_file(std::string("/proc/sys/") + name);
    if (!text) return std::nullopt;
    try {
        return std::stoi(*text);
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<std::string> read_link(const std::string& path) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
}

// Namespaces are compared by their "net:[4026531840]" link text; readlink of
// /proc/TID/ns/* works while the task is ptrace-stopped.
bool same_namespace(pid_t tid, const char* ns) {
    auto theirs = read_link("/proc/" + std::to_string(tid) + "/ns/" + ns);
    auto ours = read_link(std::string("/proc/self/ns/") + ns);
    return !theirs || !ours || *theirs == *ours;
}

int openat2_in_root(int root, const std::string& relative, std::uint64_t flags) {
    open_how how{};
    how.flags = flags | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const char* name = relative.empty() ? "." : relative.c_str();
    return static_cast<int>(::syscall(SYS_openat2, root, name, &how, sizeof how));
}

// "/proc/self/fd/N": path-based calls through it reach the inode of an
// O_PATH descriptor without opening the file.
std::string fd_link(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// A readable descriptor of exactly the inode `opath` refers to (reopened
// through /proc/self/fd, so no path is resolved again), for regular files and
// directories only: opening a device or FIFO could have side effects.
int reopen_readonly(int opath, mode_t mode) {
    if (!S_ISREG(mode) && !S_ISDIR(mode)) return -1;
    const std::string self = fd_link(opath);
    int fd = ::open(self.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = ::open(self.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    return fd;
}

// Filesystems where even reading an inode's attributes may block (FUSE
// served by the stopped workload) or run code (procfs, sysfs, securityfs):
// they hold no inode flags or ACLs worth the risk.
bool attributes_worth_reading(int opath) {
    struct statfs fs {};
    if (::fstatfs(opath, &fs) != 0) return false;
    switch (static_cast<unsigned long>(fs.f_type)) {
    case PROC_SUPER_MAGIC:
    case SYSFS_MAGIC:
    case SECURITYFS_MAGIC:
    case DEBUGFS_MAGIC:
    case TRACEFS_MAGIC:
    case 0x65735546UL:  // FUSE_SUPER_MAGIC
        return false;
    default:
        return true;
    }
}

// Whether /proc/locks lists a lease on the inode (fcntl(2) F_SETLEASE):
// opening the file, even O_RDONLY|O_NONBLOCK, would break it -- the holder
// gets SIGIO and a write lease is downgraded.
bool has_lease(const struct stat& st) {
    auto locks = read_file("/proc/locks", max_mountinfo);
    if (!locks) return true;  // cannot tell: do not risk it
    char inode[64];
    std::snprintf(inode, sizeof inode, " %02x:%02x:%llu ", major(st.st_dev), minor(st.st_dev),
                  static_cast<unsigned long long>(st.st_ino));
    std::istringstream lines(*locks);
    for (std::string line; std::getline(lines, line);)
        if (line.find(" LEASE ") != std::string::npos && line.find(inode) != std::string::npos) return true;
    return false;
}

// Immutable/append-only flags without opening the file: statx(2) reports
// them where the filesystem fills stx_attributes_mask (ext4, xfs, btrfs,
// tmpfs...). Elsewhere FS_IOC_GETFLAGS needs an open descriptor: taken for
// directories (no lease can be held on them) and for files with no lease.
unsigned attribute_flags(int opath, const struct stat& st) {
    struct statx stx {};
    constexpr std::uint64_t wanted = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND;
    if (::statx(opath, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 &&
        (stx.stx_attributes_mask & wanted) == wanted) {
        unsigned flags = 0;
        if (stx.stx_attributes & STATX_ATTR_IMMUTABLE) flags |= FS_IMMUTABLE_FL;
        if (stx.stx_attributes & STATX_ATTR_APPEND) flags |= FS_APPEND_FL;
        return flags;
    }
    if (!S_ISDIR(st.st_mode) && !(S_ISREG(st.st_mode) && !has_lease(st))) return 0;
    Fd fd(reopen_readonly(opath, st.st_mode));
    int flags = 0;
    if (!fd.ok() || ::ioctl(fd.get(), FS_IOC_GETFLAGS, &flags) != 0) return 0;
    return static_cast<unsigned>(flags);
}

PathComponent describe(int opath, const std::string& path) {
    PathComponent c;
    c.path = path;
    struct stat st {};
    if (::fstatat(opath, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) return c;
    c.exists = true;
    c.is_dir = S_ISDIR(st.st_mode);
    c.is_symlink = S_ISLNK(st.st_mode);
    c.mode = st.st_mode;
    c.uid = st.st_uid;
    c.gid = st.st_gid;
    if (c.is_symlink || !attributes_worth_reading(opath)) return c;
    c.attr_flags = attribute_flags(opath, st);
    // fgetxattr refuses O_PATH descriptors; getxattr through the fd link
    // does not open the file.
    c.has_acl = ::getxattr(fd_link(opath).c_str(), "system.posix_acl_access", nullptr, 0) >= 0;
    return c;
}

// The task's own ids as its /proc shows them (NStgid/NSpid: the innermost
// pid namespace), for paths through /proc/self and /proc/thread-self.
struct ProcIds {
    pid_t pid = 0, tid = 0;
};

// /proc/self is a symlink to the pid of whoever resolves it: opened by
// capprof it would lead to capprof's own entry. `path` as the task sees it.
std::string task_view(const std::string& path, const ProcIds& ids) {
    if (ids.pid <= 0) return path;
    for (auto [link, target] : {std::pair<std::string, std::string>{"/proc/self", "/proc/" + std::to_string(ids.pid)},
                                {"/proc/thread-self", "/proc/" + std::to_string(ids.pid) + "/task/" +
                                                          std::to_string(ids.tid)}}) {
        if (path.rfind(link, 0) == 0 && (path.size() == link.size() || path[link.size()] == '/'))
            return target + path.substr(link.size());
    }
    return path;
}

// Every component of `path` from "/", as the task sees it. A symlink is
// recorded itself and then, when the walk goes through it (or the syscall
// follows a final one), once more as what it points to, under the same path.
std::vector<PathComponent> walk(int root, const std::string& path, bool follow_last, const ProcIds& ids) {
    std::vector<PathComponent> out;
    if (path.empty() || path[0] != '/') return out;
    {
        Fd fd(openat2_in_root(root, "", O_PATH));
        if (!fd.ok()) return out;
        out.push_back(describe(fd.get(), "/"));
    }
    std::vector<std::string> parts;
    std::stringstream ss(path);
    for (std::string part; std::getline(ss, part, '/');)
        if (!part.empty() && part != ".") parts.push_back(part);
    std::string prefix;
    for (std::size_t i = 0; i < parts.size() && out.size() < max_components; ++i) {
        prefix += "/" + parts[i];
        const std::string relative = task_view(prefix, ids).substr(1);
        Fd fd(openat2_in_root(root, relative, O_PATH | O_NOFOLLOW));
        if (!fd.ok()) {
            PathComponent missing;
            missing.path = prefix;
            out.push_back(missing);
            break;
        }
        out.push_back(describe(fd.get(), prefix));
        const bool last = i + 1 == parts.size();
        if (out.back().is_symlink && (!last || follow_last)) {
            Fd target(openat2_in_root(root, relative, O_PATH));
            if (!target.ok()) break;
            out.push_back(describe(target.get(), prefix));
        }
    }
    return out;
}

std::string unescape_mountinfo(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            int v = 0;
            bool octal = true;
            for (int k = 1; k <= 3; ++k) {
                char d = s[i + static_cast<std::size_t>(k)];
                if (d < '0' || d > '7') octal = false;
                v = v * 8 + (d - '0');
            }
            if (octal) {
                out += static_cast<char>(v);
                i += 3;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

bool has_option(const std::string& options, const char* name) {
    std::stringstream ss(options);
    for (std::string o; std::getline(ss, o, ',');)
        if (o == name) return true;
    return false;
}

// The mount holding `path` in the task's mount table (mount points in
// /proc/TID/mountinfo are relative to the task's root, like its paths).
std::optional<MountInfo> find_mount(pid_t tid, const std::string& path) {
    auto text = read_file("/proc/" + std::to_string(tid) + "/mountinfo", max_mountinfo);
    if (!text) return std::nullopt;
    std::optional<MountInfo> best;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string id, parent, devno, root, mount_point, options;
        if (!(fields >> id >> parent >> devno >> root >> mount_point >> options)) continue;
        mount_point = unescape_mountinfo(mount_point);
        const bool inside = mount_point == "/" || path == mount_point ||
                            (path.rfind(mount_point, 0) == 0 && path.size() > mount_point.size() &&
                             path[mount_point.size()] == '/');
        if (!inside || (best && best->mount_point.size() > mount_point.size())) continue;
        MountInfo m;
        m.mount_point = mount_point;
        m.read_only = has_option(options, "ro");
        m.nosuid = has_option(options, "nosuid");
        m.noexec = has_option(options, "noexec");
        m.nodev = has_option(options, "nodev");
        best = m;   // later lines stack on top of earlier ones at the same point
    }
    return best;
}

// File capabilities of the executable (libcap reads security.capability).
void read_file_caps(int root, const std::string& path, ClassifyContext& context) {
    Fd opath(openat2_in_root(root, path.substr(1), O_PATH));
    if (!opath.ok()) return;
    struct stat st {};
    if (::fstat(opath.get(), &st) != 0 || !S_ISREG(st.st_mode) || !attributes_worth_reading(opath.get())) return;
    // Through the O_PATH descriptor's link: the file is not opened.
    cap_t caps = cap_get_file(fd_link(opath.get()).c_str());
    if (!caps) return;
    std::uint64_t permitted = 0;
    bool effective = false;
    for (int cap = 0; cap < 64 && cap <= CAP_LAST_CAP + 8; ++cap) {
        cap_flag_value_t p = CAP_CLEAR, e = CAP_CLEAR;
        if (cap_get_flag(caps, cap, CAP_PERMITTED, &p) != 0) break;
        cap_get_flag(caps, cap, CAP_EFFECTIVE, &e);
        if (p == CAP_SET) permitted |= std::uint64_t{1} << cap;
        if (e == CAP_SET) effective = true;
    }
    cap_free(caps);
    context.file_caps_permitted = permitted;
    context.file_caps_effective = effective;
}

std::optional<pid_t> tracer_of(pid_t pid) {
    auto status = read_file("/proc/" + std::to_string(pid) + "/status");
    if (!status) return std::nullopt;
    auto at = status->find("\nTracerPid:");
    if (at == std::string::npos) return std::nullopt;
    return static_cast<pid_t>(std::atoi(status->c_str() + at + 11));
}

// cgroup v1 cpu.rt_runtime_us of the task's cpu cgroup (absent on cgroup v2).
std::optional<long> rt_runtime(pid_t tid) {
    auto text = read_file("/proc/" + std::to_string(tid) + "/cgroup");
    if (!text) return std::nullopt;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        auto first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        if (!has_option(controllers, "cpu")) continue;
        const std::string dir = line.substr(second + 1);
        if (dir.find("..") != std::string::npos) return std::nullopt;
        auto value = read_file("/sys/fs/cgroup/" + controllers + dir + "/cpu.rt_runtime_us");
        if (!value) return std::nullopt;
        try {
            return std::stol(*value);
        } catch (...) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// The task's ids in the pid namespace of its /proc (NStgid, NSpid), read
// only for a path through /proc/self or /proc/thread-self.
ProcIds proc_ids(pid_t tid, const SyscallEvent& e) {
    auto through_self = [](const std::optional<std::string>& p) {
        return p && (p->rfind("/proc/self", 0) == 0 || p->rfind("/proc/thread-self", 0) == 0);
    };
    if (tid <= 0 || !(through_self(e.path) || through_self(e.path2))) return {};
    auto status = read_file("/proc/" + std::to_string(tid) + "/status");
    if (!status) return {};
    ProcIds ids;
    ids.pid = innermost_id(*status, "NStgid").value_or(0);
    ids.tid = innermost_id(*status, "NSpid").value_or(0);
    return ids;
}

// Chroot directories named by the configuration of chrooting daemons, as
// the task sees them: vsftpd's (its standard places, and the file named
// on a vsftpd command line) and sshd's ChrootDirectory.
std::vector<std::string> configured_chroot_dirs(int root, pid_t tid, const SyscallEvent& e) {
    auto read_in_root = [root](const std::string& path) -> std::string {
        if (path.empty() || path[0] != '/') return {};
        Fd fd(openat2_in_root(root, path.substr(1), O_RDONLY | O_NONBLOCK | O_NOCTTY));
        struct stat st {};
        if (!fd.ok() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
        return read_file(fd_link(fd.get())).value_or("");
    };
    std::vector<std::string> vsftpd_configs = {"/etc/vsftpd.conf", "/etc/vsftpd/vsftpd.conf"};
    if (tid > 0 && e.task.exe.size() >= 7 && e.task.exe.compare(e.task.exe.size() - 7, 7, "/vsftpd") == 0) {
        // vsftpd [-oOPTION]... [CONFIG]...: the arguments that are not options.
        std::istringstream args(read_file("/proc/" + std::to_string(tid) + "/cmdline").value_or(""));
        std::string arg;
        std::getline(args, arg, '\0');  // argv[0]
        while (std::getline(args, arg, '\0'))
            if (!arg.empty() && arg[0] == '/') vsftpd_configs.push_back(arg);
    }
    std::vector<std::string> out;
    for (const auto& config : vsftpd_configs)
        for (auto& dir : vsftpd_chroot_dirs(read_in_root(config))) out.push_back(std::move(dir));
    for (auto& dir : sshd_chroot_dirs(read_in_root("/etc/ssh/sshd_config"))) out.push_back(std::move(dir));
    return out;
}

pid_t task_tid(const SyscallEvent& e) {
    if (e.task.tid > 0) return e.task.tid;
    if (e.proc_root.rfind("/proc/", 0) == 0) return static_cast<pid_t>(std::atoi(e.proc_root.c_str() + 6));
    return 0;
}

}  // namespace

ClassifyContext gather_context(const SyscallEvent& event) {
    ClassifyContext c;
    if (auto v = read_sysctl("net/ipv4/ip_unprivileged_port_start")) c.ip_unprivileged_port_start = *v;
    c.ptrace_scope = read_sysctl("kernel/yama/ptrace_scope");
    c.dmesg_restrict = read_sysctl("kernel/dmesg_restrict");
    c.kptr_restrict = read_sysctl("kernel/kptr_restrict");
    c.perf_event_paranoid = read_sysctl("kernel/perf_event_paranoid");
    c.protected_hardlinks = read_sysctl("fs/protected_hardlinks");
    c.protected_symlinks = read_sysctl("fs/protected_symlinks");
    c.protected_regular = read_sysctl("fs/protected_regular");
    c.protected_fifos = read_sysctl("fs/protected_fifos");
    c.unprivileged_bpf_disabled = read_sysctl("kernel/unprivileged_bpf_disabled");
    c.unprivileged_userns_clone = read_sysctl("kernel/unprivileged_userns_clone");
    c.max_user_namespaces = read_sysctl("user/max_user_namespaces");
    if (auto range = read_file("/proc/sys/net/ipv4/ping_group_range")) {
        std::string r = trimmed(*range);
        for (char& ch : r)
            if (ch == '\t') ch = ' ';
        c.ping_group_range = r;
    }
    if (auto lsm = read_file("/sys/kernel/security/lsm")) {
        std::stringstream ss(trimmed(*lsm));
        for (std::string name; std::getline(ss, name, ',');)
            if (!name.empty()) c.lsms.push_back(name);
    }

    const pid_t tid = task_tid(event);
    if (tid > 0) {
        c.same_netns = same_namespace(tid, "net");
        c.same_userns = same_namespace(tid, "user");
        if (auto label = read_file("/proc/" + std::to_string(tid) + "/attr/current")) c.lsm_label = trimmed(*label);
        c.rt_runtime_us = rt_runtime(tid);
        gather_call_facts(tid, event, c);
    }

    if (auto pid = target_pid(event); pid && *pid > 0) {
        c.target = read_task_info(*pid);
        if (c.target) c.target_tracer = tracer_of(*pid);
    }

    const std::string root_path = !event.proc_root.empty() ? event.proc_root
                                  : tid > 0              ? "/proc/" + std::to_string(tid) + "/root"
                                                         : std::string();
    if (root_path.empty()) return c;
    // Following /proc/TID/root (a magic link) is intended: it is the task's root.
    Fd root(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root.ok()) return c;
    c.root_on_host = read_link(root_path).value_or("/");
    const ProcIds ids = proc_ids(tid, event);
    if (auto path = primary_path(event)) {
        // Fixes of a file-permission denial (EACCES) must not widen a chroot.
        if (event.err == EACCES) c.chroot_dirs = configured_chroot_dirs(root.get(), tid, event);
        c.components = walk(root.get(), *path, follows_last_symlink(event, 1), ids);
        if (tid > 0) c.mount = find_mount(tid, *path);
        if ((event.name == "execve" || event.name == "execveat") && !path->empty() && (*path)[0] == '/')
            read_file_caps(root.get(), *path, c);
    }
    if (event.path2) c.components2 = walk(root.get(), *event.path2, follows_last_symlink(event, 2), ids);
    return c;
}

}  // namespace capprof
