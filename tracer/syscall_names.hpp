#pragma once
// Syscall names and numbers per architecture, from libseccomp (the only
// libseccomp user), so that i386 compat tasks on x86_64 get i386 names.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capprof/syscall_event.hpp"

namespace capprof {

// AUDIT_ARCH_* from PTRACE_GET_SYSCALL_INFO plus the syscall number: x32
// tasks report AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT set in nr.
Arch arch_from_audit(std::uint32_t audit_arch, std::uint64_t nr);

// "bind"; "syscall_N" when libseccomp does not know the number.
std::string syscall_name(Arch arch, int nr);

// Number of `name` on `arch`, if it exists there.
std::optional<int> syscall_number(Arch arch, const char* name);

// Every name libseccomp knows for x86_64 and i386, sorted, without repeats.
std::vector<std::string> known_syscall_names();

}  // namespace capprof
