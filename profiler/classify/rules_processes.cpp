// Rule rows: other processes (/proc/PID, signals, ptrace), identity, scheduling and limits.
// Rows are matched in the order rules.cpp concatenates the sections (first
// match wins); each names its predicate (rule_predicates.hpp).
#include "classify/rule_sections.hpp"

namespace capprof::rule_rows {

// /proc/PID/... of another process.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> proc_pid_rules() {
    return {
        {
            .id = "proc-map-files",
            .syscalls = OPENS " stat lstat newfstatat statx readlink readlinkat",
            .err = 0,
            .condition = "/proc/PID/map_files/*",
            .when = proc_map_files,
            .verdict = cap,
            .capability = "CHECKPOINT_RESTORE",
            .alternatives = {"SYS_ADMIN"},
            .explanation = "/proc/PID/map_files needs CAP_CHECKPOINT_RESTORE (or SYS_ADMIN)",
            .fix = "--cap-add CHECKPOINT_RESTORE",
            .notes = {docker_old_name},
        },
        {
            .id = "proc-pid-mode",
            .syscalls = "*",
            .err = EACCES,
            .condition = "/proc/PID/... owned by another user, mode refuses",
            .when = proc_pid_mode_denied,
            .verdict = cap,
            .capability = "{dac_cap}",
            .alternatives = {"{dac_alt}"},
            .explanation = "{dac_why}; /proc/PID entries belong to the process's user, and after this check the kernel may also "
                "ask ptrace_may_access() (SYS_PTRACE)",
            .fix = "--cap-add {dac_cap}, or run as the process's user",
        },
        {
            .id = "proc-pid-ptrace",
            .syscalls = "*",
            .err = 0,
            .condition = "/proc/PID/{environ,mem,maps,fd,...} of another process",
            .when = proc_pid_ptrace_access,
            .verdict = cap,
            .capability = "SYS_PTRACE",
            .explanation = "{path} is guarded by ptrace_may_access(), not by its file mode: the target {target} has "
                "capabilities or an owner this task (uid {uid}, capabilities: {task_caps}) does not",
            .fix = "--cap-add SYS_PTRACE, or run both processes with the same user and capabilities",
        },
    };
}

// Signals and other processes.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> signal_rules() {
    return {
        {
            .id = "kill",
            .syscalls = KILLS,
            .err = EPERM,
            .condition = "target runs as another user",
            .when = kill_other_user,
            .verdict = cap,
            .capability = "KILL",
            .explanation = "signalling {target} needs CAP_KILL: the sender (uid {uid}, euid {euid}) matches neither its real "
                "nor its saved uid",
            .fix = "--cap-add KILL, or run both processes as the same user",
        },
        {
            .id = "ptrace",
            .syscalls = PTRACES,
            .err = EPERM,
            .condition = "ptrace_may_access() of another process",
            .verdict = cap,
            .capability = "SYS_PTRACE",
            .explanation = "{syscall} on {target} needs CAP_SYS_PTRACE: the target has another owner, more capabilities or is "
                "not dumpable{ptrace_scope_note}",
            .fix = "--cap-add SYS_PTRACE (high risk), or run the tools as the target's user with its capabilities",
        },
        {
            .id = "userfaultfd",
            .syscalls = "userfaultfd",
            .err = EPERM,
            .condition = "vm.unprivileged_userfaultfd = 0",
            .verdict = cap,
            .capability = "SYS_PTRACE",
            .explanation = "userfaultfd() handling kernel faults needs CAP_SYS_PTRACE when vm.unprivileged_userfaultfd is 0",
            .fix = "pass UFFD_USER_MODE_ONLY, or --cap-add SYS_PTRACE",
        },
    };
}

// Identity: user and group ids.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> identity_rules() {
    return {
        {
            .id = "setuid",
            .syscalls = "setuid setuid32 setreuid setreuid32 setresuid setresuid32 setfsuid setfsuid32",
            .err = EPERM,
            .condition = "switching to a uid the task does not have",
            .verdict = cap,
            .capability = "SETUID",
            .explanation = "switching user ids needs CAP_SETUID (the task, uid {uid}, may only switch among its own ids)",
            .fix = "--cap-add SETUID, or start the program as the target user (docker run --user)",
            .notes = {"if the program carries on after this fails, it keeps running as uid {uid} instead of the user it "
                "meant to become (measured: apache2's workers stay root, without capabilities)"},
        },
        {
            .id = "setfsuid-silent",
            .syscalls = "setfsuid setfsuid32",
            .err = 0,
            .condition = "the filesystem uid did not change (setfsuid never fails)",
            .verdict = cap,
            .capability = "SETUID",
            .explanation = "setfsuid() never returns an error: without CAP_SETUID the kernel kept the filesystem uid {uid} and "
                "files are still opened as that user",
            .fix = "--cap-add SETUID, or start the program as the target user (docker run --user)",
            .silent = true,
        },
        {
            .id = "setfsgid-silent",
            .syscalls = "setfsgid setfsgid32",
            .err = 0,
            .condition = "the filesystem gid did not change (setfsgid never fails)",
            .verdict = cap,
            .capability = "SETGID",
            .explanation = "setfsgid() never returns an error: without CAP_SETGID the kernel kept the filesystem gid {gid} and "
                "files are still opened with that group",
            .fix = "--cap-add SETGID, or start the program as the target group (docker run --user)",
            .silent = true,
        },
        {
            .id = "chmod-setgid-silent",
            .syscalls = "chmod fchmod fchmodat fchmodat2",
            .err = 0,
            .condition = "set-group-ID asked on a file of a group the caller is not in (silent: the bit is cleared)",
            .verdict = cap,
            .capability = "FSETID",
            .explanation = "{syscall}() asked for the set-group-ID bit on {path}, whose group {file_gid} is neither the caller's "
                "filesystem gid {gid} nor one of its groups: without CAP_FSETID the kernel cleared the bit and the "
                "call succeeded (the mode is now {file_mode}); new files there will not inherit the group",
            .fix = "--cap-add FSETID, or chgrp to a group the process is in (or run it with that group)",
            .silent = true,
        },
        {
            .id = "setgid",
            .syscalls = "setgid setgid32 setregid setregid32 setresgid setresgid32 setfsgid setfsgid32 setgroups setgroups32",
            .err = EPERM,
            .condition = "switching to a gid the task does not have, or setgroups",
            .verdict = cap,
            .capability = "SETGID",
            .explanation = "changing group ids or the supplementary groups needs CAP_SETGID",
            .fix = "--cap-add SETGID, or start the program as the target user and group (docker run --user)",
            .notes = {"if the program carries on after this fails, it keeps its current groups instead of those it meant "
                "to take (measured: apache2's workers stay in group 0)"},
        },
    };
}

