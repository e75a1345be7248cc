// NLMSG_ERROR replies carrying -EPERM, and netlink socket lookup in /proc.
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "decode_netlink.hpp"

namespace capprof {
namespace {

std::vector<std::uint8_t> error_reply(int error, std::uint16_t request_type, std::uint16_t flags) {
    struct {
        nlmsghdr header;
        nlmsgerr error;
    } reply{};
    reply.header.nlmsg_len = sizeof reply;
    reply.header.nlmsg_type = NLMSG_ERROR;
    reply.error.error = error;
    reply.error.msg.nlmsg_type = request_type;
    reply.error.msg.nlmsg_flags = flags;
    std::vector<std::uint8_t> bytes(sizeof reply);
    std::memcpy(bytes.data(), &reply, sizeof reply);
    return bytes;
}

TEST(DecodeNetlink, PermissionDeniedInsideAReply) {
    auto bytes = error_reply(-EPERM, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
    auto denial = parse_netlink_denial(bytes.data(), bytes.size());
    ASSERT_TRUE(denial.has_value());
    EXPECT_EQ(denial->error, EPERM);
    EXPECT_EQ(denial->request.request_type, RTM_NEWLINK);
    EXPECT_EQ(denial->request.request_flags, NLM_F_REQUEST | NLM_F_ACK);
}

TEST(DecodeNetlink, AcksAndOtherErrorsAreNotDenials) {
    auto ack = error_reply(0, RTM_NEWLINK, 0);
    EXPECT_FALSE(parse_netlink_denial(ack.data(), ack.size()).has_value());
    auto nodev = error_reply(-ENODEV, RTM_NEWLINK, 0);
    EXPECT_FALSE(parse_netlink_denial(nodev.data(), nodev.size()).has_value());
    auto eacces = error_reply(-EACCES, RTM_NEWROUTE, 0);
    EXPECT_EQ(parse_netlink_denial(eacces.data(), eacces.size())->error, EACCES);
}

TEST(DecodeNetlink, OtherMessagesAndShortBuffers) {
    auto bytes = error_reply(-EPERM, RTM_NEWLINK, 0);
    EXPECT_FALSE(parse_netlink_denial(bytes.data(), 20).has_value());
    nlmsghdr header{};
    header.nlmsg_type = RTM_NEWLINK;
    std::memcpy(bytes.data(), &header, sizeof header);
    EXPECT_FALSE(parse_netlink_denial(bytes.data(), bytes.size()).has_value());
}

TEST(DecodeNetlink, ErrorMessagesAreStepsToTheNextOne) {
    auto ack = error_reply(0, RTM_NEWLINK, 0);
    EXPECT_EQ(netlink_error_message_size(ack.data(), ack.size()), NLMSG_ALIGN(ack.size()));
    nlmsghdr other{};
    other.nlmsg_type = RTM_NEWLINK;
    other.nlmsg_len = 64;
    std::memcpy(ack.data(), &other, sizeof other);
    EXPECT_FALSE(netlink_error_message_size(ack.data(), ack.size()).has_value());
    nlmsghdr tiny{};
    tiny.nlmsg_type = NLMSG_ERROR;
    tiny.nlmsg_len = 4;  // shorter than itself: would never advance
    std::memcpy(ack.data(), &tiny, sizeof tiny);
    EXPECT_FALSE(netlink_error_message_size(ack.data(), ack.size()).has_value());
}

TEST(DecodeNetlink, SocketInode) {
    EXPECT_EQ(socket_inode("socket:[12345]"), 12345u);
    EXPECT_FALSE(socket_inode("/dev/null").has_value());
    EXPECT_FALSE(socket_inode("socket:[12x]").has_value());
    EXPECT_FALSE(socket_inode("pipe:[7]").has_value());
}

TEST(DecodeNetlink, ProtocolFromProcNetNetlink) {
    const char* table =
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
        "ffff8a0bc1c2d800 0   4242       00000000 0        0        0     2        0        98765\n"
        "ffff8a0bc1c2e000 9   0          00000001 0        0        0     2        0        111\n";
    EXPECT_EQ(netlink_protocol(table, 98765), 0);
    EXPECT_EQ(netlink_protocol(table, 111), 9);
    EXPECT_FALSE(netlink_protocol(table, 5).has_value());
    EXPECT_FALSE(netlink_protocol("", 5).has_value());
}

}  // namespace
}  // namespace capprof
