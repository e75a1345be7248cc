// Decoding a failing syscall from a synthetic task: memory, cwd, fds.
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "decode_event.hpp"

namespace capprof {
namespace {

// A task whose memory is a set of byte ranges at fixed addresses.
class FakeTask : public TaskAccess {
public:
    // Like real memory, whole zero-filled pages are mapped.
    std::uint64_t put(const void* data, std::size_t length) {
        std::uint64_t address = next_;
        std::size_t mapped = (length + 0xfff) & ~std::size_t{0xfff};
        std::string bytes(mapped, '\0');
        std::memcpy(bytes.data(), data, length);
        memory_[address] = std::move(bytes);
        next_ += mapped + 0x1000;  // an unmapped page between ranges
        return address;
    }
    std::uint64_t put_string(const std::string& text) { return put(text.c_str(), text.size() + 1); }

    bool read(std::uint64_t address, void* buffer, std::size_t length) const override {
        ++reads;
        for (const auto& [start, bytes] : memory_) {
            if (address >= start && address + length <= start + bytes.size()) {
                std::memcpy(buffer, bytes.data() + (address - start), length);
                return true;
            }
        }
        return false;
    }
    std::optional<std::string> fd_path(int fd) const override {
        auto it = fds.find(fd);
        return it == fds.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<std::string> cwd() const override { return cwd_path; }
    std::optional<std::string> root() const override { return root_path; }
    std::optional<std::string> netlink_sockets() const override { return netlink_table; }

    std::map<int, std::string> fds;
    std::string cwd_path = "/srv";
    std::string root_path = "/";
    std::optional<std::string> netlink_table;
    mutable std::size_t reads = 0;

private:
    std::map<std::uint64_t, std::string> memory_;
    std::uint64_t next_ = 0x10000;
};

SyscallEntry entry(std::uint32_t arch, std::uint64_t nr, std::array<std::uint64_t, 6> args) {
    SyscallEntry e;
    e.audit_arch = arch;
    e.nr = nr;
    e.args = args;
    return e;
}

constexpr std::uint64_t at_fdcwd = static_cast<std::uint64_t>(-100);

TEST(DecodeEvent, OpenatRelativeToCwd) {
    FakeTask task;
    auto path = task.put_string("data/secret");
    SyscallEvent event = decode_failure(42, 40, entry(AUDIT_ARCH_X86_64, 257, {at_fdcwd, path, 0, 0}), -EACCES, task);
    EXPECT_EQ(event.name, "openat");
    EXPECT_EQ(event.arch, Arch::x86_64);
    EXPECT_EQ(event.err, EACCES);
    EXPECT_EQ(event.ret, -EACCES);
    EXPECT_EQ(event.task.tid, 42);
    EXPECT_EQ(event.task.pid, 40);
    EXPECT_EQ(event.path, "/srv/data/secret");
    EXPECT_EQ(event.args_text, "AT_FDCWD, \"data/secret\", O_RDONLY");
    EXPECT_EQ(event.proc_root, "/proc/42/root");
}

TEST(DecodeEvent, PathRelativeToDirfd) {
    FakeTask task;
    task.fds[7] = "/var/lib/app";
    auto path = task.put_string("state.db");
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 257, {7, path, 01 | 0100, 0600}), -EACCES, task);
    EXPECT_EQ(event.path, "/var/lib/app/state.db");
    EXPECT_EQ(event.args_text, "7, \"state.db\", O_WRONLY|O_CREAT, 0600");
}

TEST(DecodeEvent, MmapOfNoFileShowsFdMinusOne) {
    FakeTask task;
    // The fd register holds the int -1 zero-extended.
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 9, {0, 16 << 20, 3, 0x2022, 0xffffffff, 0}),
                                        -EAGAIN, task);
    EXPECT_EQ(event.name, "mmap");
    EXPECT_EQ(event.err, EAGAIN);
    EXPECT_EQ(event.args_text, "NULL, 16777216, 0x3, 0x2022, -1, 0");
    EXPECT_FALSE(event.path);
}

TEST(DecodeEvent, I386OldMmapReadsItsArgumentsFromMemory) {
    FakeTask task;
    const std::uint32_t words[6] = {0, 16u << 20, 3, 0x2022, 0xffffffff, 0};
    auto block = task.put(words, sizeof words);
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 90, {block}), -EAGAIN, task);
    EXPECT_EQ(event.name, "mmap");
    EXPECT_EQ(event.args[1], 16u << 20);
    EXPECT_EQ(event.args_text, "NULL, 16777216, 0x3, 0x2022, -1, 0");
}

