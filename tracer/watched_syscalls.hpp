#pragma once
// The few syscall numbers the tracer's loop compares against on every stop,
// resolved once per architecture through syscall_names (libseccomp).
#include <cstdint>

namespace capprof {

struct ArchSyscalls {
    static constexpr std::uint64_t none = ~std::uint64_t{0};
    std::uint64_t socket = none;
    std::uint64_t socketcall = none;  // i386 multiplexer
    std::uint64_t clone = none;
    std::uint64_t clone3 = none;
    std::uint64_t read = none;
    std::uint64_t recvfrom = none;
    std::uint64_t recvmsg = none;
    // setfsuid/setfsgid never fail (silent_denial.hpp); i386 has 16- and 32-bit ones.
    std::uint64_t setfsuid = none, setfsgid = none, setfsuid32 = none, setfsgid32 = none;

    // A syscall that returns received bytes in a buffer (netlink replies).
    bool receives(std::uint64_t nr) const {
        return nr == recvmsg || nr == recvfrom || nr == read || nr == socketcall;
    }

    // A syscall whose success may hide a denial (silent_denial.hpp).
    bool may_deny_silently(std::uint64_t nr) const {
        return nr == setfsuid || nr == setfsgid || nr == setfsuid32 || nr == setfsgid32;
    }
};

struct WatchedSyscalls {
    ArchSyscalls x86_64;
    ArchSyscalls i386;

    static const WatchedSyscalls& get();
    const ArchSyscalls& for_audit_arch(std::uint32_t audit_arch) const;
};

}  // namespace capprof
