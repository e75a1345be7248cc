#pragma once
// The program's own words after a denial (EventSink::on_message): the first
// line a process writes to its fd 2 after a denied call and before its next
// denial or its exit, up to a newline or max_message_bytes. Only a process
// with a pending denial is looked at, and only its successful write(2) and
// writev(2) to fd 2: every other syscall exit costs one flag test, so the
// tracer's hot path does not move (docs/PERFORMANCE.md).
#include <cstddef>
#include <optional>
#include <string>

#include "task_access.hpp"
#include "task_table.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

inline constexpr std::size_t max_message_bytes = 200;

// Whether the successful syscall `entry` wrote to fd 2 (write, writev).
inline bool writes_to_stderr(const ArchSyscalls& numbers, const SyscallEntry& entry) {
    return (entry.nr == numbers.write || entry.nr == numbers.writev) && entry.args[0] == 2;
}

// Adds what the call wrote (`ret` bytes) to the pending line; returns the
// line once it has a newline or max_message_bytes (the window closes then).
// `compat`: an i386 task (32-bit iovecs).
std::optional<std::string> capture_written(PendingMessage& pending, const ArchSyscalls& numbers,
                                           const SyscallEntry& entry, long ret, const TaskAccess& task,
                                           bool compat);

// The window closes (a new denial, the process's end): what was written of
// a line without its newline, if anything. The process awaits nothing then.
std::optional<std::string> close_message(PendingMessage& pending);

}  // namespace capprof
