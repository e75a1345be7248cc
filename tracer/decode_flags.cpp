#include "decode_flags.hpp"

#include "capprof/netlink_names.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string_view>

namespace capprof {

namespace {

struct Named {
    std::uint64_t value;
    std::string_view name;
};

// Kernel values (x86): glibc spells some of them differently (O_LARGEFILE is
// 0 in 64-bit userspace headers but the kernel sees 0100000).
constexpr Named open_flag_names[] = {
    {0100, "O_CREAT"},        {0200, "O_EXCL"},         {0400, "O_NOCTTY"},
    {01000, "O_TRUNC"},       {02000, "O_APPEND"},      {04000, "O_NONBLOCK"},
    {04010000, "O_SYNC"},     {010000, "O_DSYNC"},      {020000, "O_ASYNC"},
    {040000, "O_DIRECT"},     {0100000, "O_LARGEFILE"}, {020200000, "O_TMPFILE"},
    {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"},  {01000000, "O_NOATIME"},
    {02000000, "O_CLOEXEC"},  {010000000, "O_PATH"},
};

constexpr Named at_flag_names[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},     {0x1000, "AT_EMPTY_PATH"}, {0x4000, "AT_STATX_DONT_SYNC"},
    {0x2000, "AT_STATX_FORCE_SYNC"}, {0x8000, "AT_RECURSIVE"},
};

constexpr Named clone_flag_names[] = {
    {0x00000100, "CLONE_VM"},           {0x00000200, "CLONE_FS"},
    {0x00000400, "CLONE_FILES"},        {0x00000800, "CLONE_SIGHAND"},
    {0x00001000, "CLONE_PIDFD"},        {0x00002000, "CLONE_PTRACE"},
    {0x00004000, "CLONE_VFORK"},        {0x00008000, "CLONE_PARENT"},
    {0x00010000, "CLONE_THREAD"},       {0x00020000, "CLONE_NEWNS"},
    {0x00040000, "CLONE_SYSVSEM"},      {0x00080000, "CLONE_SETTLS"},
    {0x00100000, "CLONE_PARENT_SETTID"},{0x00200000, "CLONE_CHILD_CLEARTID"},
    {0x00400000, "CLONE_DETACHED"},     {0x00800000, "CLONE_UNTRACED"},
    {0x01000000, "CLONE_CHILD_SETTID"}, {0x02000000, "CLONE_NEWCGROUP"},
    {0x04000000, "CLONE_NEWUTS"},       {0x08000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},      {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},       {0x80000000, "CLONE_IO"},
    {0x00000080, "CLONE_NEWTIME"},
};

constexpr Named mount_flag_names[] = {
    {1, "MS_RDONLY"},          {2, "MS_NOSUID"},          {4, "MS_NODEV"},
    {8, "MS_NOEXEC"},          {16, "MS_SYNCHRONOUS"},    {32, "MS_REMOUNT"},
    {64, "MS_MANDLOCK"},       {128, "MS_DIRSYNC"},       {256, "MS_NOSYMFOLLOW"},
    {1024, "MS_NOATIME"},      {2048, "MS_NODIRATIME"},   {4096, "MS_BIND"},
    {8192, "MS_MOVE"},         {16384, "MS_REC"},         {32768, "MS_SILENT"},
    {1 << 16, "MS_POSIXACL"},  {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"},
    {1 << 19, "MS_SLAVE"},     {1 << 20, "MS_SHARED"},    {1 << 21, "MS_RELATIME"},
    {1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"}, {1 << 24, "MS_STRICTATIME"},
    {1 << 25, "MS_LAZYTIME"},
};

constexpr Named umount_flag_names[] = {
    {1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"},
};

constexpr Named domain_names[] = {
    {0, "AF_UNSPEC"},     {1, "AF_UNIX"},      {2, "AF_INET"},     {3, "AF_AX25"},
    {4, "AF_IPX"},        {5, "AF_APPLETALK"}, {9, "AF_X25"},      {10, "AF_INET6"},
    {15, "AF_KEY"},       {16, "AF_NETLINK"},  {17, "AF_PACKET"},  {21, "AF_RDS"},
    {26, "AF_LLC"},       {27, "AF_IB"},       {28, "AF_MPLS"},    {29, "AF_CAN"},
    {30, "AF_TIPC"},      {31, "AF_BLUETOOTH"},{38, "AF_ALG"},     {40, "AF_VSOCK"},
    {42, "AF_QIPCRTR"},   {43, "AF_SMC"},      {44, "AF_XDP"},
};

constexpr Named type_names[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"},     {3, "SOCK_RAW"},  {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},   {10, "SOCK_PACKET"},
};

constexpr Named ip_protocol_names[] = {
    {0, "IPPROTO_IP"},   {1, "IPPROTO_ICMP"},   {2, "IPPROTO_IGMP"},  {6, "IPPROTO_TCP"},
    {17, "IPPROTO_UDP"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"},
    {136, "IPPROTO_UDPLITE"}, {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"},
};

constexpr Named netlink_protocol_names[] = {
    {0, "NETLINK_ROUTE"},        {2, "NETLINK_USERSOCK"},     {3, "NETLINK_FIREWALL"},
    {4, "NETLINK_SOCK_DIAG"},    {5, "NETLINK_NFLOG"},        {6, "NETLINK_XFRM"},
    {7, "NETLINK_SELINUX"},      {8, "NETLINK_ISCSI"},        {9, "NETLINK_AUDIT"},
    {10, "NETLINK_FIB_LOOKUP"},  {11, "NETLINK_CONNECTOR"},   {12, "NETLINK_NETFILTER"},
    {13, "NETLINK_IP6_FW"},      {14, "NETLINK_DNRTMSG"},     {15, "NETLINK_KOBJECT_UEVENT"},
    {16, "NETLINK_GENERIC"},     {18, "NETLINK_SCSITRANSPORT"}, {19, "NETLINK_ECRYPTFS"},
    {20, "NETLINK_RDMA"},        {21, "NETLINK_CRYPTO"},      {22, "NETLINK_SMC"},
};

constexpr Named ether_protocol_names[] = {
    {0x0003, "ETH_P_ALL"}, {0x0800, "ETH_P_IP"}, {0x0806, "ETH_P_ARP"},
    {0x86DD, "ETH_P_IPV6"}, {0x8100, "ETH_P_8021Q"},
};


constexpr Named prio_names[] = {{0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}};

constexpr Named policy_names[] = {
    {0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"}, {3, "SCHED_BATCH"},
    {5, "SCHED_IDLE"},  {6, "SCHED_DEADLINE"},
};

constexpr Named resource_names[] = {
    {0, "RLIMIT_CPU"},     {1, "RLIMIT_FSIZE"},  {2, "RLIMIT_DATA"},      {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"},    {5, "RLIMIT_RSS"},    {6, "RLIMIT_NPROC"},     {7, "RLIMIT_NOFILE"},
    {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},     {10, "RLIMIT_LOCKS"},    {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"},  {15, "RLIMIT_RTTIME"},
};

constexpr Named ptrace_names[] = {
    {0, "PTRACE_TRACEME"},  {1, "PTRACE_PEEKTEXT"}, {2, "PTRACE_PEEKDATA"},
    {4, "PTRACE_POKETEXT"}, {5, "PTRACE_POKEDATA"}, {7, "PTRACE_CONT"},
    {8, "PTRACE_KILL"},     {9, "PTRACE_SINGLESTEP"}, {12, "PTRACE_GETREGS"},
    {16, "PTRACE_ATTACH"},  {17, "PTRACE_DETACH"},  {24, "PTRACE_SYSCALL"},
    {0x4200, "PTRACE_SETOPTIONS"}, {0x4206, "PTRACE_SEIZE"}, {0x4207, "PTRACE_INTERRUPT"},
};

template <std::size_t N>
const Named* lookup(const Named (&table)[N], std::uint64_t value) {
    for (const Named& entry : table)
        if (entry.value == value) return &entry;
    return nullptr;
}

template <std::size_t N>
std::string named_or_number(const Named (&table)[N], std::int64_t value) {
    if (const Named* entry = lookup(table, static_cast<std::uint64_t>(value))) return std::string(entry->name);
    return std::to_string(value);
}

// "A|B|0x40" like strace's printflags; `zero` when nothing is set.
template <std::size_t N>
std::string flags_text(const Named (&table)[N], std::uint64_t flags, std::string prefix,
                       std::string_view zero = "0") {
    std::string text = std::move(prefix);
    for (const Named& entry : table) {
        if (entry.value != 0 && (flags & entry.value) == entry.value) {
            if (!text.empty()) text += '|';
            text += entry.name;
            flags &= ~entry.value;
        }
    }
    if (flags != 0) {
        if (!text.empty()) text += '|';
        text += hex_text(flags);
    }
    return text.empty() ? std::string(zero) : text;
}

}  // namespace

std::string hex_text(std::uint64_t value) {
    if (value == 0) return "0";
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#llx", static_cast<unsigned long long>(value));
    return buffer;
}

std::string pointer_text(std::uint64_t value) { return value == 0 ? "NULL" : hex_text(value); }

std::string mode_text(std::uint64_t mode) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#03llo", static_cast<unsigned long long>(mode & 07777));
    std::string text = buffer;
    if (mode & ~std::uint64_t{07777}) text += "|" + hex_text(mode & ~std::uint64_t{07777});
    return text;
}

std::string mknod_mode_text(std::uint64_t mode) {
    constexpr Named types[] = {{0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"},
                               {0060000, "S_IFBLK"},  {0040000, "S_IFDIR"}, {0020000, "S_IFCHR"},
                               {0010000, "S_IFIFO"}};
    std::uint64_t type = mode & 0170000;
    std::string text;
    if (const Named* entry = lookup(types, type)) text = std::string(entry->name) + "|";
    else if (type) text = hex_text(type) + "|";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%#03llo", static_cast<unsigned long long>(mode & 07777));
    return text + buffer;
}

std::string open_flags_text(std::uint64_t flags) {
    constexpr std::string_view access[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    std::string prefix(access[flags & 3]);
    return flags_text(open_flag_names, flags & ~std::uint64_t{3}, prefix);
}

std::string at_flags_text(std::uint64_t flags) { return flags_text(at_flag_names, flags, ""); }

std::string access_mode_text(std::uint64_t mode) {
    if (mode == 0) return "F_OK";
    constexpr Named names[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
    return flags_text(names, mode, "");
}

std::string dirfd_text(int fd) { return fd == -100 ? "AT_FDCWD" : std::to_string(fd); }

std::string socket_domain_text(int domain) { return named_or_number(domain_names, domain); }

std::string socket_type_text(std::uint64_t type) {
    constexpr Named modifiers[] = {{04000, "SOCK_NONBLOCK"}, {02000000, "SOCK_CLOEXEC"}};
    std::uint64_t base = type & 0xf;
    std::string prefix = named_or_number(type_names, static_cast<std::int64_t>(base));
    return flags_text(modifiers, type & ~std::uint64_t{0xf}, prefix);
}

std::string socket_protocol_text(int domain, int protocol) {
    switch (domain) {
        case 2: case 10: return named_or_number(ip_protocol_names, protocol);
        case 16: return named_or_number(netlink_protocol_names, protocol);
        case 17: {
            // AF_PACKET takes the ethertype in network byte order.
            auto host = static_cast<std::uint16_t>(((protocol & 0xff) << 8) | ((protocol >> 8) & 0xff));
            if (const Named* entry = lookup(ether_protocol_names, host))
                return "htons(" + std::string(entry->name) + ")";
            return std::to_string(protocol);
        }
        default: return std::to_string(protocol);
    }
}

std::string signal_text(int signal) {
    if (signal == 0) return "0";
    if (const char* abbrev = ::sigabbrev_np(signal)) return std::string("SIG") + abbrev;
    if (signal >= SIGRTMIN && signal <= SIGRTMAX) return "SIGRT_" + std::to_string(signal - SIGRTMIN);
    return std::to_string(signal);
}

std::string clone_flags_text(std::uint64_t flags, bool with_exit_signal) {
    if (!with_exit_signal) return flags_text(clone_flag_names, flags, "");
    int exit_signal = static_cast<int>(flags & 0xff);
    std::string text = flags_text(clone_flag_names, flags & ~std::uint64_t{0xff}, "", "");
    if (exit_signal) text += (text.empty() ? "" : "|") + signal_text(exit_signal);
    return text.empty() ? "0" : text;
}

std::string mount_flags_text(std::uint64_t flags) {
    // Old callers put the magic MS_MGC_VAL (0xc0ed0000) in the high bits.
    std::string prefix;
    if ((flags & 0xffff0000) == 0xc0ed0000) {
        prefix = "MS_MGC_VAL";
        flags &= 0xffff;
    }
    return flags_text(mount_flag_names, flags, prefix);
}

std::string umount_flags_text(std::uint64_t flags) { return flags_text(umount_flag_names, flags, ""); }

std::string prio_which_text(int which) { return named_or_number(prio_names, which); }

std::string sched_policy_text(std::uint64_t policy) {
    constexpr Named modifiers[] = {{0x40000000, "SCHED_RESET_ON_FORK"}};
    std::string prefix = named_or_number(policy_names, static_cast<std::int64_t>(policy & 0xff));
    return flags_text(modifiers, policy & ~std::uint64_t{0xff}, prefix);
}

std::string resource_text(int resource) { return named_or_number(resource_names, resource); }

std::string ptrace_request_text(std::uint64_t request) {
    return named_or_number(ptrace_names, static_cast<std::int64_t>(request));
}

std::string id_text(std::uint32_t id) {
    return id == 0xffffffffu ? "-1" : std::to_string(id);
}

std::string netlink_type_text(int protocol, int type) {
    return netlink_type_name(protocol, type).value_or(hex_text(static_cast<std::uint64_t>(type)));
}

}  // namespace capprof
