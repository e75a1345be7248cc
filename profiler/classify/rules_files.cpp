// Rule rows: files (exec, ownership, modes, attributes, devices, the mode bits).
// Rows are matched in the order rules.cpp concatenates the sections (first
// match wins); each names its predicate (rule_predicates.hpp).
#include "classify/rule_sections.hpp"

namespace capprof::rule_rows {

// exec.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> exec_rules() {
    return {
        {
            .id = "exec-file-caps",
            .syscalls = "execve execveat",
            .err = EPERM,
            .condition = "the file has capabilities (+ep) not in the bounding set",
            .when = exec_file_caps,
            .verdict = cap,
            .capability = "{file_cap}",
            .explanation = "{path} carries file capabilities ({file_caps}, effective): execve fails unless the process may hold "
                "all of them; missing: {missing_caps}",
            .fix = "--cap-add {missing_caps}, or remove the file capabilities (setcap -r) if the program copes "
                "without them",
            .notes = {"{ping_note}"},
            .together = "{file_caps_together}",
        },
    };
}

// Ownership, modes and attributes of files.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> file_attribute_rules() {
    return {
        {
            .id = "chown",
            .syscalls = "chown fchown lchown fchownat chown32 fchown32 lchown32",
            .err = EPERM,
            .condition = "changing owner, or group to one the task is not in",
            .verdict = cap,
            .capability = "CHOWN",
            .explanation = "changing the owner or group of {path} needs CAP_CHOWN (uid {uid} may only change the group of "
                "its own files to a group it is in)",
            .fix = "--cap-add CHOWN, or give the file its owner at build time (COPY --chown, chown in the Dockerfile)",
            .notes = {"needed only when the file is not already owned as wanted: profile the image in the state you ship"},
        },
        {
            .id = "chmod-not-owner",
            .syscalls = "chmod fchmod fchmodat fchmodat2",
            .err = EPERM,
            .condition = "mode change of a file the task does not own",
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "changing the mode of {path} is allowed only to its owner or with CAP_FOWNER (uid {uid} is not the "
                "owner)",
            .fix = "--cap-add FOWNER, or chown the file to the user that runs the program",
        },
        {
            .id = "utimes-not-owner",
            .syscalls = "utime utimes utimensat futimesat",
            .err = EPERM,
            .condition = "setting explicit timestamps on a file the task does not own",
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "setting explicit times on {path} is allowed only to its owner or with CAP_FOWNER",
            .fix = "--cap-add FOWNER, or chown the file to the user that runs the program",
        },
        {
            .id = "sticky-dir",
            .syscalls = "unlink unlinkat rmdir rename renameat renameat2",
            .err = EPERM,
            .condition = "removing another user's file from a sticky directory",
            .when = sticky_dir_not_owner,
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "{path} is in a sticky directory (mode +t): only the file's owner, the directory's owner or "
                "CAP_FOWNER may remove or rename it",
            .fix = "--cap-add FOWNER, or create the file as the user that later removes it",
        },
        {
            .id = "hardlink-protected",
            .syscalls = "link linkat",
            .err = EPERM,
            .condition = "fs.protected_hardlinks and the task does not own the source",
            .when = hardlink_protected,
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "fs.protected_hardlinks is {protected_hardlinks}: linking {path}, which uid {uid} does not own and "
                "cannot both read and write, needs CAP_FOWNER",
            .fix = "--cap-add FOWNER, or copy the file instead of linking it",
        },
        {
            .id = "open-noatime",
            .syscalls = OPENS,
            .err = EPERM,
            .condition = "O_NOATIME on a file the task does not own",
            .when = open_noatime,
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "O_NOATIME is allowed only to the file's owner or with CAP_FOWNER",
            .fix = "--cap-add FOWNER, or open without O_NOATIME",
        },
        {
            .id = "fcntl-noatime",
            .syscalls = "fcntl fcntl64",
            .err = EPERM,
            .condition = "F_SETFL O_NOATIME on a file the task does not own",
            .when = fcntl_noatime,
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "O_NOATIME is allowed only to the file's owner or with CAP_FOWNER",
            .fix = "--cap-add FOWNER, or drop O_NOATIME",
        },
        {
            .id = "lease",
            .syscalls = "fcntl fcntl64",
            .err = 0,
            .condition = "F_SETLEASE on a file the task does not own",
            .when = fcntl_setlease,
            .verdict = cap,
            .capability = "LEASE",
            .alternatives = {"FOWNER"},
            .explanation = "a lease on a file the task does not own needs CAP_LEASE (fs/locks.c generic_setlease)",
            .fix = "--cap-add LEASE, or chown the file to the user that runs the program",
        },
        {
            .id = "pipe-max-size",
            .syscalls = "fcntl fcntl64",
            .err = EPERM,
            .condition = "F_SETPIPE_SZ above fs.pipe-max-size",
            .when = fcntl_pipe_size,
            .verdict = cap,
            .capability = "SYS_RESOURCE",
            .explanation = "growing a pipe beyond fs.pipe-max-size (or the user's pipe quota) needs CAP_SYS_RESOURCE",
            .fix = "--cap-add SYS_RESOURCE, or ask for a pipe size <= fs.pipe-max-size",
        },
        {
            .id = "setfcap",
            .syscalls = XATTR_SETS,
            .err = EPERM,
            .condition = "xattr security.capability",
            .when = xattr_capability,
            .verdict = cap,
            .capability = "SETFCAP",
            .explanation = "setting or removing file capabilities (security.capability on {path}) needs CAP_SETFCAP",
            .fix = "--cap-add SETFCAP, or set file capabilities at build time (setcap in the Dockerfile)",
        },
        {
            .id = "xattr-trusted",
            .syscalls = XATTR_SETS,
            .err = EPERM,
            .condition = "xattr trusted.*",
            .when = xattr_trusted,
            .verdict = cap,
            .capability = "SYS_ADMIN",
            .explanation = "the trusted.* namespace ({xattr}) is writable only with CAP_SYS_ADMIN",
            .fix = "--cap-add SYS_ADMIN, or use the user.* namespace",
        },
        {
            .id = "xattr-smack",
            .syscalls = XATTR_SETS,
            .err = EPERM,
            .condition = "xattr security.SMACK64*",
            .when = xattr_smack,
            .verdict = cap,
            .capability = "MAC_ADMIN",
            .alternatives = {"MAC_OVERRIDE"},
            .explanation = "setting the Smack label {xattr} needs CAP_MAC_ADMIN (Smack only; other LSMs ignore it)",
            .fix = "--cap-add MAC_ADMIN, or label the file outside the container",
        },
        {
            .id = "xattr-security",
            .syscalls = XATTR_SETS,
            .err = EPERM,
            .condition = "xattr security.* other than capability",
            .when = xattr_security_other,
            .verdict = cap,
            .capability = "SYS_ADMIN",
            .explanation = "writing {xattr} needs CAP_SYS_ADMIN unless the LSM owning it decides otherwise "
                "(security/commoncap.c cap_inode_setxattr)",
            .fix = "--cap-add SYS_ADMIN, or set the label outside the container",
        },
        {
            .id = "xattr-owner",
            .syscalls = XATTR_SETS,
            .err = EPERM,
            .condition = "POSIX ACL or user.* xattr of a file the task does not own",
            .when = xattr_acl_or_sticky,
            .verdict = cap,
            .capability = "FOWNER",
            .explanation = "changing {xattr} of {path} is allowed only to the owner or with CAP_FOWNER (ACLs, and user.* in "
                "sticky directories)",
            .fix = "--cap-add FOWNER, or chown the file to the user that runs the program",
        },
        {
            .id = "setflags-not-owner",
            .syscalls = "ioctl",
            .err = EPERM,
            .condition = "FS_IOC_SETFLAGS on a file the task does not own",
            .when = ioctl_setflags_not_owner,
            .verdict = cap,
            .capability = "FOWNER",
            .alternatives = {"LINUX_IMMUTABLE"},
            .explanation = "changing inode flags of {path} is allowed only to its owner or with CAP_FOWNER; setting or clearing "
                "immutable/append-only also needs LINUX_IMMUTABLE",
            .fix = "--cap-add FOWNER (and LINUX_IMMUTABLE for +i/+a), or chown the file",
        },
        {
            .id = "linux-immutable",
            .syscalls = "ioctl",
            .err = EPERM,
            .condition = "FS_IOC_SETFLAGS / FS_IOC_FSSETXATTR changing immutable or append-only",
            .when = ioctl_setflags,
            .verdict = cap,
            .capability = "LINUX_IMMUTABLE",
            .explanation = "setting or clearing the immutable or append-only attribute (ioctl {ioctl}) needs CAP_LINUX_IMMUTABLE",
            .fix = "--cap-add LINUX_IMMUTABLE, or set the attribute outside the container",
        },
        {
            .id = "open-by-handle",
            .syscalls = "open_by_handle_at",
            .err = EPERM,
            .condition = "always",
            .verdict = cap,
            .capability = "DAC_READ_SEARCH",
            .explanation = "open_by_handle_at() bypasses path permissions and needs CAP_DAC_READ_SEARCH",
            .fix = "--cap-add DAC_READ_SEARCH (high risk: lets the container open any file of the mount)",
        },
        {
            .id = "mknod-device",
            .syscalls = "mknod mknodat",
            .err = EPERM,
            .condition = "S_IFCHR or S_IFBLK",
            .when = mknod_device,
            .verdict = cap,
            .capability = "MKNOD",
            .explanation = "creating a device node ({path}) needs CAP_MKNOD",
            .fix = "--cap-add MKNOD, or pass the device in (docker run --device)",
            .notes = {"in a container the device cgroup still decides whether the node can be opened"},
        },
    };
}

