#pragma once
// Builders for synthetic failing-syscall events and classification contexts
// (in the style of falcosecurity/libs' event test fixtures).
#include <sys/stat.h>

#include <cerrno>
#include <string>
#include <vector>

#include "capprof/syscall_event.hpp"
#include "classify/classifier.hpp"

namespace capprof::testing {

// A task like `docker run --cap-drop ALL`: uid 0, no capabilities.
inline TaskInfo dropped_root_task() {
    TaskInfo t;
    t.tid = t.pid = 4242;
    t.ppid = 1;
    t.comm = "prog";
    t.exe = "/usr/bin/prog";
    return t;
}

class Ev {
public:
    Ev(std::string name, int err) {
        e_.name = std::move(name);
        e_.err = err;
        e_.ret = -err;
        e_.arch = Arch::x86_64;
        e_.task = dropped_root_task();
        e_.proc_root = "/proc/4242/root";
    }
    Ev& arg(int i, std::uint64_t v) { e_.args[static_cast<std::size_t>(i)] = v; return *this; }
    Ev& sarg(int i, long v) { return arg(i, static_cast<std::uint64_t>(v)); }
    Ev& path(std::string p) { e_.path = std::move(p); return *this; }
    Ev& path2(std::string p) { e_.path2 = std::move(p); return *this; }
    Ev& text(std::string t) { e_.args_text = std::move(t); return *this; }
    Ev& inet(int port, int family = 2 /* AF_INET */) {
        SockAddr sa;
        sa.family = family;
        sa.address = family == 2 ? "0.0.0.0" : "::";
        sa.port = port;
        sa.text = "{AF_INET, 0.0.0.0:" + std::to_string(port) + "}";
        e_.sockaddr = sa;
        return *this;
    }
    Ev& sockaddr_family(int family, std::string address) {
        SockAddr sa;
        sa.family = family;
        sa.address = std::move(address);
        e_.sockaddr = sa;
        return *this;
    }
    Ev& socket(int domain, int type, int protocol) {
        e_.sock_domain = domain, e_.sock_type = type, e_.sock_protocol = protocol;
        return *this;
    }
    Ev& netlink(int protocol, int type) {
        NetlinkError nl;
        nl.protocol = protocol;
        nl.request_type = type;
        e_.netlink = nl;
        return *this;
    }
    Ev& cap_eff(std::uint64_t set) { e_.task.cap_eff = e_.task.cap_prm = set; return *this; }
    Ev& seccomp(int mode) { e_.task.seccomp = mode; return *this; }
    Ev& uid(uid_t uid) { e_.task.uid = e_.task.euid = e_.task.suid = e_.task.fsuid = uid; return *this; }
    Ev& groups(gid_t gid, std::vector<gid_t> groups) {
        e_.task.gid = e_.task.egid = e_.task.sgid = e_.task.fsgid = gid;
        e_.task.groups = std::move(groups);
        return *this;
    }
    const SyscallEvent& get() const { return e_; }
    operator const SyscallEvent&() const { return e_; }

private:
    SyscallEvent e_;
};

inline PathComponent dir(std::string path, uid_t uid, gid_t gid, unsigned mode, unsigned attr = 0) {
    PathComponent c;
    c.path = std::move(path);
    c.exists = c.is_dir = true;
    c.mode = S_IFDIR | mode;
    c.uid = uid;
    c.gid = gid;
    c.attr_flags = attr;
    return c;
}

inline PathComponent file(std::string path, uid_t uid, gid_t gid, unsigned mode, unsigned attr = 0) {
    PathComponent c;
    c.path = std::move(path);
    c.exists = true;
    c.mode = S_IFREG | mode;
    c.uid = uid;
    c.gid = gid;
    c.attr_flags = attr;
    return c;
}

inline PathComponent symlink(std::string path, uid_t uid) {
    PathComponent c;
    c.path = std::move(path);
    c.exists = c.is_symlink = true;
    c.mode = S_IFLNK | 0777;
    c.uid = uid;
    return c;
}

inline PathComponent missing(std::string path) {
    PathComponent c;
    c.path = std::move(path);
    return c;
}

inline ClassifyContext host_context() {
    ClassifyContext c;
    c.ip_unprivileged_port_start = 1024;
    c.dmesg_restrict = 1;
    c.perf_event_paranoid = 2;
    c.protected_hardlinks = 1;
    c.protected_symlinks = 1;
    c.protected_regular = 2;
    c.protected_fifos = 1;
    c.ping_group_range = "1 0";
    c.unprivileged_bpf_disabled = 2;
    return c;
}

}  // namespace capprof::testing
