#pragma once
// A denied privilege drop: a setuid/setgid-family call that would have moved
// a root process to another user or group, or a setgroups that would have
// taken away a group it holds. Whatever the program does next, granting the
// capability is safer than the answer without it: a program that carries on
// keeps running as uid/gid 0 and owns every root-owned file (docs/ARCHITECTURE.md, "An
// answer is safe to paste").
#include "capprof/syscall_event.hpp"

namespace capprof {

bool is_privilege_drop(const SyscallEvent& event);

}  // namespace capprof
