#pragma once
// Facts about one failing call that only some rules need, read while the
// task is still stopped: what it asked for from its memory (capset sets,
// mq_open attributes, the text written to a uid_map) and the limits it ran
// under (RLIMIT_MEMLOCK with VmLck, RLIMIT_NOFILE). Each is read only for
// the calls whose rules look at it.
#include <sys/types.h>

#include "capprof/syscall_event.hpp"
#include "classify/context.hpp"

namespace capprof {

void gather_call_facts(pid_t tid, const SyscallEvent& event, ClassifyContext& context);

}  // namespace capprof
