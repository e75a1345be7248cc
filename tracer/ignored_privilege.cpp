#include "ignored_privilege.hpp"

#include <endian.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "capprof/proc_status.hpp"

namespace capprof {

namespace {

constexpr int cap_sys_ptrace = 19;  // CAP_SYS_PTRACE

// The permitted set of a security.capability xattr (struct vfs_cap_data,
// revisions 2 and 3; revision 3 adds a root uid, which changes nothing here).
CapSet file_permitted(const std::string& path) {
    vfs_ns_cap_data data{};
    ssize_t n = ::getxattr(path.c_str(), "security.capability", &data, sizeof data);
    if (n < static_cast<ssize_t>(XATTR_CAPS_SZ_2)) return 0;
    const std::uint32_t revision = le32toh(data.magic_etc) & VFS_CAP_REVISION_MASK;
    if (revision != VFS_CAP_REVISION_2 && revision != VFS_CAP_REVISION_3) return 0;
    return static_cast<CapSet>(le32toh(data.data[0].permitted)) |
           static_cast<CapSet>(le32toh(data.data[1].permitted)) << 32;
}

}  // namespace

IgnoredPrivilegeCheck::IgnoredPrivilegeCheck() {
    // ptracer_capable() asks for CAP_SYS_PTRACE in the credentials capprof
    // attaches with: its effective set now.
    auto self = read_task_info(::getpid());
    active_ = self && !cap_has(self->cap_eff, cap_sys_ptrace);
}

void IgnoredPrivilegeCheck::on_exec(pid_t tid) {
    if (!active_) return;
    const std::string link = "/proc/" + std::to_string(tid) + "/exe";
    struct stat st {};
    if (::stat(link.c_str(), &st) != 0) return;
    const bool setid = (st.st_mode & S_ISUID) || ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP));
    const CapSet file_caps = file_permitted(link);
    if (!setid && !file_caps) return;
    // Untraced it would not gain either: a nosuid mount, or no_new_privs.
    struct statvfs fs {};
    if (::statvfs(link.c_str(), &fs) == 0 && (fs.f_flag & ST_NOSUID)) return;
    auto task = read_task_info(tid);
    if (!task || task->no_new_privs) return;
    IgnoredPrivilege found;
    found.exe = task->exe;
    found.setuid = (st.st_mode & S_ISUID) && st.st_uid != task->euid;
    found.setgid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != task->egid;
    // What execve would have added: file capabilities within the bounding set.
    found.file_caps = file_caps & task->cap_bnd & ~task->cap_prm;
    if (!found.setuid && !found.setgid && !found.file_caps) return;
    if (std::any_of(found_.begin(), found_.end(), [&](const auto& f) { return f.exe == found.exe; })) return;
    spdlog::debug("{} would have gained privilege at execve, but runs traced without it", found.exe);
    found_.push_back(std::move(found));
}

}  // namespace capprof
