#pragma once
// Typed access to a failing call's arguments: the positions follow the x86_64
// and i386 syscall ABIs, which agree for every syscall used here. The rule
// predicates, the DAC walk and gather_context() all read them.
#include <sys/types.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "capprof/syscall_event.hpp"

namespace capprof {

// Whether `name` (a syscall's) is one of `names`.
bool named(std::string_view name, std::initializer_list<std::string_view> names);

// Raw argument `i` (0-based) of the event.
std::uint64_t arg(const SyscallEvent& event, int i);
// The same, as the int the syscall takes (pids, flags, signal numbers).
int arg_int(const SyscallEvent& event, int i);

// open/openat/creat/openat2 flags (openat2's come from the decoded text).
std::optional<int> open_flags(const SyscallEvent& event);

// The process or thread the call acts on (kill, tgkill, ptrace, setpriority,
// sched_*, ioprio_set, prlimit64, process_vm_*, kcmp, ...), or the PID in a
// /proc/PID/... path. "self"/0 resolve to the calling task.
std::optional<pid_t> target_pid(const SyscallEvent& event);

// "/proc/123/environ" -> 123 and "environ"; /proc/self and /proc/thread-self
// resolve to the task. Also /proc/PID/task/TID/... (the TID is returned).
struct ProcPidPath {
    pid_t pid = 0;
    std::string entry;   // "environ", "mem", "fd", "map_files", ... ("" for the directory)
};
std::optional<ProcPidPath> proc_pid_path(const SyscallEvent& event);

// The path the call names: event.path, or the file of an AF_UNIX sockaddr.
std::optional<std::string> primary_path(const SyscallEvent& event);

// The xattr name of setxattr/removexattr (from the decoded arguments).
std::optional<std::string> xattr_name(const SyscallEvent& event);

}  // namespace capprof
