#pragma once
// Denials that do not fail: a few calls succeed without doing what they
// asked when a capability is missing, and the program notices later, or
// never. Checked only at the successful exit of the calls
// ArchSyscalls::may_deny_silently() names, each first by its registers:
// - setfsuid(2)/setfsgid(2) never return an error: without CAP_SETUID/
//   CAP_SETGID they keep the filesystem id and return the old one, so the
//   only way to tell is Uid/Gid in /proc/TID/status after the call.
// - chmod(2) and its relatives asking for the set-group-ID bit on a file
//   whose group is neither the caller's filesystem gid nor one of its
//   groups succeed without CAP_FSETID and clear the bit (setattr_prepare(),
//   fs/attr.c): a stat of the file after the call tells.
// - Opening /proc/kallsyms or /proc/modules for reading succeeds, but
//   without CAP_SYSLOG the addresses read from it are zeros unless
//   kernel.kptr_restrict is 0 and kernel.perf_event_paranoid at most 1
//   (kallsyms_show_value(), kernel/ksyms_common.c; the opener's
//   credentials count). Only these two files: /proc/net/* hides addresses
//   too, but ss and lsof read it without needing them.
#include <sys/types.h>

#include <optional>

#include "capprof/syscall_event.hpp"
#include "task_access.hpp"
#include "task_table.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

// An event with errno 0 when the call did not (fully) take effect, else nullopt.
std::optional<SyscallEvent> decode_silent_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                 const ArchSyscalls& numbers, const TaskAccess& task);

// Whether an open of /proc/kallsyms or /proc/modules by a task with
// effective capabilities `cap_eff` shows zeroed addresses, given
// kernel.kptr_restrict and kernel.perf_event_paranoid (exposed for tests).
bool kernel_addresses_hidden(std::uint64_t cap_eff, int kptr_restrict, int perf_event_paranoid);

}  // namespace capprof
