// Which failing exits the tracer decodes: EPERM/EACCES, and the watched pairs.
#include <linux/audit.h>

#include <gtest/gtest.h>

#include <cerrno>

#include "failure_filter.hpp"
#include "syscall_names.hpp"

namespace capprof {
namespace {

std::uint64_t nr(Arch arch, const char* name) { return static_cast<std::uint64_t>(*syscall_number(arch, name)); }

TEST(FailureFilter, DenialsAlwaysOtherErrnosOnlyWhenWatched) {
    FailureFilter filter({{"mlock", ENOMEM}, {"mmap", EAGAIN}});
    const std::uint64_t mlock = nr(Arch::x86_64, "mlock"), mmap = nr(Arch::x86_64, "mmap");
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_X86_64, 0, -EPERM));
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_X86_64, 0, -EACCES));
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_X86_64, mlock, -ENOMEM));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_X86_64, mlock, -EAGAIN));
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_X86_64, mmap, -EAGAIN));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_X86_64, mmap, -ENOMEM));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_X86_64, nr(Arch::x86_64, "read"), -EAGAIN));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_X86_64, mlock, -4095));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_X86_64, mlock, 0));
}

TEST(FailureFilter, NumbersPerArchitecture) {
    FailureFilter filter({{"mlock", ENOMEM}});
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_I386, nr(Arch::i386, "mlock"), -ENOMEM));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_I386, nr(Arch::x86_64, "mlock"), -ENOMEM))
        << "x86_64's mlock number is another syscall on i386";
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_X86_64, nr(Arch::x32, "mlock"), -ENOMEM));
}

TEST(FailureFilter, I386MultiplexersAreWatchedForTheirCalls) {
    FailureFilter filter({{"shmctl", ENOMEM}, {"sendmsg", ETOOMANYREFS}});
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_I386, nr(Arch::i386, "ipc"), -ENOMEM));
    EXPECT_TRUE(filter.wants(AUDIT_ARCH_I386, nr(Arch::i386, "socketcall"), -ETOOMANYREFS));
    EXPECT_FALSE(filter.wants(AUDIT_ARCH_I386, nr(Arch::i386, "ipc"), -ETOOMANYREFS));
}

TEST(FailureFilter, UnknownNamesAndDenialErrnosAreIgnored) {
    FailureFilter filter({{"no_such_syscall", ENOMEM}, {"mlock", EPERM}, {"mlock", 0}, {"mlock", 100000}});
    EXPECT_EQ(filter.size(), 0u);
}

}  // namespace
}  // namespace capprof
