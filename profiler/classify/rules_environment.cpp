// Rule rows: causes no capability fixes (file attributes, read-only mounts, sysctls, seccomp, LSMs, capprof itself), first and as last resorts.
// Rows are matched in the order rules.cpp concatenates the sections (first
// match wins); each names its predicate (rule_predicates.hpp).
#include "classify/rule_sections.hpp"

namespace capprof::rule_rows {

// Causes no capability fixes: attributes, mounts, sysctls, capprof itself.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> no_capability_rules() {
    return {
        {
            .id = "ptrace-traceme",
            .syscalls = "ptrace",
            .err = EPERM,
            .condition = "PTRACE_TRACEME while capprof traces the task",
            .when = ptrace_traceme,
            .verdict = none,
            .capability = "",
            .explanation = "PTRACE_TRACEME failed because capprof is already tracing this task (a task has one tracer)",
            .fix = "profile the program without its self-tracing, or run it outside capprof to check",
        },
        {
            .id = "epoll-unsupported",
            .syscalls = "epoll_ctl",
            .err = EPERM,
            .condition = "the file cannot be polled",
            .verdict = none,
            .capability = "",
            .explanation = "epoll_ctl() refuses a file that cannot be polled (a regular file or directory) with EPERM: not a "
                "permission check; programs that poll their stdin or stdout (Go, libuv) try it and carry on",
            .fix = "nothing to grant: it happens when input or output is a file",
        },
        {
            .id = "setsid-leader",
            .syscalls = "setsid",
            .err = EPERM,
            .condition = "the caller already leads a process group",
            .verdict = none,
            .capability = "",
            .explanation = "setsid() fails with EPERM when the caller already leads a process group: not a permission check",
            .fix = "nothing to grant; fork first and call setsid() in the child (as setsid(1) does)",
        },
        {
            .id = "setpgid-session",
            .syscalls = "setpgid",
            .err = EPERM,
            .condition = "a session leader, or a group in another session",
            .verdict = none,
            .capability = "",
            .explanation = "setpgid() fails with EPERM for a session leader or for a group in another session: not a "
                "permission check",
            .fix = "nothing to grant",
        },
        {
            .id = "memfd-sealed",
            .syscalls = "write pwrite64 writev pwritev pwritev2 ftruncate ftruncate64 fallocate fcntl fcntl64",
            .err = EPERM,
            .condition = "a sealed memfd",
            .when = memfd_path,
            .verdict = none,
            .capability = "",
            .explanation = "{path} is a memfd whose seals (F_SEAL_WRITE, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_SEAL) forbid this: "
                "not a permission check",
            .fix = "nothing to grant: the program (or whoever passed it the memfd) sealed it",
        },
        {
            .id = "ptrace-target-traced",
            .syscalls = "ptrace",
            .err = EPERM,
            .condition = "PTRACE_ATTACH/SEIZE of a task that already has a tracer",
            .when = ptrace_target_traced,
            .verdict = none,
            .capability = "",
            .explanation = "the target {target} is already traced by pid {tracer} (capprof traces every task of the workload)",
            .fix = "this failure comes from profiling itself; check the program outside capprof",
        },
        {
            .id = "ptrace-scope-3",
            .syscalls = PTRACES " " OPENS,
            .err = 0,
            .condition = "kernel.yama.ptrace_scope = 3",
            .when = ptrace_scope_forbids,
            .verdict = none,
            .capability = "",
            .explanation = "kernel.yama.ptrace_scope is {ptrace_scope}: ptrace attach is disabled for everyone, "
                "whatever the capabilities",
            .fix = "nothing in the container can fix it; on the host a reboot is needed to lower ptrace_scope from 3",
        },
        {
            .id = "immutable-file",
            .syscalls = PATH_CHANGES,
            .err = EPERM,
            .condition = "an inode on the path has chattr +i or +a",
            .when = attr_blocked,
            .verdict = none,
            .capability = "",
            .explanation = "{attr_why}",
            .fix = "{attr_fix}",
        },
        {
            .id = "read-only-kernel-interface",
            .syscalls = OPENS " truncate truncate64 mkdir mkdirat rmdir unlink unlinkat",
            .err = EROFS,
            .condition = "a write under /proc/sys, /sys, /proc/sysrq-trigger, /proc/irq or /proc/bus, mounted read-only",
            .when = read_only_kernel_interface,
            .verdict = none,
            .capability = "",
            .explanation = "{path} is on a read-only mount of {ro_mount}, as Docker mounts it in every container (and capprof "
                "in isolated trials): no capability makes a read-only mount writable",
            .fix = "{ro_fix}",
        },
        {
            .id = "noexec-mount",
            .syscalls = "execve execveat uselib",
            .err = EACCES,
            .condition = "the file is on a noexec mount",
            .when = exec_noexec_mount,
            .verdict = none,
            .capability = "",
            .explanation = "{path} is on a mount with noexec ({mount_point}): nothing may be executed from it",
            .fix = "mount it without noexec, or copy the program to an executable mount",
        },
        {
            .id = "protected-symlinks",
            .syscalls = "*",
            .err = EACCES,
            .condition = "fs.protected_symlinks: foreign symlink in a sticky world-writable dir",
            .when = protected_symlink,
            .verdict = none,
            .capability = "",
            .explanation = "fs.protected_symlinks is {protected_symlinks}: a symlink in a sticky world-writable directory is "
                "followed only by its owner or the directory's owner",
            .fix = "use a path without the foreign symlink (or a private directory); the sysctl is host-wide",
        },
        {
            .id = "protected-regular",
            .syscalls = OPENS,
            .err = EACCES,
            .condition = "fs.protected_regular/fifos: O_CREAT of a foreign file in a sticky dir",
            .when = protected_regular,
            .verdict = none,
            .capability = "",
            .explanation = "fs.protected_regular is {protected_regular} (fifos {protected_fifos}): O_CREAT of an existing file "
                "owned by another user in a sticky world-writable directory is refused to everyone",
            .fix = "open it without O_CREAT, or use a private directory instead of /tmp",
        },
        {
            .id = "exec-no-x-bit",
            .syscalls = "execve execveat uselib",
            .err = EACCES,
            .condition = "the file has no execute bit at all",
            .when = dac_denied_no_capability,
            .verdict = none,
            .capability = "",
            .explanation = "{dac_why}",
            .fix = "{dac_fix}",
        },
    };
}

