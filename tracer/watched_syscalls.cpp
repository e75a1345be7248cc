#include "watched_syscalls.hpp"

#include <linux/audit.h>

#include "syscall_names.hpp"

namespace capprof {

namespace {

static_assert(AUDIT_ARCH_X86_64 == 0xc000003e);

ArchSyscalls resolve(Arch arch) {
    ArchSyscalls numbers;
    auto set = [&](std::uint64_t& field, const char* name, bool at_entry = false) {
        auto nr = syscall_number(arch, name);
        if (!nr) return;
        field = static_cast<std::uint64_t>(*nr);
        std::uint64_t index = field & ~ArchSyscalls::x32_bit;
        if (at_entry && index < numbers.at_entry.size()) numbers.at_entry.set(index);
    };
    set(numbers.socket, "socket", true);
    if (arch == Arch::i386) set(numbers.socketcall, "socketcall", true);
    set(numbers.clone, "clone", true);
    set(numbers.clone3, "clone3", true);
    set(numbers.read, "read");
    set(numbers.recvfrom, "recvfrom");
    set(numbers.recvmsg, "recvmsg");
    set(numbers.write, "write");
    set(numbers.writev, "writev");
    set(numbers.chmod, "chmod");
    set(numbers.fchmod, "fchmod");
    set(numbers.fchmodat, "fchmodat");
    set(numbers.fchmodat2, "fchmodat2");
    set(numbers.open, "open");
    set(numbers.openat, "openat");
    set(numbers.openat2, "openat2");
    set(numbers.setfsuid, "setfsuid");
    set(numbers.setfsgid, "setfsgid");
    if (arch == Arch::i386) {
        set(numbers.setfsuid32, "setfsuid32");
        set(numbers.setfsgid32, "setfsgid32");
    }
    for (auto [field, name] : {std::pair{&numbers.kill, "kill"},
                               {&numbers.tkill, "tkill"},
                               {&numbers.tgkill, "tgkill"},
                               {&numbers.rt_sigqueueinfo, "rt_sigqueueinfo"},
                               {&numbers.rt_tgsigqueueinfo, "rt_tgsigqueueinfo"},
                               {&numbers.pidfd_send_signal, "pidfd_send_signal"},
                               {&numbers.pidfd_open, "pidfd_open"},
                               {&numbers.fcntl, "fcntl"},
                               {&numbers.ioctl, "ioctl"}})
        set(*field, name, true);
    if (arch == Arch::i386) set(numbers.fcntl64, "fcntl64", true);
    for (std::uint64_t nr : {numbers.setfsuid, numbers.setfsgid, numbers.setfsuid32, numbers.setfsgid32,
                             numbers.chmod, numbers.fchmod, numbers.fchmodat, numbers.fchmodat2, numbers.open,
                             numbers.openat, numbers.openat2}) {
        if (nr < numbers.at_silent_exit.size()) numbers.at_silent_exit.set(nr);
    }
    return numbers;
}

}  // namespace

const WatchedSyscalls& WatchedSyscalls::get() {
    static const WatchedSyscalls watched{resolve(Arch::x86_64), resolve(Arch::i386), resolve(Arch::x32)};
    return watched;
}

const ArchSyscalls& WatchedSyscalls::for_audit_arch(std::uint32_t audit_arch) const {
    return audit_arch == AUDIT_ARCH_I386 ? i386 : x86_64;
}

}  // namespace capprof
