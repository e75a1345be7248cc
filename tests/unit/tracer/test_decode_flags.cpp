// Flag and constant spelling, compared with what strace prints.
#include <gtest/gtest.h>

#include <csignal>

#include "decode_flags.hpp"

namespace capprof {
namespace {

TEST(DecodeFlags, OpenFlags) {
    EXPECT_EQ(open_flags_text(0), "O_RDONLY");
    EXPECT_EQ(open_flags_text(01 | 0100 | 01000), "O_WRONLY|O_CREAT|O_TRUNC");
    EXPECT_EQ(open_flags_text(02 | 02000000), "O_RDWR|O_CLOEXEC");
    EXPECT_EQ(open_flags_text(0200000 | 02000000 | 04000), "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC");
    EXPECT_EQ(open_flags_text(020200000 | 02), "O_RDWR|O_TMPFILE");
    EXPECT_EQ(open_flags_text(04010000 | 01), "O_WRONLY|O_SYNC");
    EXPECT_EQ(open_flags_text(010000000 | 02000000), "O_RDONLY|O_CLOEXEC|O_PATH");
}

TEST(DecodeFlags, ModesAndAccess) {
    EXPECT_EQ(mode_text(0644), "0644");
    EXPECT_EQ(mode_text(04755), "04755");
    EXPECT_EQ(mode_text(0), "000");
    EXPECT_EQ(mknod_mode_text(0020000 | 0600), "S_IFCHR|0600");
    EXPECT_EQ(access_mode_text(0), "F_OK");
    EXPECT_EQ(access_mode_text(4 | 2), "R_OK|W_OK");
}

TEST(DecodeFlags, DirfdAndAtFlags) {
    EXPECT_EQ(dirfd_text(-100), "AT_FDCWD");
    EXPECT_EQ(dirfd_text(5), "5");
    EXPECT_EQ(at_flags_text(0), "0");
    EXPECT_EQ(at_flags_text(0x100 | 0x1000), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
    EXPECT_EQ(at_flags_text(0x200), "AT_REMOVEDIR");
}

TEST(DecodeFlags, Sockets) {
    EXPECT_EQ(socket_domain_text(2), "AF_INET");
    EXPECT_EQ(socket_domain_text(10), "AF_INET6");
    EXPECT_EQ(socket_domain_text(16), "AF_NETLINK");
    EXPECT_EQ(socket_domain_text(250), "250");
    EXPECT_EQ(socket_type_text(3), "SOCK_RAW");
    EXPECT_EQ(socket_type_text(1 | 02000000 | 04000), "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
    EXPECT_EQ(socket_protocol_text(2, 1), "IPPROTO_ICMP");
    EXPECT_EQ(socket_protocol_text(10, 58), "IPPROTO_ICMPV6");
    EXPECT_EQ(socket_protocol_text(16, 0), "NETLINK_ROUTE");
    EXPECT_EQ(socket_protocol_text(16, 9), "NETLINK_AUDIT");
    EXPECT_EQ(socket_protocol_text(17, 0x0300), "htons(ETH_P_ALL)");
    EXPECT_EQ(socket_protocol_text(1, 0), "0");
}

TEST(DecodeFlags, SignalsAndIds) {
    EXPECT_EQ(signal_text(SIGTERM), "SIGTERM");
    EXPECT_EQ(signal_text(SIGKILL), "SIGKILL");
    EXPECT_EQ(signal_text(0), "0");
    EXPECT_EQ(id_text(1000), "1000");
    EXPECT_EQ(id_text(0xffffffffu), "-1");
}

TEST(DecodeFlags, CloneAndNamespaceFlags) {
    EXPECT_EQ(clone_flags_text(0x10000000 | SIGCHLD, true), "CLONE_NEWUSER|SIGCHLD");
    EXPECT_EQ(clone_flags_text(0x00020000 | 0x40000000, false), "CLONE_NEWNS|CLONE_NEWNET");
    EXPECT_EQ(clone_flags_text(0, false), "0");
}

TEST(DecodeFlags, MountFlags) {
    EXPECT_EQ(mount_flags_text(0), "0");
    EXPECT_EQ(mount_flags_text(4096 | 16384), "MS_BIND|MS_REC");
    EXPECT_EQ(mount_flags_text(0xc0ed0000 | 1), "MS_MGC_VAL|MS_RDONLY");
    EXPECT_EQ(umount_flags_text(2), "MNT_DETACH");
}

TEST(DecodeFlags, OtherConstants) {
    EXPECT_EQ(prio_which_text(0), "PRIO_PROCESS");
    EXPECT_EQ(sched_policy_text(1), "SCHED_FIFO");
    EXPECT_EQ(sched_policy_text(2 | 0x40000000), "SCHED_RR|SCHED_RESET_ON_FORK");
    EXPECT_EQ(resource_text(7), "RLIMIT_NOFILE");
    EXPECT_EQ(ptrace_request_text(16), "PTRACE_ATTACH");
    EXPECT_EQ(hex_text(0x1f), "0x1f");
    EXPECT_EQ(pointer_text(0), "NULL");
    EXPECT_EQ(netlink_type_text(0, 16), "RTM_NEWLINK");
    EXPECT_EQ(netlink_type_text(0, 24), "RTM_NEWROUTE");
    // nfnetlink (12): subsystem in the high byte, message in the low one
    EXPECT_EQ(netlink_type_text(12, 0x0a10), "NFT_MSG_GETGEN");
    EXPECT_EQ(netlink_type_text(12, 0x0a00), "NFT_MSG_NEWTABLE");
    EXPECT_EQ(netlink_type_text(12, 0x0010), "NFNL_MSG_BATCH_BEGIN");
    EXPECT_EQ(netlink_type_text(12, 0x0102), "NFNL_SUBSYS_CTNETLINK message 2");
    EXPECT_EQ(netlink_type_text(12, 0x3f01), "0x3f01");
    EXPECT_EQ(netlink_type_text(16, 16), "0x10");  // generic netlink: families are dynamic
}

}  // namespace
}  // namespace capprof
