#pragma once
// Denials that do not fail: a few calls succeed without doing what they
// asked when a capability is missing. setfsuid(2)/setfsgid(2) never return
// an error: without CAP_SETUID/CAP_SETGID they keep the filesystem id and
// return the old one, so the only way to tell is to look at Uid/Gid in
// /proc/TID/status after the call. Checked only at the successful exit of
// the calls ArchSyscalls::may_deny_silently() names.
#include <sys/types.h>

#include <optional>

#include "capprof/syscall_event.hpp"
#include "task_access.hpp"
#include "task_table.hpp"

namespace capprof {

// An event with errno 0 when the call did not take effect, else nullopt.
std::optional<SyscallEvent> decode_silent_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                 const TaskAccess& task);

}  // namespace capprof
