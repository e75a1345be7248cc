#pragma once
// Per-task state of every traced task, in one table (strace's tcb table).
// Tasks leave the table when their exit is reaped, so memory stays bounded
// however many processes a run creates.
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace capprof {

// A line the process may still write to its fd 2 after a denial
// (message_capture.hpp).
struct PendingMessage {
    bool awaiting = false;  // a denial was delivered; its message not yet taken
    std::string text;       // written so far of the first line
};

// Shared by the threads of one thread group.
struct ProcessState {
    pid_t tgid = 0;
    // The process created an AF_NETLINK socket (or inherited one across fork):
    // its successful receives are checked for NLMSG_ERROR replies.
    bool uses_netlink = false;
    // /proc/TGID/exe, read at the process's first failing call and forgotten
    // at execve: a repeated failure is then recognised (same key as the
    // finding) without reading /proc again.
    std::optional<std::string> exe;
    // Whether it lives in capprof's PID namespace (1), another (0), or not
    // yet known (-1): read at its first call that can signal another
    // process, not inherited (a child of unshare(CLONE_NEWPID) is elsewhere).
    signed char in_own_pid_namespace = -1;
    // Not inherited across fork: what this process was denied and wrote.
    bool denied = false;                  // at least one denial was delivered
    PendingMessage message;
    std::optional<int> leader_status;     // the leader's raw wait status, once reaped
};

// The syscall a task entered, as PTRACE_GET_SYSCALL_INFO reported it at
// entry (the exit stop reports only the return value).
struct SyscallEntry {
    std::uint32_t audit_arch = 0;
    std::uint64_t nr = ~std::uint64_t{0};
    std::array<std::uint64_t, 6> args{};
};

struct TaskState {
    pid_t tid = 0;
    std::shared_ptr<ProcessState> process;
    SyscallEntry entry;
    // Set when capprof skipped the call at entry (signal_fence.hpp, clone3):
    // the value (a result, or -errno) the task sees at the call's exit.
    std::optional<long> forced_return;
};

class TaskTable {
public:
    // Hot path: one hash lookup, or none when the same task stops again.
    TaskState* find(pid_t tid) {
        if (tid == cached_tid_) return cached_;
        auto it = tasks_.find(tid);
        if (it == tasks_.end()) return nullptr;
        cached_tid_ = tid;
        cached_ = &it->second;
        return cached_;
    }

    // A new thread group with `leader` as its first task; a forked child
    // starts with its parent's netlink use and executable.
    TaskState& add_process(pid_t leader, const ProcessState* parent = nullptr);
    // A new thread in the thread group of `sibling`.
    TaskState& add_thread(pid_t tid, const TaskState& sibling);
    void erase(pid_t tid);
    // execve() from a non-leader thread: the execing thread `former` takes
    // over the leader's tid (ptrace(2), "execve(2) under ptrace").
    void exec_took_over(pid_t leader, pid_t former);

    bool empty() const { return tasks_.empty(); }
    std::size_t size() const { return tasks_.size(); }
    const std::unordered_map<pid_t, TaskState>& tasks() const { return tasks_; }

    std::uint64_t processes_seen() const { return processes_seen_; }
    std::uint64_t threads_seen() const { return threads_seen_; }

private:
    TaskState& insert(pid_t tid, std::shared_ptr<ProcessState> process);

    std::unordered_map<pid_t, TaskState> tasks_;
    pid_t cached_tid_ = 0;
    TaskState* cached_ = nullptr;
    std::uint64_t processes_seen_ = 0;
    std::uint64_t threads_seen_ = 0;
};

}  // namespace capprof
