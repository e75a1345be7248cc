#pragma once
// Everything about the environment a rule may need, gathered once by
// gather_context() while the failing task is still stopped. The classifier,
// the rule predicates and the DAC walk all read it; it depends on none of them.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capprof/syscall_event.hpp"

namespace capprof {

// What stat(2) said about one component of a path, as the task sees it.
struct PathComponent {
    std::string path;       // absolute, in the task's view
    bool exists = false;
    bool is_dir = false;
    bool is_symlink = false;
    unsigned mode = 0;      // st_mode
    uid_t uid = 0;
    gid_t gid = 0;
    bool has_acl = false;   // system.posix_acl_access present
    unsigned attr_flags = 0;  // FS_IOC_GETFLAGS (FS_IMMUTABLE_FL, FS_APPEND_FL)
};

struct MountInfo {
    std::string mount_point;
    bool read_only = false, nosuid = false, noexec = false, nodev = false;
};

// The sets a failing capset(2) asked for (its cap_user_data_t, read while
// the task is stopped).
struct CapsetRequest {
    std::uint64_t effective = 0, permitted = 0, inheritable = 0;
};

// The task's memory-lock figures (/proc/TID/status, /proc/TID/limits), read
// for the calls a memory-lock limit can refuse.
struct MemlockState {
    std::uint64_t locked = 0;   // VmLck, bytes
    std::uint64_t mapped = 0;   // VmSize, bytes (mlockall compares it with the limit)
    std::optional<std::uint64_t> limit;  // soft RLIMIT_MEMLOCK, bytes; nullopt: unlimited
};

// The queue attributes a failing mq_open(2) asked for, and the limits of
// /proc/sys/fs/mqueue that apply without CAP_SYS_RESOURCE.
struct MqueueRequest {
    long max_messages = 0, message_size = 0;
    std::optional<long> msg_max, msgsize_max;
};

struct ClassifyContext {
    // sysctls as seen by capprof (the task's network namespace may differ)
    int ip_unprivileged_port_start = 1024;
    bool same_netns = true;        // task shares capprof's network namespace
    bool same_userns = true;       // task shares capprof's user namespace
    std::optional<int> ptrace_scope;           // kernel.yama.ptrace_scope
    std::optional<int> dmesg_restrict;
    std::optional<int> kptr_restrict;          // kernel.kptr_restrict
    std::optional<int> perf_event_paranoid;
    std::optional<int> protected_hardlinks, protected_symlinks;
    std::string ping_group_range;              // "1 0"
    std::vector<std::string> lsms;             // /sys/kernel/security/lsm
    // path analysis for event.path (and path2): every component from "/"
    std::vector<PathComponent> components;
    std::vector<PathComponent> components2;
    std::optional<MountInfo> mount;            // mount holding event.path
    // file capabilities (security.capability) of event.path for execve
    std::optional<std::uint64_t> file_caps_permitted;
    bool file_caps_effective = false;
    // the target of kill/ptrace/setpriority/... (pid argument), if readable
    std::optional<TaskInfo> target;
    // more environment facts (added for the classifier's rules)
    std::optional<int> protected_regular, protected_fifos;  // fs.protected_*
    std::optional<int> unprivileged_bpf_disabled;           // kernel.unprivileged_bpf_disabled
    std::optional<int> unprivileged_userns_clone;           // Debian's kernel.unprivileged_userns_clone
    std::optional<int> max_user_namespaces;                 // user.max_user_namespaces
    std::string lsm_label;                 // /proc/TID/attr/current ("unconfined", "docker-default (enforce)")
    std::optional<pid_t> target_tracer;    // TracerPid of the target (non-zero: already traced)
    std::optional<long> rt_runtime_us;     // cgroup v1 cpu.rt_runtime_us of the task (0: no RT time)
    std::optional<CapsetRequest> capset_request;  // capset(2) only
    std::optional<MemlockState> memlock;          // mlock/mmap/shmctl/io_uring_register only
    std::optional<MqueueRequest> mqueue_request;  // mq_open(2) with attributes only
    std::optional<long> nofile_limit;             // soft RLIMIT_NOFILE, sendmsg only
    std::optional<std::string> written;  // what a write(2) to /proc/PID/{uid,gid}_map wrote
    // Where fixes must not widen permissions: the host path of the task's
    // root ("/" unless it chrooted), and chroot directories named by the
    // configuration of chrooting daemons (vsftpd, sshd), in the task's view.
    std::string root_on_host = "/";
    std::vector<std::string> chroot_dirs;
};

// Reads the environment for `event` (filesystem, /proc, sysctls). Never
// follows a symlink out of the task's root, never opens anything for writing,
// and opens the workload's files for reading only where nothing else can
// tell (no lease of the workload's is broken).
ClassifyContext gather_context(const SyscallEvent& event);

}  // namespace capprof
