#pragma once
// The few syscall numbers the tracer's loop compares against on every stop,
// resolved once per architecture through syscall_names (libseccomp).
#include <bitset>
#include <cstdint>

namespace capprof {

struct ArchSyscalls {
    static constexpr std::uint64_t none = ~std::uint64_t{0};
    static constexpr std::uint64_t x32_bit = 0x40000000;  // __X32_SYSCALL_BIT
    std::uint64_t socket = none;
    std::uint64_t socketcall = none;  // i386 multiplexer
    std::uint64_t clone = none;
    std::uint64_t clone3 = none;
    std::uint64_t read = none;
    std::uint64_t recvfrom = none;
    std::uint64_t recvmsg = none;
    // Writes to fd 2 after a denial (message_capture.hpp).
    std::uint64_t write = none, writev = none;
    // setfsuid/setfsgid never fail (silent_denial.hpp); i386 has 16- and 32-bit ones.
    std::uint64_t setfsuid = none, setfsgid = none, setfsuid32 = none, setfsgid32 = none;
    // chmod asking for set-group-ID may drop it silently; opening
    // /proc/kallsyms or /proc/modules may show zeroed addresses.
    std::uint64_t chmod = none, fchmod = none, fchmodat = none, fchmodat2 = none;
    std::uint64_t open = none, openat = none, openat2 = none;
    // Calls that reach another process (signal_fence.hpp).
    std::uint64_t kill = none;
    std::uint64_t tkill = none;
    std::uint64_t tgkill = none;
    std::uint64_t rt_sigqueueinfo = none;
    std::uint64_t rt_tgsigqueueinfo = none;
    std::uint64_t pidfd_send_signal = none;
    std::uint64_t pidfd_open = none;
    std::uint64_t fcntl = none;
    std::uint64_t fcntl64 = none;     // i386
    std::uint64_t ioctl = none;

    // The calls the tracer looks at when they enter: every other entry costs
    // this one bit test (x32 numbers are looked up without their x32 bit).
    std::bitset<1024> at_entry;
    bool watched_at_entry(std::uint64_t nr) const {
        nr &= ~x32_bit;
        return nr < at_entry.size() && at_entry[nr];
    }

    // A syscall that returns received bytes in a buffer (netlink replies).
    bool receives(std::uint64_t nr) const {
        return nr == recvmsg || nr == recvfrom || nr == read || nr == socketcall;
    }

    // A syscall whose success may hide a denial (silent_denial.hpp): only
    // these named calls cost more than the bare loop at their exit, and
    // each first looks at its registers before it reads anything.
    // One bit test at every successful exit (x32 calls, whose numbers carry
    // __X32_SYSCALL_BIT, are not looked at).
    std::bitset<1024> at_silent_exit;
    bool may_deny_silently(std::uint64_t nr) const { return nr < at_silent_exit.size() && at_silent_exit[nr]; }
    bool changes_mode(std::uint64_t nr) const {
        return nr == chmod || nr == fchmod || nr == fchmodat || nr == fchmodat2;
    }
    bool opens(std::uint64_t nr) const { return nr == open || nr == openat || nr == openat2; }
};

struct WatchedSyscalls {
    ArchSyscalls x86_64;
    ArchSyscalls i386;
    ArchSyscalls x32;

    static const WatchedSyscalls& get();
    const ArchSyscalls& for_audit_arch(std::uint32_t audit_arch) const;
    // The table for a syscall entry: x32 calls report AUDIT_ARCH_X86_64 with
    // the x32 bit set in the number.
    const ArchSyscalls& for_entry(std::uint32_t audit_arch, std::uint64_t nr) const {
        if (audit_arch != x86_64_audit_arch) return for_audit_arch(audit_arch);
        return (nr & ArchSyscalls::x32_bit) ? x32 : x86_64;
    }

private:
    static constexpr std::uint32_t x86_64_audit_arch = 0xc000003e;  // AUDIT_ARCH_X86_64
};

}  // namespace capprof