TEST(DecodeEvent, I386Multiplexers) {
    EXPECT_STREQ(i386_multiplexer("shmctl"), "ipc");
    EXPECT_STREQ(i386_multiplexer("sendmsg"), "socketcall");
    EXPECT_EQ(i386_multiplexer("mlock"), nullptr);
}

TEST(DecodeEvent, RenameatHasTwoPaths) {
    FakeTask task;
    auto from = task.put_string("/etc/a");
    auto to = task.put_string("b");
    // renameat2(AT_FDCWD, "/etc/a", AT_FDCWD, "b", 0)
    SyscallEvent event =
        decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 316, {at_fdcwd, from, at_fdcwd, to, 0}), -EPERM, task);
    EXPECT_EQ(event.name, "renameat2");
    EXPECT_EQ(event.path, "/etc/a");
    EXPECT_EQ(event.path2, "/srv/b");
}

TEST(DecodeEvent, BindDecodesTheSockaddr) {
    FakeTask task;
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(80);
    auto addr = task.put(&in, sizeof in);
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 49, {3, addr, sizeof in}), -EACCES, task);
    EXPECT_EQ(event.name, "bind");
    ASSERT_TRUE(event.sockaddr.has_value());
    EXPECT_EQ(event.sockaddr->port, 80);
    EXPECT_EQ(event.args_text, "3, {AF_INET, 0.0.0.0:80}, 16");
}

TEST(DecodeEvent, SocketTriple) {
    FakeTask task;
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 41, {AF_INET, SOCK_RAW, IPPROTO_ICMP}), -EPERM, task);
    EXPECT_EQ(event.sock_domain, AF_INET);
    EXPECT_EQ(event.sock_type, SOCK_RAW);
    EXPECT_EQ(event.sock_protocol, IPPROTO_ICMP);
    EXPECT_EQ(event.args_text, "AF_INET, SOCK_RAW, IPPROTO_ICMP");
}

TEST(DecodeEvent, ChownIdsAndKillSignal) {
    FakeTask task;
    auto path = task.put_string("/tmp/x");
    SyscallEvent chown = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 92, {path, 1000, 0xffffffff}), -EPERM, task);
    EXPECT_EQ(chown.args_text, "\"/tmp/x\", 1000, -1");
    SyscallEvent kill = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 62, {1, 15}), -EPERM, task);
    EXPECT_EQ(kill.name, "kill");
    EXPECT_EQ(kill.args_text, "1, SIGTERM");
}

TEST(DecodeEvent, UnreadablePointerGivesAPlaceholder) {
    FakeTask task;
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 257, {at_fdcwd, 0xdead0000, 0, 0}), -EACCES, task);
    EXPECT_EQ(event.args_text, "AT_FDCWD, 0xdead0000, O_RDONLY");
    EXPECT_FALSE(event.path.has_value());
    SyscallEvent null_path = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 90, {0, 0755}), -EFAULT, task);
    EXPECT_EQ(null_path.args_text, "NULL, 0755");
}

TEST(DecodeEvent, ExecveShowsArgvAndCountsEnvLikeStrace) {
    FakeTask task;
    auto path = task.put_string("/usr/bin/ping");
    std::uint64_t words[4] = {task.put_string("ping"), task.put_string("-c"), task.put_string("1"), 0};
    auto argv = task.put(words, sizeof words);
    std::uint64_t env[3] = {task.put_string("PATH=/bin"), task.put_string("HOME=/"), 0};
    auto envp = task.put(env, sizeof env);
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 59, {path, argv, envp}), -EPERM, task);
    EXPECT_EQ(event.name, "execve");
    EXPECT_EQ(event.path, "/usr/bin/ping");
    char envp_hex[32];
    std::snprintf(envp_hex, sizeof envp_hex, "%#llx", static_cast<unsigned long long>(envp));
    EXPECT_EQ(event.args_text, std::string("\"/usr/bin/ping\", [\"ping\", \"-c\", \"1\"], ") + envp_hex +
                                   " /* 2 vars */");
    // Another argv is the same call: one finding for `ping a` and `ping b`.
    EXPECT_EQ(event.args_identity, "\"/usr/bin/ping\", <argv>, <envp>");
}