// Devices and special files.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> device_rules() {
    return {
        {
            .id = "dev-mem",
            .syscalls = OPENS,
            .err = EPERM,
            .condition = "/dev/mem, /dev/kmem, /dev/port, /dev/cpu/N/msr",
            .when = dev_port_memory,
            .verdict = cap,
            .capability = "SYS_RAWIO",
            .explanation = "opening {path} needs CAP_SYS_RAWIO",
            .fix = "--cap-add SYS_RAWIO (high risk)",
        },
        {
            .id = "dev-kmsg",
            .syscalls = OPENS,
            .err = EPERM,
            .condition = "/dev/kmsg with kernel.dmesg_restrict",
            .when = dev_kmsg,
            .verdict = cap,
            .capability = "SYSLOG",
            .alternatives = {"SYS_ADMIN"},
            .explanation = "reading the kernel log (/dev/kmsg) needs CAP_SYSLOG when kernel.dmesg_restrict is 1 "
                "(it is {dmesg_restrict})",
            .fix = "--cap-add SYSLOG, or read the log on the host",
        },
        {
            .id = "kallsyms-zeroed-for-all",
            .syscalls = OPENS,
            .err = 0,
            .condition = "/proc/kallsyms or /proc/modules read with kernel.kptr_restrict >= 2 (silent: addresses are zeros)",
            .when = kptr_restrict_for_all,
            .verdict = none,
            .capability = "",
            .explanation = "{path} shows every kernel address as zeros because kernel.kptr_restrict is {kptr_restrict}: no "
                "capability reveals them",
            .fix = "lower kernel.kptr_restrict on the host (1 lets CAP_SYSLOG see them), or do without the addresses",
            .silent = true,
        },
        {
            .id = "kallsyms-zeroed",
            .syscalls = OPENS,
            .err = 0,
            .condition = "/proc/kallsyms or /proc/modules read without CAP_SYSLOG (silent: addresses are zeros)",
            .verdict = cap,
            .capability = "SYSLOG",
            .explanation = "the open of {path} succeeded, but without CAP_SYSLOG the kernel shows every address in it as zeros "
                "(kernel.kptr_restrict is {kptr_restrict}, kernel.perf_event_paranoid {perf_paranoid}); a program "
                "that needs the real addresses (a profiler, a symbolizer) gets nothing useful and may not say so",
            .fix = "--cap-add SYSLOG, if the program needs the addresses",
            .silent = true,
        },
        {
            .id = "proc-kmsg",
            .syscalls = OPENS,
            .err = EPERM,
            .condition = "/proc/kmsg",
            .when = proc_kmsg,
            .verdict = cap,
            .capability = "SYSLOG",
            .alternatives = {"SYS_ADMIN"},
            .explanation = "opening /proc/kmsg (the kernel log, as syslog daemons read it) needs CAP_SYSLOG whatever "
                "kernel.dmesg_restrict says (SYS_ADMIN works too, deprecated)",
            .fix = "--cap-add SYSLOG, or leave the kernel log to the host's syslog (most containers should)",
        },
        {
            .id = "oom-score-adj",
            .syscalls = "write pwrite64 writev",
            .err = EACCES,
            .condition = "lowering /proc/PID/oom_score_adj below its minimum",
            .when = proc_oom_score_adj,
            .verdict = cap,
            .capability = "SYS_RESOURCE",
            .explanation = "writing {path} below the process's oom_score_adj_min (lowering its OOM-kill priority) needs "
                "CAP_SYS_RESOURCE",
            .fix = "set it from outside (docker run --oom-score-adj), or --cap-add SYS_RESOURCE; programs such as sshd "
                "carry on without it",
        },
        {
            .id = "securityfs",
            .syscalls = "*",
            .err = 0,
            .condition = "/sys/kernel/security/* (LSM policy files)",
            .when = securityfs_path,
            .verdict = cap,
            .capability = "MAC_ADMIN",
            .explanation = "{path} belongs to an LSM's policy interface; loading or changing policy needs CAP_MAC_ADMIN "
                "(AppArmor, Smack; SELinux decides by its own policy)",
            .fix = "--cap-add MAC_ADMIN only for a policy manager; better load policy on the host",
        },
        {
            .id = "ns-last-pid",
            .syscalls = "*",
            .err = 0,
            .condition = "/proc/sys/kernel/ns_last_pid",
            .when = ns_last_pid,
            .verdict = cap,
            .capability = "CHECKPOINT_RESTORE",
            .alternatives = {"SYS_ADMIN"},
            .explanation = "writing /proc/sys/kernel/ns_last_pid needs CAP_CHECKPOINT_RESTORE (or SYS_ADMIN)",
            .fix = "--cap-add CHECKPOINT_RESTORE",
            .notes = {docker_old_name},
        },
        {
            .id = "sysctl-usermodehelper",
            .syscalls = "*",
            .err = EPERM,
            .condition = "write to /proc/sys/kernel/usermodehelper/*",
            .when = proc_sys_usermodehelper_write,
            .verdict = cap,
            .capability = "SETPCAP",
            .explanation = "writing {path} needs both CAP_SETPCAP and CAP_SYS_MODULE (it limits the capabilities of programs "
                "the kernel starts)",
            .fix = "set it on the host; --cap-add SETPCAP --cap-add SYS_MODULE gives the container the power to load "
                "kernel modules",
            .together = "SYS_MODULE",
        },
        {
            .id = "sysctl-user-namespaces",
            .syscalls = "*",
            .err = EACCES,
            .condition = "opening /proc/sys/user/* for writing",
            .when = proc_sys_user_write,
            .verdict = cap,
            .capability = "SYS_RESOURCE",
            .explanation = "the limits under /proc/sys/user are read-only without CAP_SYS_RESOURCE over the user namespace "
                "(whatever their file mode says)",
            .fix = "set {path} on the host, or --cap-add SYS_RESOURCE",
        },
        {
            .id = "sysctl-net-sysadmin",
            .syscalls = "*",
            .err = EPERM,
            .condition = "write to the BPF JIT and allocator knobs of /proc/sys/net/core",
            .when = proc_sys_net_sysadmin_write,
            .verdict = cap,
            .capability = "SYS_ADMIN",
            .explanation = "writing {path} needs CAP_SYS_ADMIN: it is host-wide, not part of a network namespace",
            .fix = "set it on the host",
        },
        {
            .id = "sysctl-net",
            .syscalls = "*",
            .err = EPERM,
            .condition = "write to /proc/sys/net/*",
            .when = proc_sys_net_write,
            .verdict = cap,
            .capability = "NET_ADMIN",
            .explanation = "writing the network sysctl {path} needs CAP_NET_ADMIN over the network namespace",
            .fix = "--cap-add NET_ADMIN, or set it with docker run --sysctl",
        },
        {
            .id = "sysctl",
            .syscalls = "*",
            .err = EPERM,
            .condition = "write to /proc/sys/* (handlers checking CAP_SYS_ADMIN)",
            .when = proc_sys_write,
            .verdict = cap,
            .capability = "SYS_ADMIN",
            .explanation = "writing {path} needs CAP_SYS_ADMIN (proc_dointvec_minmax_sysadmin and similar handlers)",
            .fix = "set the sysctl on the host, or --cap-add SYS_ADMIN (critical risk)",
        },
    };
}

// File permissions (the mode bits).
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> file_permission_rules() {
    return {
        {
            .id = "file-permission",
            .syscalls = "*",
            .err = EACCES,
            .condition = "the mode bits of a path component refuse the access",
            .when = dac_denied,
            .verdict = file,
            .capability = "{dac_cap}",
            .alternatives = {"{dac_alt}"},
            .explanation = "{dac_why}",
            .fix = "{dac_fix}",
        },
    };
}

}  // namespace capprof::rule_rows
