#include "classify/rules.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "classify/rule_predicates.hpp"

namespace capprof {

namespace {

constexpr Verdict cap = Verdict::capability;
constexpr Verdict file = Verdict::file_permission;
constexpr Verdict none = Verdict::not_capability;

// Syscall groups shared by several rows.
#define OPENS "open openat openat2 creat"
#define PATH_CHANGES                                                                         \
    "open openat openat2 creat truncate truncate64 ftruncate ftruncate64 fallocate chmod fchmod fchmodat fchmodat2 chown "   \
    "fchown lchown fchownat chown32 fchown32 lchown32 utime utimes utimensat futimesat "      \
    "setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr unlink unlinkat "    \
    "rmdir rename renameat renameat2 link linkat mkdir mkdirat mknod mknodat symlink "       \
    "symlinkat bind acct"
#define KILLS "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal"
#define PTRACES "ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd get_robust_list process_madvise"
#define XATTR_SETS "setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr setxattrat removexattrat"
#define SCHED_SETS "sched_setscheduler sched_setparam sched_setattr"
#define IPC_CTLS "msgctl shmctl semctl"

const char* const docker_old_name =
    "dockerd before 23.0 rejects this name in --cap-add; there, add SYS_ADMIN (a superset)";

std::vector<Rule> make_rules() {
    using namespace pred;
    return {
        // --- failures reported inside a netlink reply (NLMSG_ERROR) ---
        {"netlink-audit-user", "*", 0, "netlink reply: AUDIT_USER* message refused", netlink_audit_user, cap,
         "AUDIT_WRITE", {},
         "sending a user-space audit record ({netlink_request}) needs CAP_AUDIT_WRITE",
         "--cap-add AUDIT_WRITE", {}},
        {"netlink-audit-control", "*", 0, "netlink reply: audit control message refused", netlink_audit_control,
         cap, "AUDIT_CONTROL", {},
         "configuring the audit subsystem ({netlink_request}) needs CAP_AUDIT_CONTROL (initial namespaces only)",
         "--cap-add AUDIT_CONTROL", {}},
        {"netlink-netfilter", "*", 0, "netlink reply: nfnetlink (nftables, iptables-nft, conntrack) request refused",
         netlink_netfilter_request, cap, "NET_ADMIN", {},
         "the kernel refused the {netlink_request} request in its netlink reply: nftables, iptables-nft and "
         "conntrack need CAP_NET_ADMIN over the network namespace, even to list rules",
         "--cap-add NET_ADMIN, or set the firewall up from outside the container (on the host, or in the "
         "network namespace before the workload starts)",
         {}},
        {"netlink-net-admin", "*", 0, "netlink reply: rtnetlink/netfilter request refused", netlink_route_request,
         cap, "NET_ADMIN", {},
         "the kernel refused the {netlink_request} request in its netlink reply: changing links, addresses, "
         "routes, rules or qdiscs needs CAP_NET_ADMIN",
         "--cap-add NET_ADMIN, or configure the network outside the container (docker network, CNI)", {}},
        // --- causes no capability fixes: attributes, mounts, sysctls, capprof itself ---
        {"ptrace-traceme", "ptrace", EPERM, "PTRACE_TRACEME while capprof traces the task", ptrace_traceme, none,
         "", {},
         "PTRACE_TRACEME failed because capprof is already tracing this task (a task has one tracer)",
         "profile the program without its self-tracing, or run it outside capprof to check", {}},
        {"epoll-unsupported", "epoll_ctl", EPERM, "the file cannot be polled", nullptr, none, "", {},
         "epoll_ctl() refuses a file that cannot be polled (a regular file or directory) with EPERM: not a "
         "permission check; programs that poll their stdin or stdout (Go, libuv) try it and carry on",
         "nothing to grant: it happens when input or output is a file", {}},
        {"setsid-leader", "setsid", EPERM, "the caller already leads a process group", nullptr, none, "", {},
         "setsid() fails with EPERM when the caller already leads a process group: not a permission check",
         "nothing to grant; fork first and call setsid() in the child (as setsid(1) does)", {}},
        {"setpgid-session", "setpgid", EPERM, "a session leader, or a group in another session", nullptr, none,
         "", {},
         "setpgid() fails with EPERM for a session leader or for a group in another session: not a "
         "permission check",
         "nothing to grant", {}},
        {"memfd-sealed", "write pwrite64 writev pwritev pwritev2 ftruncate ftruncate64 fallocate fcntl fcntl64",
         EPERM, "a sealed memfd", memfd_path, none, "", {},
         "{path} is a memfd whose seals (F_SEAL_WRITE, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_SEAL) forbid this: "
         "not a permission check",
         "nothing to grant: the program (or whoever passed it the memfd) sealed it", {}},
        {"ptrace-target-traced", "ptrace", EPERM, "PTRACE_ATTACH/SEIZE of a task that already has a tracer",
         ptrace_target_traced, none, "", {},
         "the target {target} is already traced by pid {tracer} (capprof traces every task of the workload)",
         "this failure comes from profiling itself; check the program outside capprof", {}},
        {"ptrace-scope-3", PTRACES " " OPENS, 0, "kernel.yama.ptrace_scope = 3", ptrace_scope_forbids, none, "",
         {}, "kernel.yama.ptrace_scope is {ptrace_scope}: ptrace attach is disabled for everyone, "
             "whatever the capabilities",
         "nothing in the container can fix it; on the host a reboot is needed to lower ptrace_scope from 3", {}},
        {"immutable-file", PATH_CHANGES, EPERM, "an inode on the path has chattr +i or +a", attr_blocked, none, "",
         {}, "{attr_why}", "{attr_fix}", {}},
        {"read-only-kernel-interface", OPENS " truncate truncate64 mkdir mkdirat rmdir unlink unlinkat", EROFS,
         "a write under /proc/sys, /sys, /proc/sysrq-trigger, /proc/irq or /proc/bus, mounted read-only",
         read_only_kernel_interface, none, "", {},
         "{path} is on a read-only mount of {ro_mount}, as Docker mounts it in every container (and capprof "
         "in isolated trials): no capability makes a read-only mount writable",
         "{ro_fix}", {}},
        {"noexec-mount", "execve execveat uselib", EACCES, "the file is on a noexec mount", exec_noexec_mount,
         none, "", {}, "{path} is on a mount with noexec ({mount_point}): nothing may be executed from it",
         "mount it without noexec, or copy the program to an executable mount", {}},
        {"protected-symlinks", "*", EACCES, "fs.protected_symlinks: foreign symlink in a sticky world-writable dir",
         protected_symlink, none, "", {},
         "fs.protected_symlinks is {protected_symlinks}: a symlink in a sticky world-writable directory is "
         "followed only by its owner or the directory's owner",
         "use a path without the foreign symlink (or a private directory); the sysctl is host-wide", {}},
        {"protected-regular", OPENS, EACCES, "fs.protected_regular/fifos: O_CREAT of a foreign file in a sticky dir",
         protected_regular, none, "", {},
         "fs.protected_regular is {protected_regular} (fifos {protected_fifos}): O_CREAT of an existing file "
         "owned by another user in a sticky world-writable directory is refused to everyone",
         "open it without O_CREAT, or use a private directory instead of /tmp", {}},
        {"exec-no-x-bit", "execve execveat uselib", EACCES, "the file has no execute bit at all",
         dac_denied_no_capability, none, "", {}, "{dac_why}", "{dac_fix}", {}},
        // --- /proc/PID/... of another process ---
        {"proc-map-files", OPENS " stat lstat newfstatat statx readlink readlinkat", 0,
         "/proc/PID/map_files/*", proc_map_files, cap, "CHECKPOINT_RESTORE", {"SYS_ADMIN"},
         "/proc/PID/map_files needs CAP_CHECKPOINT_RESTORE (or SYS_ADMIN)", "--cap-add CHECKPOINT_RESTORE",
         {docker_old_name}},
        {"proc-pid-mode", "*", EACCES, "/proc/PID/... owned by another user, mode refuses", proc_pid_mode_denied,
         cap, "{dac_cap}", {"{dac_alt}"},
         "{dac_why}; /proc/PID entries belong to the process's user, and after this check the kernel may also "
         "ask ptrace_may_access() (SYS_PTRACE)",
         "--cap-add {dac_cap}, or run as the process's user", {}},
        {"proc-pid-ptrace", "*", 0, "/proc/PID/{environ,mem,maps,fd,...} of another process",
         proc_pid_ptrace_access, cap, "SYS_PTRACE", {},
         "{path} is guarded by ptrace_may_access(), not by its file mode: the target {target} has "
         "capabilities or an owner this task (uid {uid}, capabilities: {task_caps}) does not",
         "--cap-add SYS_PTRACE, or run both processes with the same user and capabilities", {}},
        // --- exec ---
        {"exec-file-caps", "execve execveat", EPERM, "the file has capabilities (+ep) not in the bounding set",
         exec_file_caps, cap, "{file_cap}", {},
         "{path} carries file capabilities ({file_caps}, effective): execve fails unless the process may hold "
         "all of them; missing: {missing_caps}",
         "--cap-add {missing_caps}, or remove the file capabilities (setcap -r) if the program copes "
         "without them",
         {"{ping_note}"},
         "{file_caps_together}"},
        // --- ownership, modes and attributes of files ---
        {"chown", "chown fchown lchown fchownat chown32 fchown32 lchown32", EPERM,
         "changing owner, or group to one the task is not in", nullptr, cap, "CHOWN", {},
         "changing the owner or group of {path} needs CAP_CHOWN (uid {uid} may only change the group of "
         "its own files to a group it is in)",
         "--cap-add CHOWN, or give the file its owner at build time (COPY --chown, chown in the Dockerfile)",
         {"needed only when the file is not already owned as wanted: profile the image in the state you ship"}},
        {"chmod-not-owner", "chmod fchmod fchmodat fchmodat2", EPERM, "mode change of a file the task does not own",
         nullptr, cap, "FOWNER", {},
         "changing the mode of {path} is allowed only to its owner or with CAP_FOWNER (uid {uid} is not the "
         "owner)",
         "--cap-add FOWNER, or chown the file to the user that runs the program", {}},
        {"utimes-not-owner", "utime utimes utimensat futimesat", EPERM,
         "setting explicit timestamps on a file the task does not own", nullptr, cap, "FOWNER", {},
         "setting explicit times on {path} is allowed only to its owner or with CAP_FOWNER",
         "--cap-add FOWNER, or chown the file to the user that runs the program", {}},
        {"sticky-dir", "unlink unlinkat rmdir rename renameat renameat2", EPERM,
         "removing another user's file from a sticky directory", sticky_dir_not_owner, cap, "FOWNER", {},
         "{path} is in a sticky directory (mode +t): only the file's owner, the directory's owner or "
         "CAP_FOWNER may remove or rename it",
         "--cap-add FOWNER, or create the file as the user that later removes it", {}},
        {"hardlink-protected", "link linkat", EPERM, "fs.protected_hardlinks and the task does not own the source",
         hardlink_protected, cap, "FOWNER", {},
         "fs.protected_hardlinks is {protected_hardlinks}: linking {path}, which uid {uid} does not own and "
         "cannot both read and write, needs CAP_FOWNER",
         "--cap-add FOWNER, or copy the file instead of linking it", {}},
        {"open-noatime", OPENS, EPERM, "O_NOATIME on a file the task does not own", open_noatime, cap, "FOWNER",
         {}, "O_NOATIME is allowed only to the file's owner or with CAP_FOWNER",
         "--cap-add FOWNER, or open without O_NOATIME", {}},
        {"fcntl-noatime", "fcntl fcntl64", EPERM, "F_SETFL O_NOATIME on a file the task does not own",
         fcntl_noatime, cap, "FOWNER", {}, "O_NOATIME is allowed only to the file's owner or with CAP_FOWNER",
         "--cap-add FOWNER, or drop O_NOATIME", {}},
        {"lease", "fcntl fcntl64", 0, "F_SETLEASE on a file the task does not own", fcntl_setlease, cap, "LEASE",
         {"FOWNER"}, "a lease on a file the task does not own needs CAP_LEASE (fs/locks.c generic_setlease)",
         "--cap-add LEASE, or chown the file to the user that runs the program", {}},
        {"pipe-max-size", "fcntl fcntl64", EPERM, "F_SETPIPE_SZ above fs.pipe-max-size", fcntl_pipe_size, cap,
         "SYS_RESOURCE", {},
         "growing a pipe beyond fs.pipe-max-size (or the user's pipe quota) needs CAP_SYS_RESOURCE",
         "--cap-add SYS_RESOURCE, or ask for a pipe size <= fs.pipe-max-size", {}},
        {"setfcap", XATTR_SETS, EPERM, "xattr security.capability", xattr_capability, cap, "SETFCAP", {},
         "setting or removing file capabilities (security.capability on {path}) needs CAP_SETFCAP",
         "--cap-add SETFCAP, or set file capabilities at build time (setcap in the Dockerfile)", {}},
        {"xattr-trusted", XATTR_SETS, EPERM, "xattr trusted.*", xattr_trusted, cap, "SYS_ADMIN", {},
         "the trusted.* namespace ({xattr}) is writable only with CAP_SYS_ADMIN",
         "--cap-add SYS_ADMIN, or use the user.* namespace", {}},
        {"xattr-smack", XATTR_SETS, EPERM, "xattr security.SMACK64*", xattr_smack, cap, "MAC_ADMIN",
         {"MAC_OVERRIDE"}, "setting the Smack label {xattr} needs CAP_MAC_ADMIN (Smack only; other LSMs ignore it)",
         "--cap-add MAC_ADMIN, or label the file outside the container", {}},
        {"xattr-security", XATTR_SETS, EPERM, "xattr security.* other than capability", xattr_security_other, cap,
         "SYS_ADMIN", {},
         "writing {xattr} needs CAP_SYS_ADMIN unless the LSM owning it decides otherwise "
         "(security/commoncap.c cap_inode_setxattr)",
         "--cap-add SYS_ADMIN, or set the label outside the container", {}},
        {"xattr-owner", XATTR_SETS, EPERM, "POSIX ACL or user.* xattr of a file the task does not own",
         xattr_acl_or_sticky, cap, "FOWNER", {},
         "changing {xattr} of {path} is allowed only to the owner or with CAP_FOWNER (ACLs, and user.* in "
         "sticky directories)",
         "--cap-add FOWNER, or chown the file to the user that runs the program", {}},
        {"setflags-not-owner", "ioctl", EPERM, "FS_IOC_SETFLAGS on a file the task does not own",
         ioctl_setflags_not_owner, cap, "FOWNER", {"LINUX_IMMUTABLE"},
         "changing inode flags of {path} is allowed only to its owner or with CAP_FOWNER; setting or clearing "
         "immutable/append-only also needs LINUX_IMMUTABLE",
         "--cap-add FOWNER (and LINUX_IMMUTABLE for +i/+a), or chown the file", {}},
        {"linux-immutable", "ioctl", EPERM, "FS_IOC_SETFLAGS / FS_IOC_FSSETXATTR changing immutable or append-only",
         ioctl_setflags, cap, "LINUX_IMMUTABLE", {},
         "setting or clearing the immutable or append-only attribute (ioctl {ioctl}) needs CAP_LINUX_IMMUTABLE",
         "--cap-add LINUX_IMMUTABLE, or set the attribute outside the container", {}},
        {"open-by-handle", "open_by_handle_at", EPERM, "always", nullptr, cap, "DAC_READ_SEARCH", {},
         "open_by_handle_at() bypasses path permissions and needs CAP_DAC_READ_SEARCH",
         "--cap-add DAC_READ_SEARCH (high risk: lets the container open any file of the mount)", {}},
        {"mknod-device", "mknod mknodat", EPERM, "S_IFCHR or S_IFBLK", mknod_device, cap, "MKNOD", {},
         "creating a device node ({path}) needs CAP_MKNOD",
         "--cap-add MKNOD, or pass the device in (docker run --device)",
         {"in a container the device cgroup still decides whether the node can be opened"}},
        // --- devices and special files ---
        {"dev-mem", OPENS, EPERM, "/dev/mem, /dev/kmem, /dev/port, /dev/cpu/N/msr", dev_port_memory, cap,
         "SYS_RAWIO", {}, "opening {path} needs CAP_SYS_RAWIO", "--cap-add SYS_RAWIO (high risk)", {}},
        {"dev-kmsg", OPENS, EPERM, "/dev/kmsg with kernel.dmesg_restrict", dev_kmsg, cap, "SYSLOG", {"SYS_ADMIN"},
         "reading the kernel log (/dev/kmsg) needs CAP_SYSLOG when kernel.dmesg_restrict is 1 "
         "(it is {dmesg_restrict})",
         "--cap-add SYSLOG, or read the log on the host", {}},
        {"kallsyms-zeroed-for-all", OPENS, 0,
         "/proc/kallsyms or /proc/modules read with kernel.kptr_restrict >= 2 (silent: addresses are zeros)",
         kptr_restrict_for_all, none, "", {},
         "{path} shows every kernel address as zeros because kernel.kptr_restrict is {kptr_restrict}: no "
         "capability reveals them",
         "lower kernel.kptr_restrict on the host (1 lets CAP_SYSLOG see them), or do without the addresses", {},
         {}, /*silent=*/true},
        {"kallsyms-zeroed", OPENS, 0,
         "/proc/kallsyms or /proc/modules read without CAP_SYSLOG (silent: addresses are zeros)", nullptr, cap,
         "SYSLOG", {},
         "the open of {path} succeeded, but without CAP_SYSLOG the kernel shows every address in it as zeros "
         "(kernel.kptr_restrict is {kptr_restrict}, kernel.perf_event_paranoid {perf_paranoid}); a program "
         "that needs the real addresses (a profiler, a symbolizer) gets nothing useful and may not say so",
         "--cap-add SYSLOG, if the program needs the addresses", {}, {}, /*silent=*/true},
        {"proc-kmsg", OPENS, EPERM, "/proc/kmsg", proc_kmsg, cap, "SYSLOG", {"SYS_ADMIN"},
         "opening /proc/kmsg (the kernel log, as syslog daemons read it) needs CAP_SYSLOG whatever "
         "kernel.dmesg_restrict says (SYS_ADMIN works too, deprecated)",
         "--cap-add SYSLOG, or leave the kernel log to the host's syslog (most containers should)", {}},
        {"oom-score-adj", "write pwrite64 writev", EACCES, "lowering /proc/PID/oom_score_adj below its minimum",
         proc_oom_score_adj, cap, "SYS_RESOURCE", {},
         "writing {path} below the process's oom_score_adj_min (lowering its OOM-kill priority) needs "
         "CAP_SYS_RESOURCE",
         "set it from outside (docker run --oom-score-adj), or --cap-add SYS_RESOURCE; programs such as sshd "
         "carry on without it", {}},
        {"securityfs", "*", 0, "/sys/kernel/security/* (LSM policy files)", securityfs_path, cap, "MAC_ADMIN", {},
         "{path} belongs to an LSM's policy interface; loading or changing policy needs CAP_MAC_ADMIN "
         "(AppArmor, Smack; SELinux decides by its own policy)",
         "--cap-add MAC_ADMIN only for a policy manager; better load policy on the host", {}},
        {"ns-last-pid", "*", 0, "/proc/sys/kernel/ns_last_pid", ns_last_pid, cap, "CHECKPOINT_RESTORE",
         {"SYS_ADMIN"}, "writing /proc/sys/kernel/ns_last_pid needs CAP_CHECKPOINT_RESTORE (or SYS_ADMIN)",
         "--cap-add CHECKPOINT_RESTORE", {docker_old_name}},
        {"sysctl-usermodehelper", "*", EPERM, "write to /proc/sys/kernel/usermodehelper/*",
         proc_sys_usermodehelper_write, cap, "SETPCAP", {},
         "writing {path} needs both CAP_SETPCAP and CAP_SYS_MODULE (it limits the capabilities of programs "
         "the kernel starts)",
         "set it on the host; --cap-add SETPCAP --cap-add SYS_MODULE gives the container the power to load "
         "kernel modules",
         {}, "SYS_MODULE"},
        {"sysctl-user-namespaces", "*", EACCES, "opening /proc/sys/user/* for writing",
         proc_sys_user_write, cap, "SYS_RESOURCE", {},
         "the limits under /proc/sys/user are read-only without CAP_SYS_RESOURCE over the user namespace "
         "(whatever their file mode says)",
         "set {path} on the host, or --cap-add SYS_RESOURCE", {}},
        {"sysctl-net-sysadmin", "*", EPERM, "write to the BPF JIT and allocator knobs of /proc/sys/net/core",
         proc_sys_net_sysadmin_write, cap, "SYS_ADMIN", {},
         "writing {path} needs CAP_SYS_ADMIN: it is host-wide, not part of a network namespace",
         "set it on the host", {}},
        {"sysctl-net", "*", EPERM, "write to /proc/sys/net/*", proc_sys_net_write, cap, "NET_ADMIN", {},
         "writing the network sysctl {path} needs CAP_NET_ADMIN over the network namespace",
         "--cap-add NET_ADMIN, or set it with docker run --sysctl", {}},
        {"sysctl", "*", EPERM, "write to /proc/sys/* (handlers checking CAP_SYS_ADMIN)", proc_sys_write, cap,
         "SYS_ADMIN", {},
         "writing {path} needs CAP_SYS_ADMIN (proc_dointvec_minmax_sysadmin and similar handlers)",
         "set the sysctl on the host, or --cap-add SYS_ADMIN (critical risk)", {}},
        // --- signals and other processes ---
        {"kill", KILLS, EPERM, "target runs as another user", kill_other_user, cap, "KILL", {},
         "signalling {target} needs CAP_KILL: the sender (uid {uid}, euid {euid}) matches neither its real "
         "nor its saved uid",
         "--cap-add KILL, or run both processes as the same user", {}},
        {"ptrace", PTRACES, EPERM, "ptrace_may_access() of another process", nullptr, cap, "SYS_PTRACE", {},
         "{syscall} on {target} needs CAP_SYS_PTRACE: the target has another owner, more capabilities or is "
         "not dumpable{ptrace_scope_note}",
         "--cap-add SYS_PTRACE (high risk), or run the tools as the target's user with its capabilities", {}},
        {"userfaultfd", "userfaultfd", EPERM, "vm.unprivileged_userfaultfd = 0", nullptr, cap, "SYS_PTRACE", {},
         "userfaultfd() handling kernel faults needs CAP_SYS_PTRACE when vm.unprivileged_userfaultfd is 0",
         "pass UFFD_USER_MODE_ONLY, or --cap-add SYS_PTRACE", {}},
        // --- identity ---
        {"setuid", "setuid setuid32 setreuid setreuid32 setresuid setresuid32 setfsuid setfsuid32", EPERM,
         "switching to a uid the task does not have", nullptr, cap, "SETUID", {},
         "switching user ids needs CAP_SETUID (the task, uid {uid}, may only switch among its own ids)",
         "--cap-add SETUID, or start the program as the target user (docker run --user)",
         {"if the program carries on after this fails, it keeps running as uid {uid} instead of the user it "
          "meant to become (measured: apache2's workers stay root, without capabilities)"}},
        {"setfsuid-silent", "setfsuid setfsuid32", 0, "the filesystem uid did not change (setfsuid never fails)",
         nullptr, cap, "SETUID", {},
         "setfsuid() never returns an error: without CAP_SETUID the kernel kept the filesystem uid {uid} and "
         "files are still opened as that user",
         "--cap-add SETUID, or start the program as the target user (docker run --user)", {}, {}, true},
        {"setfsgid-silent", "setfsgid setfsgid32", 0, "the filesystem gid did not change (setfsgid never fails)",
         nullptr, cap, "SETGID", {},
         "setfsgid() never returns an error: without CAP_SETGID the kernel kept the filesystem gid {gid} and "
         "files are still opened with that group",
         "--cap-add SETGID, or start the program as the target group (docker run --user)", {}, {}, true},
        {"chmod-setgid-silent", "chmod fchmod fchmodat fchmodat2", 0,
         "set-group-ID asked on a file of a group the caller is not in (silent: the bit is cleared)", nullptr,
         cap, "FSETID", {},
         "{syscall}() asked for the set-group-ID bit on {path}, whose group {file_gid} is neither the caller's "
         "filesystem gid {gid} nor one of its groups: without CAP_FSETID the kernel cleared the bit and the "
         "call succeeded (the mode is now {file_mode}); new files there will not inherit the group",
         "--cap-add FSETID, or chgrp to a group the process is in (or run it with that group)", {}, {},
         /*silent=*/true},
        {"setgid",
         "setgid setgid32 setregid setregid32 setresgid setresgid32 setfsgid setfsgid32 setgroups setgroups32",
         EPERM, "switching to a gid the task does not have, or setgroups", nullptr, cap, "SETGID", {},
         "changing group ids or the supplementary groups needs CAP_SETGID",
         "--cap-add SETGID, or start the program as the target user and group (docker run --user)",
         {"if the program carries on after this fails, it keeps its current groups instead of those it meant "
          "to take (measured: apache2's workers stay in group 0)"}},
        // --- capabilities themselves ---
        {"ambient-raise", "prctl", EPERM, "PR_CAP_AMBIENT_RAISE of a capability not permitted+inheritable",
         prctl_ambient_raise, cap, "{arg_cap}", {},
         "raising {arg_cap} into the ambient set requires holding it in the permitted and inheritable sets "
         "(kernel/sys.c / commoncap: no other capability allows it)",
         "--cap-add {arg_cap} (Docker puts added capabilities into both sets)", {}},
        {"capbset-drop", "prctl", EPERM, "PR_CAPBSET_DROP", prctl_capbset_drop, cap, "SETPCAP", {},
         "dropping from the bounding set needs CAP_SETPCAP", "--cap-add SETPCAP, or start with --cap-drop", {}},
        {"securebits", "prctl", EPERM, "PR_SET_SECUREBITS", prctl_securebits, cap, "SETPCAP", {},
         "changing securebits needs CAP_SETPCAP (and fails for locked bits)", "--cap-add SETPCAP", {}},
        {"capset-permitted", "capset", EPERM, "asks for permitted capabilities the task does not hold",
         capset_raises_permitted, cap, "{capset_cap}", {},
         "capset() asked for permitted capabilities the task does not hold ({capset_missing}); no capability "
         "allows raising the permitted set, only holding them from the start",
         "--cap-add {capset_missing}", {}, "{capset_together}"},
        {"capset-bounding", "capset", EPERM, "adds inheritable capabilities outside the bounding set",
         capset_beyond_bounding, cap, "{capset_cap}", {},
         "capset() added {capset_missing} to the inheritable set, outside the bounding set: "
         "not even CAP_SETPCAP allows that",
         "--cap-add {capset_missing} (Docker puts added capabilities into the bounding and inheritable sets)",
         {}, "{capset_together}"},
        {"capset-effective-raise", "capset", EPERM, "raises effective capabilities the task does not hold",
         capset_raises_effective, cap, "{capset_cap}", {},
         "capset() asked for effective {capset_missing}, which the task does not hold: a program raises a "
         "capability it expects to have been given (setcap raises SETFCAP)",
         "--cap-add {capset_missing}", {}, "{capset_together}"},
        {"capset-effective", "capset", EPERM, "effective set not within the new permitted set",
         capset_effective_beyond_permitted, none, "", {},
         "capset() asked for effective capabilities outside the permitted set it set at the same time: the "
         "program's request is inconsistent, no capability changes that",
         "fix the program's capset() call (or libcap use)", {}},
        {"capset", "capset", EPERM, "adds inheritable capabilities outside the permitted set", capset_setpcap, cap,
         "SETPCAP", {},
         "capset() may add to the inheritable set beyond the permitted set only with CAP_SETPCAP",
         "--cap-add SETPCAP, or --cap-add the capabilities the program puts into its inheritable set",
         {"check-based tools report SETPCAP for every capset(); this call really failed"}},
        // --- network ---
        {"bind-low-port", "bind", EACCES, "port < net.ipv4.ip_unprivileged_port_start", bind_low_port, cap,
         "NET_BIND_SERVICE", {},
         "binding port {port} < net.ipv4.ip_unprivileged_port_start ({port_start})",
         "--cap-add NET_BIND_SERVICE, or listen on a port >= {port_start}",
         {"containers with their own network namespace under Docker 20.10+ allow low ports without it "
          "(net.ipv4.ip_unprivileged_port_start=0)"}},
        {"netlink-bind", "bind", EPERM, "AF_NETLINK multicast groups", netlink_bind_groups, cap, "NET_ADMIN",
         {"AUDIT_READ"},
         "joining netlink multicast groups ({address}) needs CAP_NET_ADMIN (CAP_AUDIT_READ for the audit log "
         "group)",
         "--cap-add NET_ADMIN (AUDIT_READ for an audit socket)", {}},
        {"icmp-socket", "socket", EACCES, "SOCK_DGRAM IPPROTO_ICMP outside net.ipv4.ping_group_range",
         icmp_datagram_socket, none, "", {"NET_RAW"},
         "ICMP datagram (\"ping\") sockets are allowed only to groups in net.ipv4.ping_group_range "
         "({ping_range}); no capability extends that range",
         "set net.ipv4.ping_group_range (docker run --sysctl net.ipv4.ping_group_range=\"0 2147483647\"), "
         "or use a raw socket with --cap-add NET_RAW",
         {"Docker 20.10+ sets ping_group_range to \"0 2147483647\" in every container network namespace"}},
        {"raw-socket", "socket socketpair", EPERM, "SOCK_RAW (AF_INET/AF_INET6) or AF_PACKET",
         raw_or_packet_socket, cap, "NET_RAW", {},
         "raw and packet sockets need CAP_NET_RAW",
         "--cap-add NET_RAW, or for ping use ICMP datagram sockets (net.ipv4.ping_group_range)",
         {"for ICMP echo, net.ipv4.ping_group_range (Docker 20.10+ sets \"0 2147483647\") allows "
          "SOCK_DGRAM/IPPROTO_ICMP sockets without NET_RAW"}},
        {"sockopt-mark", "setsockopt", EPERM, "SO_MARK, SO_PRIORITY > 6, IP(V6)_TRANSPARENT",
         sockopt_mark_priority_transparent, cap, "NET_RAW", {"NET_ADMIN"},
         "setting {sockopt} needs CAP_NET_RAW or CAP_NET_ADMIN "
         "(SO_MARK since Linux 5.17, SO_PRIORITY above 6, IP_TRANSPARENT)",
         "--cap-add NET_RAW (narrower than NET_ADMIN)", {}},
        {"sockopt-net-admin", "setsockopt getsockopt", 0,
         "SO_RCVBUFFORCE, SO_SNDBUFFORCE, SO_DEBUG, TCP_REPAIR, iptables (legacy) tables",
         sockopt_net_admin, cap, "NET_ADMIN", {},
         "{sockopt} needs CAP_NET_ADMIN", "--cap-add NET_ADMIN", {}},
        {"sockopt-bindtodevice", "setsockopt", EPERM, "SO_BINDTODEVICE on an already bound socket",
         sockopt_bindtodevice, cap, "NET_RAW", {},
         "re-binding a socket to another device needs CAP_NET_RAW", "--cap-add NET_RAW", {}},
        {"net-ioctl", "ioctl", EPERM, "SIOCS* / SIOCADDRT / bridge / TUN ioctls", net_ioctl_set, cap, "NET_ADMIN",
         {}, "network configuration ioctl {ioctl} needs CAP_NET_ADMIN",
         "--cap-add NET_ADMIN, or configure the network outside the container", {}},
        // --- memory ---
        {"mlock", "mlock mlock2 mlockall", EPERM, "RLIMIT_MEMLOCK is 0", nullptr, cap, "IPC_LOCK", {},
         "locking memory with RLIMIT_MEMLOCK at 0 needs CAP_IPC_LOCK",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=...)", {}},
        {"mmap-locked", "mmap mmap2", EPERM, "MAP_LOCKED with RLIMIT_MEMLOCK 0", mmap_locked, cap, "IPC_LOCK", {},
         "MAP_LOCKED with RLIMIT_MEMLOCK at 0 needs CAP_IPC_LOCK",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=...)", {}},
        {"mlock-limit", "mlock mlock2", ENOMEM, "VmLck plus the request over RLIMIT_MEMLOCK", memlock_over_limit, cap,
         "IPC_LOCK", {},
         "locking {memlock_request} more, with {memlock_locked} locked already, exceeds RLIMIT_MEMLOCK "
         "({memlock_limit}); only CAP_IPC_LOCK lifts the limit (mm/mlock.c)",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=BYTES), or lock less", {}},
        {"mlockall-limit", "mlockall", ENOMEM, "MCL_CURRENT with VmSize over RLIMIT_MEMLOCK", mlockall_over_limit,
         cap, "IPC_LOCK", {},
         "mlockall(MCL_CURRENT) locks the whole address space ({memlock_mapped}), more than RLIMIT_MEMLOCK "
         "({memlock_limit}); only CAP_IPC_LOCK lifts the limit (mm/mlock.c)",
         "--cap-add IPC_LOCK, or raise the limit above the process's size (docker run --ulimit memlock=-1)",
         {"programs that lock their memory (databases, key stores, real-time daemons) often warn and carry "
          "on: check whether the workload needs it"}},
        {"mmap-memlock", "mmap mmap2 mremap", EAGAIN, "a locked mapping over RLIMIT_MEMLOCK", memlock_over_limit,
         cap, "IPC_LOCK", {},
         "{syscall}() of a locked mapping ({memlock_request}: MAP_LOCKED, any mapping after "
         "mlockall(MCL_FUTURE), or memfd_secret) with {memlock_locked} locked already exceeds RLIMIT_MEMLOCK "
         "({memlock_limit}); only CAP_IPC_LOCK lifts the limit (mm/mmap.c mlock_future_ok)",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=BYTES)",
         {"after mlockall(MCL_FUTURE) brk() fails silently, so malloc falls back to mmap and fails here"}},
        {"mmap-low-address", "mmap mmap2", EPERM, "MAP_FIXED below vm.mmap_min_addr", mmap_low_address, cap,
         "SYS_RAWIO", {}, "mapping below vm.mmap_min_addr needs CAP_SYS_RAWIO",
         "map at a higher address; --cap-add SYS_RAWIO only if unavoidable", {}},
        {"shm-lock", "shmctl", EPERM, "SHM_LOCK / SHM_UNLOCK", shmctl_lock, cap, "IPC_LOCK", {},
         "locking a shared memory segment needs CAP_IPC_LOCK (or being its owner with RLIMIT_MEMLOCK > 0)",
         "--cap-add IPC_LOCK, or raise RLIMIT_MEMLOCK", {}},
        {"shm-lock-limit", "shmctl", ENOMEM, "SHM_LOCK over RLIMIT_MEMLOCK", shmctl_shm_lock, cap, "IPC_LOCK", {},
         "locking the shared memory segment would take the user's locked shared memory over RLIMIT_MEMLOCK "
         "({memlock_limit}); only CAP_IPC_LOCK lifts the limit (ipc/shm.c, mm/mlock.c user_shm_lock)",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=BYTES)", {}},
        {"io-uring-memlock", "io_uring_register", ENOMEM, "IORING_REGISTER_BUFFERS over RLIMIT_MEMLOCK",
         io_uring_buffers, cap, "IPC_LOCK", {},
         "io_uring charges registered buffers to the user's locked memory, limited by RLIMIT_MEMLOCK "
         "({memlock_limit}), unless the ring was set up with CAP_IPC_LOCK (io_uring/rsrc.c io_account_mem)",
         "--cap-add IPC_LOCK, or raise the limit (docker run --ulimit memlock=BYTES), or register smaller "
         "buffers",
         {"Docker's default seccomp profile (moby 25+) blocks io_uring altogether"}},
        {"shm-hugetlb", "shmget", EPERM, "SHM_HUGETLB outside vm.hugetlb_shm_group", shmget_hugetlb, cap,
         "IPC_LOCK", {}, "huge-page shared memory needs CAP_IPC_LOCK or membership of vm.hugetlb_shm_group",
         "--cap-add IPC_LOCK, or set vm.hugetlb_shm_group", {}},
        {"ipc-ctl-owner", IPC_CTLS, EPERM, "IPC_SET / IPC_RMID of an object the task does not own",
         ipc_ctl_set_rmid, cap, "SYS_ADMIN", {},
         "changing or removing a System V IPC object is allowed only to its owner or creator, or with "
         "CAP_SYS_ADMIN (ipc/util.c ipcctl_obtain_check)",
         "create the object as the user that later removes it; --cap-add SYS_ADMIN is critical risk",
         {"raising msg_qbytes above kernel.msgmnb with IPC_SET needs SYS_RESOURCE instead"}},
        {"ipc-owner", "msgget msgsnd msgrcv msgctl semget semop semtimedop semctl shmget shmat shmctl ipc",
         EACCES, "the IPC object's mode does not grant the access", nullptr, cap, "IPC_OWNER", {},
         "the System V IPC object's mode does not grant uid {uid} this access; CAP_IPC_OWNER bypasses "
         "IPC permission checks",
         "create the IPC object with a mode that grants the access (e.g. 0660 and a shared group), or "
         "--cap-add IPC_OWNER", {}},
        {"mqueue-limits", "mq_open", EINVAL, "O_CREAT asking more than fs.mqueue.msg_max or msgsize_max",
         mqueue_attr_over_limit, cap, "SYS_RESOURCE", {},
         "mq_open() asked for a queue of {mq_request}, beyond {mq_limits}: only CAP_SYS_RESOURCE may exceed "
         "them (ipc/mqueue.c mq_attr_ok)",
         "raise the limits in the container's IPC namespace (docker run --sysctl fs.mqueue.msg_max=N --sysctl "
         "fs.mqueue.msgsize_max=N), or ask for less; --cap-add SYS_RESOURCE also lifts them",
         {"root's bounding set may lack SYS_RESOURCE on some hosts: Docker then cannot grant it"}},
        {"mqueue-count", "mq_open", ENOSPC, "O_CREAT with fs.mqueue.queues_max queues already", mqueue_create, cap,
         "SYS_RESOURCE", {},
         "creating a message queue beyond fs.mqueue.queues_max needs CAP_SYS_RESOURCE (ipc/mqueue.c)",
         "raise it in the container's IPC namespace (docker run --sysctl fs.mqueue.queues_max=N), or remove "
         "queues no longer used (mq_unlink)",
         {}},
        {"unix-fds-in-flight", "sendmsg sendmmsg", ETOOMANYREFS,
         "SCM_RIGHTS with more fds in flight than RLIMIT_NOFILE", nullptr, cap, "SYS_RESOURCE", {"SYS_ADMIN"},
         "passing file descriptors over a unix socket while the user already has more in flight (sent, not "
         "yet received) than RLIMIT_NOFILE{nofile_limit} needs CAP_SYS_RESOURCE or CAP_SYS_ADMIN "
         "(net/unix too_many_unix_fds)",
         "let the receiver keep up (fewer descriptors in flight), or raise RLIMIT_NOFILE (docker run --ulimit "
         "nofile=N); --cap-add SYS_RESOURCE also lifts the limit",
         {"ETOOMANYREFS also means unix sockets passed inside each other more than 4 levels deep, which no "
          "capability allows"}},

        // --- namespaces, mounts, system administration ---
        {"userns-map-root", "write pwrite64", EPERM, "a uid_map mapping uid 0 of the parent namespace (5.12+)",
         id_map_maps_root, cap, "SETFCAP", {},
         "writing {path} ({written}) maps uid 0 of the parent namespace into a new user namespace: since "
         "Linux 5.12 that needs CAP_SETFCAP in the parent namespace when the namespace is created "
         "(kernel/user_namespace.c verify_root_map), as root inside it could set file capabilities the "
         "host honours",
         "--cap-add SETFCAP, or map a uid other than 0 (unshare --map-user=UID)", {}, {}, /*silent=*/false,
         /*parent_namespace=*/true},
        {"userns-clone-off", "unshare clone clone3", EPERM, "CLONE_NEWUSER with kernel.unprivileged_userns_clone=0",
         clone_newuser_userns_clone_off, cap, "SYS_ADMIN", {},
         "kernel.unprivileged_userns_clone is 0: creating a user namespace needs CAP_SYS_ADMIN",
         "--cap-add SYS_ADMIN, or enable kernel.unprivileged_userns_clone on the host", {}},
        {"userns", "unshare clone clone3", EPERM, "CLONE_NEWUSER (needs no capability)", clone_newuser_only, none,
         "", {},
         "creating a user namespace ({clone_flags}) needs no capability on this kernel: a seccomp filter "
         "(Seccomp: {seccomp}), a chroot, or an LSM refused it",
         "allow unshare/clone with CLONE_NEWUSER in the seccomp profile, or run outside the chroot",
         {"under Docker's default seccomp profile, --cap-add SYS_ADMIN also lifts the block"}},
        {"clone3-set-tid", "clone3", EPERM, "clone_args.set_tid", clone3_set_tid, cap, "CHECKPOINT_RESTORE",
         {"SYS_ADMIN"}, "choosing the pid of a new process (clone3 set_tid) needs CAP_CHECKPOINT_RESTORE",
         "--cap-add CHECKPOINT_RESTORE", {docker_old_name}},
        {"namespaces", "unshare clone clone3 setns", EPERM, "namespace flags without CLONE_NEWUSER, or setns",
         clone_namespaces, cap, "SYS_ADMIN", {},
         "creating or entering namespaces ({clone_flags}) needs CAP_SYS_ADMIN",
         "--cap-add SYS_ADMIN (critical), or add CLONE_NEWUSER so the new namespaces belong to a user "
         "namespace the program owns",
         {"Docker's default seccomp profile also blocks these calls unless SYS_ADMIN is added"}},
        {"clone3", "clone3", EPERM, "clone_args not readable", nullptr, cap, "SYS_ADMIN", {"CHECKPOINT_RESTORE"},
         "clone3() failed with EPERM: namespace flags need CAP_SYS_ADMIN, set_tid needs CHECKPOINT_RESTORE",
         "--cap-add SYS_ADMIN, or CHECKPOINT_RESTORE if only set_tid is used", {}},
        {"mount", "mount umount umount2 oldumount fsopen fsconfig fsmount fspick move_mount open_tree "
                  "mount_setattr pivot_root",
         EPERM, "always (in the initial user namespace)", nullptr, cap, "SYS_ADMIN", {},
         "{syscall}() needs CAP_SYS_ADMIN in the mount namespace's user namespace",
         "mount it from outside (docker run -v / --tmpfs / --mount), or --cap-add SYS_ADMIN (critical risk)",
         {"Docker's default seccomp profile also blocks mount calls unless SYS_ADMIN is added"}},
        {"hostname", "sethostname setdomainname", EPERM, "always", nullptr, cap, "SYS_ADMIN", {},
         "{syscall}() needs CAP_SYS_ADMIN over the UTS namespace",
         "set it from outside (docker run --hostname / --domainname)", {}},
        {"swap", "swapon swapoff", EPERM, "always", nullptr, cap, "SYS_ADMIN", {},
         "{syscall}() needs CAP_SYS_ADMIN", "manage swap on the host", {}},
        {"quotactl", "quotactl quotactl_fd", EPERM, "quota changes or other users' quotas", nullptr, cap,
         "SYS_ADMIN", {}, "changing quotas, or reading another user's, needs CAP_SYS_ADMIN",
         "manage quotas on the host", {}},
        {"keyctl", "keyctl add_key request_key", EPERM, "KEYCTL_CHOWN, other users' keyrings", nullptr, cap,
         "SYS_ADMIN", {}, "this keyring operation needs CAP_SYS_ADMIN (e.g. KEYCTL_CHOWN)",
         "use keys owned by the program's user", {}},
        {"tiocsti", "ioctl", EPERM, "TIOCSTI", ioctl_tiocsti, cap, "SYS_ADMIN", {},
         "faking terminal input (TIOCSTI) on a terminal that is not the controlling one needs CAP_SYS_ADMIN",
         "avoid TIOCSTI (since Linux 6.2 dev.tty.legacy_tiocsti may disable it entirely)", {}},
        {"fanotify", "fanotify_init fanotify_mark", EPERM, "permission events, mount/filesystem marks", nullptr,
         cap, "SYS_ADMIN", {},
         "fanotify permission events and mount or filesystem marks need CAP_SYS_ADMIN",
         "use inotify or inode marks, or --cap-add SYS_ADMIN", {}},
        {"bpf", "bpf", EPERM, "kernel.unprivileged_bpf_disabled", bpf_unprivileged_disabled, cap, "BPF",
         {"SYS_ADMIN"},
         "bpf() needs CAP_BPF: kernel.unprivileged_bpf_disabled is {bpf_disabled}",
         "--cap-add BPF (some program types also need PERFMON or NET_ADMIN)", {docker_old_name}},
        {"perf", "perf_event_open", 0, "kernel.perf_event_paranoid", perf_paranoid, cap, "PERFMON", {"SYS_ADMIN"},
         "perf_event_open() was refused at kernel.perf_event_paranoid = {perf_paranoid}: the event needs "
         "CAP_PERFMON",
         "--cap-add PERFMON, or lower kernel.perf_event_paranoid on the host", {docker_old_name}},
        {"checkpoint-restore-mm", "prctl", EPERM, "PR_SET_MM_MAP", prctl_set_mm_map, cap, "CHECKPOINT_RESTORE",
         {"SYS_ADMIN"}, "PR_SET_MM_MAP (changing the exe link) needs CAP_CHECKPOINT_RESTORE",
         "--cap-add CHECKPOINT_RESTORE", {docker_old_name}},
        {"prctl-set-mm", "prctl", EPERM, "PR_SET_MM (other than MAP)", prctl_set_mm, cap, "SYS_RESOURCE", {},
         "PR_SET_MM needs CAP_SYS_RESOURCE", "--cap-add SYS_RESOURCE", {}},
        // --- kernel, time, accounting ---
        {"modules", "init_module finit_module delete_module", EPERM, "always", nullptr, cap, "SYS_MODULE", {},
         "loading or unloading kernel modules needs CAP_SYS_MODULE",
         "load the module on the host before starting the container", {}},
        {"ioport", "iopl ioperm", EPERM, "always", nullptr, cap, "SYS_RAWIO", {},
         "I/O port access needs CAP_SYS_RAWIO", "--cap-add SYS_RAWIO (high risk)", {}},
        {"fibmap", "ioctl", EPERM, "FIBMAP", ioctl_fibmap, cap, "SYS_RAWIO", {},
         "FIBMAP needs CAP_SYS_RAWIO", "use FIEMAP, which needs no capability", {}},
        {"chroot", "chroot", EPERM, "always", nullptr, cap, "SYS_CHROOT", {},
         "chroot() needs CAP_SYS_CHROOT", "--cap-add SYS_CHROOT", {}},
        {"acct", "acct", EPERM, "always", nullptr, cap, "SYS_PACCT", {},
         "process accounting (acct) needs CAP_SYS_PACCT", "configure accounting on the host", {}},
        {"reboot", "reboot kexec_load kexec_file_load", EPERM, "always", nullptr, cap, "SYS_BOOT", {},
         "{syscall}() needs CAP_SYS_BOOT",
         "let the container exit instead; in a container's pid namespace reboot() only ends it", {}},
        {"time", "settimeofday clock_settime clock_settime64 adjtimex clock_adjtime clock_adjtime64 stime", EPERM,
         "setting the system clock", nullptr, cap, "SYS_TIME", {},
         "{syscall}() setting the clock needs CAP_SYS_TIME (the clock is shared by every container)",
         "keep time on the host (NTP there)", {}},
        {"vhangup", "vhangup", EPERM, "always", nullptr, cap, "SYS_TTY_CONFIG", {},
         "vhangup() needs CAP_SYS_TTY_CONFIG", "--cap-add SYS_TTY_CONFIG", {}},
        {"syslog", "syslog", EPERM, "kernel.dmesg_restrict / privileged actions", nullptr, cap, "SYSLOG",
         {"SYS_ADMIN"},
         "syslog(2) needs CAP_SYSLOG (reading needs it when kernel.dmesg_restrict is 1; it is {dmesg_restrict})",
         "--cap-add SYSLOG, or read the kernel log on the host", {}},
        {"wake-alarm", "timer_create timerfd_create", EPERM, "CLOCK_REALTIME_ALARM / CLOCK_BOOTTIME_ALARM",
         alarm_clock, cap, "WAKE_ALARM", {},
         "timers that wake the system from suspend (*_ALARM clocks) need CAP_WAKE_ALARM",
         "--cap-add WAKE_ALARM, or use CLOCK_REALTIME / CLOCK_BOOTTIME", {}},
        // --- scheduling and limits ---
        {"rt-sched-held", SCHED_SETS, EPERM, "real-time policy refused although SYS_NICE is held",
         sched_realtime_held, none, "", {"SYS_NICE"},
         "{policy} was refused although the task holds CAP_SYS_NICE: its cgroup has no real-time runtime "
         "(cpu.rt_runtime_us = {rt_runtime})",
         "give the container real-time time (docker run --cpu-rt-runtime=N, with dockerd --cpu-rt-period), "
         "or use SCHED_OTHER",
         {"Docker containers get cpu.rt_runtime_us=0 under cgroup v1 with RT group scheduling"}},
        {"sched", SCHED_SETS " sched_setaffinity", EPERM, "real-time policy, or another user's process", nullptr,
         cap, "SYS_NICE", {},
         "{syscall}() for a real-time policy with RLIMIT_RTPRIO at 0, or on another user's process, needs "
         "CAP_SYS_NICE",
         "--cap-add SYS_NICE, or raise RLIMIT_RTPRIO (docker run --ulimit rtprio=N)",
         {"Docker containers under cgroup v1 with RT group scheduling also need --cpu-rt-runtime"}},
        {"nice", "setpriority nice", EACCES, "lowering the nice value", nullptr, cap, "SYS_NICE", {},
         "lowering the nice value (to {nice}) needs CAP_SYS_NICE or RLIMIT_NICE",
         "--cap-add SYS_NICE, or raise RLIMIT_NICE (docker run --ulimit nice=N)",
         {"programs often try this and carry on: check whether the workload needs it"}},
        {"nice-other", "setpriority nice", EPERM, "another user's process", nullptr, cap, "SYS_NICE", {},
         "changing the priority of {target} (another user's process) needs CAP_SYS_NICE",
         "--cap-add SYS_NICE, or run both processes as the same user", {}},
        {"ioprio", "ioprio_set", EPERM, "realtime class, or another user's process", nullptr, cap, "SYS_NICE",
         {"SYS_ADMIN"},
         "the real-time I/O class (or another user's process) needs CAP_SYS_NICE; the kernel also accepts "
         "CAP_SYS_ADMIN, which is far broader",
         "--cap-add SYS_NICE (not SYS_ADMIN)",
         {"check-based tools report SYS_ADMIN here because the kernel tests it first"}},
        {"migrate-pages", "migrate_pages move_pages mbind", EPERM, "another user's process, MPOL_MF_MOVE_ALL",
         nullptr, cap, "SYS_NICE", {},
         "moving another process's pages (or shared pages) needs CAP_SYS_NICE", "--cap-add SYS_NICE", {}},
        {"rlimit", "setrlimit prlimit64 ugetrlimit", EPERM, "raising a hard limit", nullptr, cap, "SYS_RESOURCE",
         {}, "raising a hard resource limit (or setting another user's limits) needs CAP_SYS_RESOURCE",
         "set the limit from outside (docker run --ulimit)",
         {"root's bounding set may lack SYS_RESOURCE on some hosts: Docker then cannot grant it"}},
        // --- file permissions (the mode bits) ---
        {"file-permission", "*", EACCES, "the mode bits of a path component refuse the access", dac_denied, file,
         "{dac_cap}", {"{dac_alt}"}, "{dac_why}", "{dac_fix}", {}},
        // --- last resorts: what the environment says ---
        {"user-namespace", "*", 0, "the task is in a user namespace of its own", foreign_user_namespace, none, "",
         {},
         "the task runs in a user namespace other than capprof's: capabilities it holds there do not reach "
         "objects of the initial namespace",
         "do this before creating the user namespace, or in a namespace the program owns", {}},
        {"seccomp", "*", 0, "a seccomp filter is active and no rule above explains the call", seccomp_filter,
         none, "", {}, "{syscall} failed with {errno} and the task runs under a seccomp filter (Seccomp: "
         "{seccomp}); no capability check explains this call, so the filter most likely refused it",
         "allow {syscall} in the seccomp profile (docker run --security-opt seccomp=PROFILE)", {}},
        {"lsm", "*", 0, "an LSM confines the task and no rule above explains the call", lsm_confined, none, "",
         {}, "the task is confined by an LSM ({lsm_label}; active: {lsms}); no capability check explains "
             "this call, so the policy most likely refused it",
         "check the audit log (ausearch -m AVC,APPARMOR) and adjust the profile", {}},
    };
}

#undef OPENS
#undef PATH_CHANGES
#undef KILLS
#undef PTRACES
#undef XATTR_SETS
#undef SCHED_SETS
#undef IPC_CTLS

}  // namespace