// Scheduling and limits.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> scheduling_rules() {
    return {
        {
            .id = "rt-sched-held",
            .syscalls = SCHED_SETS,
            .err = EPERM,
            .condition = "real-time policy refused although SYS_NICE is held",
            .when = sched_realtime_held,
            .verdict = none,
            .capability = "",
            .alternatives = {"SYS_NICE"},
            .explanation = "{policy} was refused although the task holds CAP_SYS_NICE: its cgroup has no real-time runtime "
                "(cpu.rt_runtime_us = {rt_runtime})",
            .fix = "give the container real-time time (docker run --cpu-rt-runtime=N, with dockerd --cpu-rt-period), "
                "or use SCHED_OTHER",
            .notes = {"Docker containers get cpu.rt_runtime_us=0 under cgroup v1 with RT group scheduling"},
        },
        {
            .id = "sched",
            .syscalls = SCHED_SETS " sched_setaffinity",
            .err = EPERM,
            .condition = "real-time policy, or another user's process",
            .verdict = cap,
            .capability = "SYS_NICE",
            .explanation = "{syscall}() for a real-time policy with RLIMIT_RTPRIO at 0, or on another user's process, needs "
                "CAP_SYS_NICE",
            .fix = "--cap-add SYS_NICE, or raise RLIMIT_RTPRIO (docker run --ulimit rtprio=N)",
            .notes = {"Docker containers under cgroup v1 with RT group scheduling also need --cpu-rt-runtime"},
        },
        {
            .id = "nice",
            .syscalls = "setpriority nice",
            .err = EACCES,
            .condition = "lowering the nice value",
            .verdict = cap,
            .capability = "SYS_NICE",
            .explanation = "lowering the nice value (to {nice}) needs CAP_SYS_NICE or RLIMIT_NICE",
            .fix = "--cap-add SYS_NICE, or raise RLIMIT_NICE (docker run --ulimit nice=N)",
            .notes = {"programs often try this and carry on: check whether the workload needs it"},
        },
        {
            .id = "nice-other",
            .syscalls = "setpriority nice",
            .err = EPERM,
            .condition = "another user's process",
            .verdict = cap,
            .capability = "SYS_NICE",
            .explanation = "changing the priority of {target} (another user's process) needs CAP_SYS_NICE",
            .fix = "--cap-add SYS_NICE, or run both processes as the same user",
        },
        {
            .id = "ioprio",
            .syscalls = "ioprio_set",
            .err = EPERM,
            .condition = "realtime class, or another user's process",
            .verdict = cap,
            .capability = "SYS_NICE",
            .alternatives = {"SYS_ADMIN"},
            .explanation = "the real-time I/O class (or another user's process) needs CAP_SYS_NICE; the kernel also accepts "
                "CAP_SYS_ADMIN, which is far broader",
            .fix = "--cap-add SYS_NICE (not SYS_ADMIN)",
            .notes = {"check-based tools report SYS_ADMIN here because the kernel tests it first"},
        },
        {
            .id = "migrate-pages",
            .syscalls = "migrate_pages move_pages mbind",
            .err = EPERM,
            .condition = "another user's process, MPOL_MF_MOVE_ALL",
            .verdict = cap,
            .capability = "SYS_NICE",
            .explanation = "moving another process's pages (or shared pages) needs CAP_SYS_NICE",
            .fix = "--cap-add SYS_NICE",
        },
        {
            .id = "rlimit",
            .syscalls = "setrlimit prlimit64 ugetrlimit",
            .err = EPERM,
            .condition = "raising a hard limit",
            .verdict = cap,
            .capability = "SYS_RESOURCE",
            .explanation = "raising a hard resource limit (or setting another user's limits) needs CAP_SYS_RESOURCE",
            .fix = "set the limit from outside (docker run --ulimit)",
            .notes = {"root's bounding set may lack SYS_RESOURCE on some hosts: Docker then cannot grant it"},
        },
    };
}

}  // namespace capprof::rule_rows
