#include "watched_syscalls.hpp"

#include <linux/audit.h>

#include "syscall_names.hpp"

namespace capprof {

namespace {

ArchSyscalls resolve(Arch arch) {
    ArchSyscalls numbers;
    auto set = [&](std::uint64_t& field, const char* name) {
        if (auto nr = syscall_number(arch, name)) field = static_cast<std::uint64_t>(*nr);
    };
    set(numbers.socket, "socket");
    if (arch == Arch::i386) set(numbers.socketcall, "socketcall");
    set(numbers.clone, "clone");
    set(numbers.clone3, "clone3");
    set(numbers.read, "read");
    set(numbers.recvfrom, "recvfrom");
    set(numbers.recvmsg, "recvmsg");
    set(numbers.setfsuid, "setfsuid");
    set(numbers.setfsgid, "setfsgid");
    if (arch == Arch::i386) {
        set(numbers.setfsuid32, "setfsuid32");
        set(numbers.setfsgid32, "setfsgid32");
    }
    return numbers;
}

}  // namespace

const WatchedSyscalls& WatchedSyscalls::get() {
    static const WatchedSyscalls watched{resolve(Arch::x86_64), resolve(Arch::i386)};
    return watched;
}

const ArchSyscalls& WatchedSyscalls::for_audit_arch(std::uint32_t audit_arch) const {
    return audit_arch == AUDIT_ARCH_I386 ? i386 : x86_64;
}

}  // namespace capprof
