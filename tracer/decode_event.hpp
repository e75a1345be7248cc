#pragma once
// Turns a failing syscall exit into a SyscallEvent: name (arch-aware), raw
// args, and the decoded arguments (paths resolved as the task sees them,
// sockaddr, socket triple, flags) with a strace-like args_text. Runs only at
// failing exits, never for successful syscalls.
#include <sys/types.h>

#include <optional>
#include <string_view>

#include "capprof/syscall_event.hpp"
#include "task_access.hpp"
#include "task_table.hpp"

namespace capprof {

// The task's basic identity (tid/pid) is filled; TaskInfo is not read here.
SyscallEvent decode_failure(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                            const TaskAccess& task);

// At the exit of a successful receive (recvmsg/recvfrom/recv/read, i386
// socketcall too) that returned `ret` bytes: an event if the reply is an
// NLMSG_ERROR with -EPERM/-EACCES on a netlink socket.
std::optional<SyscallEvent> decode_netlink_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry,
                                                  long ret, const TaskAccess& task);

// The clone flags of a clone()/clone3() entry (clone3 reads struct
// clone_args.flags from the task), for telling threads from processes.
std::optional<std::uint64_t> clone_flags_of(const SyscallEntry& entry, const TaskAccess& task);

// "ipc" or "socketcall" when i386 tasks may make `name` through that
// multiplexer (glibc does for System V IPC and socket calls); else nullptr.
const char* i386_multiplexer(std::string_view name);

// Whether a socket()/socketcall(SYS_SOCKET) entry creates an AF_NETLINK socket.
bool creates_netlink_socket(const SyscallEntry& entry, const TaskAccess& task);

}  // namespace capprof
