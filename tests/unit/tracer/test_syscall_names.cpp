// Arch-aware syscall names (libseccomp) and the audit-arch mapping.
#include <gtest/gtest.h>
#include <linux/audit.h>

#include "syscall_names.hpp"
#include "syscall_signatures.hpp"
#include "watched_syscalls.hpp"

namespace capprof {
namespace {

TEST(SyscallNames, ArchFromAudit) {
    EXPECT_EQ(arch_from_audit(AUDIT_ARCH_X86_64, 49), Arch::x86_64);
    EXPECT_EQ(arch_from_audit(AUDIT_ARCH_I386, 102), Arch::i386);
    EXPECT_EQ(arch_from_audit(AUDIT_ARCH_X86_64, 0x40000000 | 49), Arch::x32);
    EXPECT_EQ(arch_from_audit(AUDIT_ARCH_AARCH64, 1), Arch::unknown);
}

TEST(SyscallNames, SameNumberDifferentArch) {
    EXPECT_EQ(syscall_name(Arch::x86_64, 49), "bind");
    EXPECT_EQ(syscall_name(Arch::x86_64, 92), "chown");
    EXPECT_EQ(syscall_name(Arch::i386, 102), "socketcall");
    EXPECT_EQ(syscall_name(Arch::i386, 212), "chown32");
    EXPECT_EQ(syscall_name(Arch::i386, 361), "bind");
    EXPECT_EQ(syscall_name(Arch::x86_64, 99999), "syscall_99999");
}

TEST(SyscallNames, NumbersIncludingI386SocketCalls) {
    EXPECT_EQ(syscall_number(Arch::x86_64, "socket"), 41);
    EXPECT_EQ(syscall_number(Arch::i386, "socket"), 359);   // libseccomp answers negative here
    EXPECT_EQ(syscall_number(Arch::i386, "recvmsg"), 372);
    EXPECT_FALSE(syscall_number(Arch::x86_64, "socketcall").has_value());
    const auto& watched = WatchedSyscalls::get();
    EXPECT_EQ(watched.for_audit_arch(AUDIT_ARCH_I386).socketcall, 102u);
    EXPECT_EQ(watched.for_audit_arch(AUDIT_ARCH_X86_64).recvmsg, 47u);
    EXPECT_TRUE(watched.for_audit_arch(AUDIT_ARCH_X86_64).receives(45));
}

TEST(SyscallNames, OnlyTheCallsThatReachOtherProcessesAreLookedAtOnEntry) {
    const auto& watched = WatchedSyscalls::get();
    const ArchSyscalls& x86_64 = watched.for_entry(AUDIT_ARCH_X86_64, 0);
    for (std::uint64_t nr : {62u /* kill */, 200u /* tkill */, 234u /* tgkill */, 129u /* rt_sigqueueinfo */,
                             297u /* rt_tgsigqueueinfo */, 424u /* pidfd_send_signal */, 434u /* pidfd_open */,
                             72u /* fcntl */, 16u /* ioctl */, 56u /* clone */, 435u /* clone3 */, 41u /* socket */})
        EXPECT_TRUE(x86_64.watched_at_entry(nr)) << nr;
    const std::initializer_list<std::uint64_t> not_watched{0 /* read */, 1 /* write */, 57 /* fork */,
                                                           59 /* execve */, 999, ~0ull};
    for (std::uint64_t nr : not_watched)
        EXPECT_FALSE(x86_64.watched_at_entry(nr)) << nr;
    const ArchSyscalls& i386 = watched.for_entry(AUDIT_ARCH_I386, 0);
    EXPECT_EQ(i386.kill, 37u);
    EXPECT_EQ(i386.fcntl64, 221u);
    EXPECT_TRUE(i386.watched_at_entry(221));
    EXPECT_TRUE(i386.watched_at_entry(120));  // clone
    EXPECT_FALSE(i386.watched_at_entry(4));   // write
    // x32 numbers carry __X32_SYSCALL_BIT: their own table.
    const std::uint64_t x32_kill = 0x40000000 | 62;
    EXPECT_EQ(&watched.for_entry(AUDIT_ARCH_X86_64, x32_kill), &watched.x32);
    EXPECT_TRUE(watched.x32.watched_at_entry(x32_kill));
}

TEST(SyscallSignatures, KnownSyscalls) {
    const SyscallSignature* bind = find_signature("bind");
    ASSERT_NE(bind, nullptr);
    EXPECT_EQ(bind->count, 3);
    EXPECT_EQ(bind->args[1], ArgKind::sockaddr);
    const SyscallSignature* openat = find_signature("openat");
    ASSERT_NE(openat, nullptr);
    EXPECT_EQ(openat->args[0], ArgKind::dirfd);
    EXPECT_EQ(openat->args[1], ArgKind::path);
    EXPECT_EQ(find_signature("chown32")->args[1], ArgKind::uid);
    EXPECT_EQ(find_signature("no_such_syscall"), nullptr);
}

}  // namespace
}  // namespace capprof
