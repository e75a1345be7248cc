#pragma once
// Directories a suggested fix must never make writable, widen or give to
// another owner: "/", a chroot directory (vsftpd refuses to run with a
// writable root inside chroot(); sshd refuses a ChrootDirectory others can
// write), top-level directories, and the trees that hold the system's
// configuration and programs (/etc, /usr, /boot, ...): making them writable
// lets the user replace what root later runs or reads.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capprof {

struct FixLimits {
    std::string root_on_host = "/";        // the task's root as the host sees it
    std::vector<std::string> chroot_dirs;  // named by chrooting daemons' configuration (task's view)
};

struct Protection {
    std::string reason;   // why the directory must keep its owner and mode
    bool chroot = false;  // a chroot: a subdirectory inside it is the narrow fix
};

// Why directory `dir` (absolute, in the task's view) must keep its owner
// and mode; nullopt when a chmod/chown of it is an acceptable fix.
std::optional<Protection> protected_dir_reason(const std::string& dir, const FixLimits& limits);

// Whether `path` lies in a tree of configuration or programs (/etc, /usr,
// /boot, /bin, /sbin, /lib*), where granting "other" access is never narrow.
bool in_system_tree(std::string_view path);

// `path` with the host's view added when the task is chrooted:
// "/ (/srv/ftp on the host)".
std::string path_with_host_view(const std::string& path, const FixLimits& limits);

// Chroot directories named in a vsftpd configuration (secure_chroot_dir,
// anon_root, local_root) or an sshd_config (ChrootDirectory, except values
// with %-tokens and "none").
std::vector<std::string> vsftpd_chroot_dirs(std::string_view config);
std::vector<std::string> sshd_chroot_dirs(std::string_view config);

}  // namespace capprof