TEST(DecodeEvent, LongArgvIsCutAfter32StringsAndI386PointersAre32Bit) {
    FakeTask task;
    auto path = task.put_string("/bin/x");
    std::uint32_t words[41] = {};
    for (int i = 0; i < 40; ++i) words[i] = static_cast<std::uint32_t>(task.put_string("a"));
    auto argv = task.put(words, sizeof words);
    // i386 execve is 11
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 11, {path, argv, 0}), -EACCES, task);
    std::string expected = "\"/bin/x\", [";
    for (int i = 0; i < 32; ++i) expected += "\"a\", ";
    expected += "...], NULL";
    EXPECT_EQ(event.args_text, expected);
}

TEST(DecodeEvent, AHugeEnvironmentIsCountedAPageAtATime) {
    FakeTask task;
    std::string name = "A=1";
    std::uint64_t var = task.put_string(name);
    std::vector<std::uint64_t> env(5000, var);
    env.push_back(0);
    auto envp = task.put(env.data(), env.size() * sizeof env[0]);
    auto path = task.put_string("/bin/x");
    std::uint64_t no_args = 0;
    auto argv = task.put(&no_args, sizeof no_args);
    task.reads = 0;
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 59, {path, argv, envp}), -EACCES, task);
    EXPECT_NE(event.args_text.find("/* 5000 vars */"), std::string::npos) << event.args_text;
    EXPECT_LT(task.reads, 30u) << "5000 pointers are 10 pages";
}

TEST(DecodeEvent, AddressesAreNotPartOfTheCallsIdentity) {
    FakeTask task;
    auto path = task.put_string("/root/x");
    // stat("/root/x", 0x7ffc...) from two processes with different stacks (ASLR)
    SyscallEvent one = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 4, {path, 0x7ffc1000}), -EACCES, task);
    SyscallEvent two = decode_failure(2, 2, entry(AUDIT_ARCH_X86_64, 4, {path, 0x7ffd2000}), -EACCES, task);
    EXPECT_NE(one.args_text, two.args_text);
    EXPECT_EQ(one.args_identity, two.args_identity);
    EXPECT_EQ(one.args_identity, "\"/root/x\", <address>");
}

TEST(DecodeEvent, SocketOptionsAreNamedWithinTheirLevel) {
    FakeTask task;
    // setsockopt(3, SOL_SOCKET, SO_SNDBUFFORCE, ...) as nft makes it; level 6 is TCP
    SyscallEvent force = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 54, {3, 1, 32, 0x7ffc0000, 4}), -EPERM, task);
    EXPECT_EQ(force.args_text, "3, SOL_SOCKET, SO_SNDBUFFORCE, 0x7ffc0000, 4");
    SyscallEvent repair = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 54, {3, 6, 19, 0x7ffc0000, 4}), -EPERM, task);
    EXPECT_EQ(repair.args_text, "3, SOL_TCP, TCP_REPAIR, 0x7ffc0000, 4");
    SyscallEvent unknown = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 54, {3, 999, 7, 0, 4}), -EPERM, task);
    EXPECT_EQ(unknown.args_text, "3, 999, 7, NULL, 4");
}

TEST(DecodeEvent, StringsAreEscaped) {
    FakeTask task;
    auto path = task.put_string("/tmp/\x1b[31mred\n");
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 87, {path}), -EACCES, task);
    EXPECT_EQ(event.name, "unlink");
    EXPECT_EQ(event.args_text, "\"/tmp/\\33[31mred\\n\"");
    EXPECT_EQ(event.path, "/tmp/\x1b[31mred\n");  // raw in the field, escaped when printed
}

TEST(DecodeEvent, LongPathIsBoundedAndMarkedTruncated) {
    FakeTask task;
    auto path = task.put_string(std::string(10000, 'a'));
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 87, {path}), -EACCES, task);
    ASSERT_TRUE(event.path.has_value());
    EXPECT_LE(event.path->size(), 4096u + 5);
    EXPECT_EQ(event.args_text.substr(event.args_text.size() - 4), "\"...");
}

