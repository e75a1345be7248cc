// The access each path-taking syscall needs on the path it names: a table,
// a row per family of calls (the DAC walk in dac.cpp reads it). Calls the
// table does not list need search permission on the walk only (stat,
// statfs, getxattr, mount, ...).
#include <fcntl.h>

#include <string_view>

#include "classify/dac.hpp"
#include "classify/event_args.hpp"

namespace capprof {

namespace {

// AT_SYMLINK_NOFOLLOW in the flags argument at `index`.
bool at_nofollow(const SyscallEvent& event, int index) {
    return (arg(event, index) & AT_SYMLINK_NOFOLLOW) != 0;
}

AccessNeed open_need(int flags, bool last_exists) {
    AccessNeed need;
    if (flags & O_PATH) {  // open(2): O_PATH checks only the walk
        need.follow_last = !(flags & O_NOFOLLOW);
        return need;
    }
    switch (flags & O_ACCMODE) {
    case O_RDONLY: need.last = may_read; break;
    case O_WRONLY: need.last = may_write; break;
    default: need.last = may_read | may_write; break;  // O_RDWR, and 3 (ioctl-only)
    }
    if (flags & O_TRUNC) need.last |= may_write;
    if ((flags & O_CREAT) && !last_exists) {
        need.create = true;
        need.last = 0;
    }
    need.change_inode = (need.last & may_write) != 0;
    need.append_only_ok = (flags & O_APPEND) && !(flags & O_TRUNC);
    need.follow_last = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
    return need;
}

// `which` is 1 for event.path, 2 for event.path2.
using NeedOf = AccessNeed (*)(const SyscallEvent& e, int which, bool last_exists);

struct AccessRow {
    std::string_view syscalls;  // space-separated
    NeedOf need;
};

bool lists(std::string_view syscalls, std::string_view name) {
    while (!syscalls.empty()) {
        const std::size_t end = syscalls.find(' ');
        if (syscalls.substr(0, end) == name) return true;
        if (end == std::string_view::npos) break;
        syscalls.remove_prefix(end + 1);
    }
    return false;
}

AccessNeed with(unsigned last, bool follow_last = true) {
    AccessNeed need;
    need.last = last;
    need.follow_last = follow_last;
    return need;
}

AccessNeed creating() {
    AccessNeed need;
    need.create = true;
    need.follow_last = false;
    return need;
}

AccessNeed changing(unsigned last, bool follow_last) {
    AccessNeed need = with(last, follow_last);
    need.change_inode = true;
    return need;
}

const AccessRow access_rows[] = {
    {"open openat openat2 creat",
     [](const SyscallEvent& e, int which, bool last_exists) {
         return which == 1 ? open_need(open_flags(e).value_or(O_RDONLY), last_exists) : AccessNeed{};
     }},
    {"execve execveat uselib",
     [](const SyscallEvent& e, int, bool) {
         return with(may_exec, !(e.name == "execveat" && at_nofollow(e, 4)));
     }},
    {"access faccessat faccessat2",
     [](const SyscallEvent& e, int, bool) {
         const unsigned mode = static_cast<unsigned>(arg_int(e, e.name == "access" ? 1 : 2)) & 7;
         return with(mode, !(e.name == "faccessat2" && at_nofollow(e, 3)));
     }},
    {"chdir chroot", [](const SyscallEvent&, int, bool) { return with(may_exec); }},
    {"mkdir mkdirat mknod mknodat", [](const SyscallEvent&, int, bool) { return creating(); }},
    {"symlink symlinkat",  // path is the link's text, path2 the new name
     [](const SyscallEvent&, int which, bool) { return which == 2 ? creating() : with(0, false); }},
    {"link linkat",
     [](const SyscallEvent& e, int which, bool) {
         // vfs_link refuses immutable/append-only sources; linkat follows
         // a symlink source only with AT_SYMLINK_FOLLOW.
         if (which != 1) return creating();
         return changing(0, e.name == "linkat" && (arg(e, 4) & AT_SYMLINK_FOLLOW));
     }},
    {"rename renameat renameat2",
     [](const SyscallEvent&, int which, bool last_exists) {
         AccessNeed need = with(0, false);
         need.remove = which == 1 || last_exists;
         need.create = !need.remove;
         need.change_inode = which == 1;
         return need;
     }},
    {"unlink unlinkat rmdir",
     [](const SyscallEvent&, int, bool) {
         AccessNeed need = changing(0, false);
         need.remove = true;
         return need;
     }},
    {"truncate truncate64 ftruncate ftruncate64 fallocate",
     [](const SyscallEvent&, int, bool) { return changing(may_write, true); }},
    // With NULL times write permission suffices (utimes(2)); with explicit
    // times only the owner (or FOWNER) may, which fails with EPERM instead.
    {"utime utimes futimesat utimensat",
     [](const SyscallEvent& e, int, bool) {
         return changing(may_write, !(e.name == "utimensat" && at_nofollow(e, 3)));
     }},
    {"chmod fchmodat fchmodat2 chown chown32 fchownat lchown lchown32",
     [](const SyscallEvent& e, int, bool) {
         const bool nofollow = named(e.name, {"lchown", "lchown32"}) ||
                               (e.name == "fchownat" && at_nofollow(e, 4)) ||
                               (e.name == "fchmodat2" && at_nofollow(e, 3));
         return changing(0, !nofollow);
     }},
    // xattr_permission(): user.* needs write permission; other namespaces
    // are decided by capabilities or the owner.
    {"setxattr lsetxattr removexattr lremovexattr",
     [](const SyscallEvent& e, int, bool) {
         const auto name = xattr_name(e);
         const bool user = name && name->rfind("user.", 0) == 0;
         return changing(user ? may_write : 0, e.name[0] != 'l');
     }},
    {"bind", [](const SyscallEvent&, int, bool) { return creating(); }},  // AF_UNIX socket file
    // AF_UNIX: unix_find_bsd() wants MAY_WRITE.
    {"connect sendto sendmsg", [](const SyscallEvent&, int, bool) { return with(may_write); }},
    {"inotify_add_watch fanotify_mark", [](const SyscallEvent&, int, bool) { return with(may_read); }},
    {"acct",  // opened O_WRONLY|O_APPEND
     [](const SyscallEvent&, int, bool) {
         AccessNeed need = changing(may_write, true);
         need.append_only_ok = true;
         return need;
     }},
    {"lstat lstat64 readlink readlinkat lgetxattr llistxattr",
     [](const SyscallEvent&, int, bool) { return with(0, false); }},
    {"newfstatat fstatat64 statx",
     [](const SyscallEvent& e, int, bool) { return with(0, !at_nofollow(e, e.name == "statx" ? 2 : 3)); }},
};

}  // namespace

AccessNeed access_needed(const SyscallEvent& e, int which, bool last_exists) {
    for (const AccessRow& row : access_rows)
        if (lists(row.syscalls, e.name)) return row.need(e, which, last_exists);
    return {};  // stat, statfs, getxattr, mount, ...: search permission only
}

}  // namespace capprof
