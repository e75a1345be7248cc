#include "syscall_names.hpp"

#include <linux/audit.h>
#include <seccomp.h>

#include <algorithm>
#include <cstdlib>

namespace capprof {

namespace {

constexpr std::uint64_t x32_syscall_bit = 0x40000000;  // __X32_SYSCALL_BIT

std::uint32_t scmp_arch(Arch arch) {
    switch (arch) {
        case Arch::x86_64: return SCMP_ARCH_X86_64;
        case Arch::i386: return SCMP_ARCH_X86;
        case Arch::x32: return SCMP_ARCH_X32;
        case Arch::unknown: break;
    }
    return SCMP_ARCH_NATIVE;
}

}  // namespace

Arch arch_from_audit(std::uint32_t audit_arch, std::uint64_t nr) {
    switch (audit_arch) {
        case AUDIT_ARCH_X86_64: return (nr & x32_syscall_bit) ? Arch::x32 : Arch::x86_64;
        case AUDIT_ARCH_I386: return Arch::i386;
        default: return Arch::unknown;
    }
}

std::string syscall_name(Arch arch, int nr) {
    // libseccomp knows x32 numbers with the x32 bit set.
    char* name = seccomp_syscall_resolve_num_arch(scmp_arch(arch), nr);
    if (!name) return "syscall_" + std::to_string(nr);
    std::string result(name);
    std::free(name);
    return result;
}

std::optional<int> syscall_number(Arch arch, const char* name) {
    int nr = seccomp_syscall_resolve_name_arch(scmp_arch(arch), name);
    if (nr >= 0) return nr;
    if (nr == __NR_SCMP_ERROR) return std::nullopt;
    // libseccomp answers i386 socket calls with a negative pseudo number (they
    // are multiplexed through socketcall(2)); the direct syscalls (Linux 4.3+,
    // 359..373) are found by scanning the number -> name direction.
    for (int candidate = 0; candidate < 1024; ++candidate) {
        if (syscall_name(arch, candidate) == name) return candidate;
    }
    return std::nullopt;
}

std::vector<std::string> known_syscall_names() {
    std::vector<std::string> names;
    for (Arch arch : {Arch::x86_64, Arch::i386}) {
        for (int nr = 0; nr < 1024; ++nr) {
            char* name = seccomp_syscall_resolve_num_arch(scmp_arch(arch), nr);
            if (!name) continue;
            names.emplace_back(name);
            std::free(name);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace capprof