TEST(DecodeEvent, EmptyPathWithAtEmptyPathIsTheFd) {
    FakeTask task;
    task.fds[5] = "/data/file";
    auto empty = task.put_string("");
    // fchownat(5, "", 1000, 1000, AT_EMPTY_PATH)
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 260, {5, empty, 1000, 1000, 0x1000}), -EPERM, task);
    EXPECT_EQ(event.path, "/data/file");
    EXPECT_EQ(event.args_text, "5, \"\", 1000, 1000, AT_EMPTY_PATH");
}

TEST(DecodeEvent, FdSyscallGetsThePathOfItsFd) {
    FakeTask task;
    task.fds[4] = "/srv/owned";
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_X86_64, 93, {4, 1000, 1000}), -EPERM, task);
    EXPECT_EQ(event.name, "fchown");
    EXPECT_EQ(event.path, "/srv/owned");
}

TEST(DecodeEvent, I386CompatNamesAndSignedArgs) {
    FakeTask task;
    auto path = task.put_string("x");
    // i386 openat is 295; AT_FDCWD arrives as a zero-extended 32-bit value.
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 295, {0xffffff9c, path, 0, 0}), -EACCES, task);
    EXPECT_EQ(event.arch, Arch::i386);
    EXPECT_EQ(event.name, "openat");
    EXPECT_EQ(event.args_text, "AT_FDCWD, \"x\", O_RDONLY");
    EXPECT_EQ(event.path, "/srv/x");
    SyscallEvent chown32 = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 212, {path, 1000, 1000}), -EPERM, task);
    EXPECT_EQ(chown32.name, "chown32");
}

TEST(DecodeEvent, I386SocketcallIsDecodedAsItsSubcall) {
    FakeTask task;
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(80);
    auto addr = task.put(&in, sizeof in);
    std::uint32_t args[3] = {3, static_cast<std::uint32_t>(addr), sizeof in};
    auto args_address = task.put(args, sizeof args);
    SyscallEvent event = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 102, {SYS_BIND, args_address}), -EACCES, task);
    EXPECT_EQ(event.name, "bind");
    EXPECT_EQ(event.nr, 102);
    EXPECT_EQ(event.args[0], 3u);
    EXPECT_EQ(event.args_text, "3, {AF_INET, 0.0.0.0:80}, 16");
}

TEST(DecodeEvent, I386IpcIsDecodedAsItsSubcall) {
    FakeTask task;
    // ipc(SHMCTL, shmid 2, IPC_64|SHM_LOCK, 0, NULL): glibc's shmctl on i386 (ipc is 117)
    SyscallEvent lock = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 117, {24, 2, 0x10b, 0, 0, 0}), -EPERM, task);
    EXPECT_EQ(lock.name, "shmctl");
    EXPECT_EQ(lock.nr, 117);
    EXPECT_EQ(lock.args[0], 2u);
    EXPECT_EQ(lock.args[1], 11u) << "IPC_64 is glibc's, not the command";
    EXPECT_EQ(lock.args_text, "2, 11, NULL");
    // ipc(SEMCTL, semid, semnum, cmd, ptr): the command is semctl's third argument
    SyscallEvent sem = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 117, {3, 5, 0, 0x100, 0x8000, 0}), -EPERM, task);
    EXPECT_EQ(sem.name, "semctl");
    EXPECT_EQ(sem.args[2], 0u);
    // ipc(SHMGET, key, size, flags): the version in the high 16 bits is ignored
    SyscallEvent get = decode_failure(1, 1, entry(AUDIT_ARCH_I386, 117, {0x10017, 0, 4096, 04000, 0, 0}), -EPERM, task);
    EXPECT_EQ(get.name, "shmget");
    EXPECT_EQ(get.args[2], 04000u);
    // An unknown call stays ipc.
    EXPECT_EQ(decode_failure(1, 1, entry(AUDIT_ARCH_I386, 117, {99}), -EPERM, task).name, "ipc");
}

// fd 3 of the task is netlink socket inode 4711 of `protocol`, as
// /proc/PID/net/netlink lists it.
void give_netlink_socket(FakeTask& task, int protocol) {
    task.fds[3] = "socket:[4711]";
    task.netlink_table =
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
        "ffff8a0bc1c2d800 " + std::to_string(protocol) + "   4242       00000000 0        0        0     2        0"
        "        4711\n";
}

