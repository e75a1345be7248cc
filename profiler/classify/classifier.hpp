#pragma once
// Classification is a pure function of (event, context): the context holds
// every fact about the environment a rule may need, gathered once by
// gather_context() while the failing task is still stopped.
#include "capprof/finding.hpp"
#include "capprof/syscall_event.hpp"
#include "classify/context.hpp"

namespace capprof {

// The verdict for one failing call.
Finding classify(const SyscallEvent& event, const ClassifyContext& context);

// Whether a classified failure is a denial worth reporting: any failure
// with EPERM or EACCES, and one with another errno (ENOMEM from mlock...)
// only when a rule explains it -- ENOMEM also means "range not mapped".
bool is_denial(const Finding& finding);

}  // namespace capprof