const std::vector<Rule>& rules() {
    static const std::vector<Rule> table = make_rules();
    return table;
}

const std::vector<SilentCapability>& silent_capabilities() {
    static const std::vector<SilentCapability> table = {
        {"FSETID", "chmod/chown/write keep working; without it the kernel silently clears set-user-ID and "
                   "set-group-ID bits (capprof reports a chmod asking for set-group-ID for a group the task "
                   "is not in: rule chmod-setgid-silent)"},
        {"BLOCK_SUSPEND", "epoll_ctl silently drops EPOLLWAKEUP; nothing fails, the system may suspend"},
        {"AUDIT_READ", "only joining the audit multicast group needs it (bind of an audit netlink socket)"},
        {"MAC_OVERRIDE", "only Smack checks it; other LSMs decide by their own policy"},
        {"NET_BROADCAST", "unused by the kernel"},
    };
    return table;
}

bool is_denial_errno(int err) { return err == EPERM || err == EACCES; }

bool rule_covers(const Rule& rule, std::string_view syscall, int err) {
    if ((err == 0) != rule.silent) return false;
    if (!rule.silent && (rule.err == 0 ? !is_denial_errno(err) : rule.err != err)) return false;
    std::string_view list = rule.syscalls;
    while (!list.empty()) {
        auto space = list.find(' ');
        std::string_view word = list.substr(0, space);
        if (word == "*" || word == syscall) return true;
        if (space == std::string_view::npos) break;
        list.remove_prefix(space + 1);
    }
    return false;
}

std::vector<WatchedFailure> watched_failures() {
    std::vector<WatchedFailure> out;
    for (const Rule& rule : rules()) {
        if (rule.err == 0 || is_denial_errno(rule.err)) continue;
        std::istringstream names{std::string(rule.syscalls)};
        for (std::string name; names >> name;) {
            WatchedFailure pair{name, rule.err};
            auto same = [&](const WatchedFailure& w) { return w.syscall == name && w.err == rule.err; };
            if (std::none_of(out.begin(), out.end(), same)) out.push_back(std::move(pair));
        }
    }
    return out;
}

std::string errno_name(int err) {
    if (const char* name = ::strerrorname_np(err)) return name;
    return std::to_string(err);
}

std::string expand_template(std::string_view text, const std::map<std::string, std::string>& facts) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                auto it = facts.find(std::string(text.substr(i + 1, close - i - 1)));
                if (it != facts.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace capprof