TEST(DecodeEvent, NetlinkDenialInARecvmsgReply) {
    FakeTask task;
    give_netlink_socket(task, NETLINK_ROUTE);
    struct {
        nlmsghdr header;
        nlmsgerr error;
    } reply{};
    reply.header.nlmsg_len = sizeof reply;
    reply.header.nlmsg_type = NLMSG_ERROR;
    reply.error.error = -EPERM;
    reply.error.msg.nlmsg_type = RTM_NEWLINK;
    reply.error.msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    auto buffer = task.put(&reply, sizeof reply);
    std::uint64_t iov[2] = {buffer, 32768};
    auto iov_address = task.put(iov, sizeof iov);
    std::uint64_t msghdr[7] = {0, 12, iov_address, 1, 0, 0, 0};
    auto msg = task.put(msghdr, sizeof msghdr);

    auto event = decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 47, {3, msg, 0}), sizeof reply, task);
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->name, "recvmsg");
    EXPECT_EQ(event->err, EPERM);
    ASSERT_TRUE(event->netlink.has_value());
    EXPECT_EQ(event->netlink->protocol, NETLINK_ROUTE);
    EXPECT_EQ(event->netlink->request_type, RTM_NEWLINK);
    EXPECT_EQ(event->netlink->request_flags, NLM_F_REQUEST | NLM_F_ACK);
    EXPECT_EQ(event->args_text, "3, {NLMSG_ERROR for RTM_NEWLINK}, 0");

    // A peek (iproute2 sizes its buffer first) is not reported twice.
    EXPECT_FALSE(decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 47, {3, msg, MSG_PEEK | MSG_TRUNC}),
                                       sizeof reply, task).has_value());
    // Not a netlink socket: nothing.
    task.fds[3] = "socket:[1]";
    EXPECT_FALSE(decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 47, {3, msg, 0}), sizeof reply, task).has_value());
}

TEST(DecodeEvent, NetlinkDenialAfterAcknowledgementsOfABatch) {
    FakeTask task;
    give_netlink_socket(task, NETLINK_NETFILTER);
    struct Ack {
        nlmsghdr header;
        nlmsgerr error;
    };
    // Two acknowledgements (error 0), then -EPERM for NFT_MSG_NEWTABLE.
    Ack replies[3]{};
    for (Ack& reply : replies) {
        reply.header.nlmsg_len = sizeof reply;
        reply.header.nlmsg_type = NLMSG_ERROR;
    }
    replies[2].error.error = -EPERM;
    replies[2].error.msg.nlmsg_type = 0x0a00;
    auto buffer = task.put(replies, sizeof replies);
    auto event = decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 45, {3, buffer, 65536, 0, 0, 0}),
                                       sizeof replies, task);
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->name, "recvfrom");
    EXPECT_EQ(event->netlink->protocol, 12);
    EXPECT_EQ(event->netlink->request_type, 0x0a00);
    EXPECT_NE(event->args_text.find("NFT_MSG_NEWTABLE"), std::string::npos) << event->args_text;

    // Only what was received counts: the denial lies beyond the returned length.
    EXPECT_FALSE(decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 45, {3, buffer, 65536, 0, 0, 0}),
                                       2 * sizeof(Ack), task).has_value());
    // A dump (not NLMSG_ERROR) first: nothing more is read.
    replies[0].header.nlmsg_type = RTM_NEWLINK;
    auto dump = task.put(replies, sizeof replies);
    EXPECT_FALSE(decode_netlink_denial(1, 1, entry(AUDIT_ARCH_X86_64, 45, {3, dump, 65536, 0, 0, 0}),
                                       sizeof replies, task).has_value());
}

TEST(DecodeEvent, NetlinkSocketCreation) {
    FakeTask task;
    EXPECT_TRUE(creates_netlink_socket(entry(AUDIT_ARCH_X86_64, 41, {AF_NETLINK, SOCK_RAW, 0}), task));
    EXPECT_FALSE(creates_netlink_socket(entry(AUDIT_ARCH_X86_64, 41, {AF_INET, SOCK_RAW, 0}), task));
    std::uint32_t socket_args[3] = {AF_NETLINK, SOCK_RAW, 0};
    auto socketcall_args = task.put(socket_args, sizeof socket_args);
    EXPECT_TRUE(creates_netlink_socket(entry(AUDIT_ARCH_I386, 102, {SYS_SOCKET, socketcall_args}), task));
}

}  // namespace
}  // namespace capprof