// Last resorts: what the environment says.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> last_resort_rules() {
    return {
        {
            .id = "user-namespace",
            .syscalls = "*",
            .err = 0,
            .condition = "the task is in a user namespace of its own",
            .when = foreign_user_namespace,
            .verdict = none,
            .capability = "",
            .explanation = "the task runs in a user namespace other than capprof's: capabilities it holds there do not reach "
                "objects of the initial namespace",
            .fix = "do this before creating the user namespace, or in a namespace the program owns",
        },
        {
            .id = "seccomp",
            .syscalls = "*",
            .err = 0,
            .condition = "a seccomp filter is active and no rule above explains the call",
            .when = seccomp_filter,
            .verdict = none,
            .capability = "",
            .explanation = "{syscall} failed with {errno} and the task runs under a seccomp filter (Seccomp: "
                "{seccomp}); no capability check explains this call, so the filter most likely refused it",
            .fix = "allow {syscall} in the seccomp profile (docker run --security-opt seccomp=PROFILE)",
        },
        {
            .id = "lsm",
            .syscalls = "*",
            .err = 0,
            .condition = "an LSM confines the task and no rule above explains the call",
            .when = lsm_confined,
            .verdict = none,
            .capability = "",
            .explanation = "the task is confined by an LSM ({lsm_label}; active: {lsms}); no capability check explains "
                "this call, so the policy most likely refused it",
            .fix = "check the audit log (ausearch -m AVC,APPARMOR) and adjust the profile",
        },
    };
}

}  // namespace capprof::rule_rows
