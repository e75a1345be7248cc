#include "decode_event.hpp"

#include <linux/audit.h>
#include <linux/net.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string_view>

#include "capprof/escape.hpp"
#include "capprof/sockopt_names.hpp"
#include "decode_flags.hpp"
#include "decode_netlink.hpp"
#include "decode_path.hpp"
#include "decode_sockaddr.hpp"
#include "syscall_names.hpp"
#include "syscall_signatures.hpp"
#include "watched_syscalls.hpp"

namespace capprof {

namespace {

constexpr int at_fdcwd = -100;
constexpr std::uint64_t at_empty_path = 0x1000;
constexpr std::uint64_t o_creat = 0100;
constexpr std::uint64_t o_tmpfile = 020000000;  // __O_TMPFILE
constexpr std::size_t max_sockaddr = 128;  // sizeof(struct sockaddr_storage)
// strace's defaults: 32 argv strings shown, then "...".
constexpr std::size_t max_argv_shown = 32;
constexpr std::size_t max_argv_string = 256;
constexpr std::size_t max_env_counted = 100000;
constexpr int max_netlink_acks = 64;  // acknowledgements looked at in one netlink reply
constexpr std::size_t max_groups_decoded = 256;  // of setgroups' list (NGROUPS_MAX is 65536)

bool is_compat(const SyscallEntry& entry) { return entry.audit_arch == AUDIT_ARCH_I386; }

// A pointer argument as part of a call's identity: where a buffer lives
// (ASLR) does not make another call.
std::string pointer_identity(std::uint64_t value) { return value ? "<address>" : "NULL"; }

// i386 arguments are 32-bit registers, zero-extended in the syscall info.
std::int64_t as_signed(std::uint64_t value, bool compat) {
    return compat ? static_cast<std::int32_t>(value) : static_cast<std::int64_t>(value);
}

// socketcall(2) on i386: the call number and how many arguments it takes.
struct SocketCall {
    int call;
    const char* name;
    int args;
};
constexpr SocketCall socket_calls[] = {
    {SYS_SOCKET, "socket", 3},       {SYS_BIND, "bind", 3},         {SYS_CONNECT, "connect", 3},
    {SYS_LISTEN, "listen", 2},       {SYS_ACCEPT, "accept", 3},     {SYS_GETSOCKNAME, "getsockname", 3},
    {SYS_GETPEERNAME, "getpeername", 3}, {SYS_SOCKETPAIR, "socketpair", 4}, {SYS_SEND, "send", 4},
    {SYS_RECV, "recv", 4},           {SYS_SENDTO, "sendto", 6},     {SYS_RECVFROM, "recvfrom", 6},
    {SYS_SHUTDOWN, "shutdown", 2},   {SYS_SETSOCKOPT, "setsockopt", 5}, {SYS_GETSOCKOPT, "getsockopt", 5},
    {SYS_SENDMSG, "sendmsg", 3},     {SYS_RECVMSG, "recvmsg", 3},   {SYS_ACCEPT4, "accept4", 4},
    {SYS_RECVMMSG, "recvmmsg", 5},   {SYS_SENDMMSG, "sendmmsg", 4},
};

const SocketCall* find_socket_call(std::uint64_t call) {
    for (const SocketCall& entry : socket_calls)
        if (static_cast<std::uint64_t>(entry.call) == call) return &entry;
    return nullptr;
}

// ipc(2) on i386 (glibc's System V IPC calls there): the call number in the
// low 16 bits of the first argument, and where each of the call's arguments
// sits among ipc's (first, second, third, ptr, fifth) -- ipc/syscall.c.
struct IpcCall {
    int call;
    const char* name;
    int args[5];   // index into ipc's arguments 1..5, -1: unused
    int command;   // which of the call's arguments is a ctl command (IPC_64 stripped), -1: none
};
constexpr IpcCall ipc_calls[] = {
    {1, "semop", {1, 4, 2, -1, -1}, -1},      {2, "semget", {1, 2, 3, -1, -1}, -1},
    {3, "semctl", {1, 2, 3, 4, -1}, 2},       {4, "semtimedop", {1, 4, 2, 5, -1}, -1},
    {11, "msgsnd", {1, 4, 2, 3, -1}, -1},     {12, "msgrcv", {1, 4, 2, 5, 3}, -1},
    {13, "msgget", {1, 2, -1, -1, -1}, -1},   {14, "msgctl", {1, 2, 4, -1, -1}, 1},
    {21, "shmat", {1, 4, 2, -1, -1}, -1},     {22, "shmdt", {4, -1, -1, -1, -1}, -1},
    {23, "shmget", {1, 2, 3, -1, -1}, -1},    {24, "shmctl", {1, 2, 4, -1, -1}, 1},
};
constexpr std::uint64_t ipc_64 = 0x100;

const IpcCall* find_ipc_call(std::uint64_t call) {
    for (const IpcCall& entry : ipc_calls)
        if (static_cast<std::uint64_t>(entry.call) == (call & 0xffff)) return &entry;
    return nullptr;
}

// The call a syscall stands for: i386 socketcall(SYS_BIND, args) is bind,
// ipc(SHMCTL, ...) is shmctl.
struct EffectiveCall {
    std::string name;
    std::array<std::uint64_t, 6> args{};
};

EffectiveCall effective_call(Arch arch, const SyscallEntry& entry, const TaskAccess& task) {
    EffectiveCall call{syscall_name(arch, static_cast<int>(entry.nr)), entry.args};
    if (arch != Arch::i386) return call;
    if (call.name == "ipc") {
        const IpcCall* sub = find_ipc_call(entry.args[0]);
        if (!sub) return call;
        call.name = sub->name;
        call.args = {};
        for (int i = 0; i < 5 && sub->args[i] >= 0; ++i) call.args[i] = entry.args[sub->args[i]];
        if (sub->command >= 0) call.args[sub->command] &= ~ipc_64;
        return call;
    }
    if (call.name == "mmap") {
        // i386 mmap(2) is old_mmap: its six arguments are 32-bit words in
        // a struct mmap_arg_struct in the task's memory (glibc uses mmap2).
        std::uint32_t words[6];
        if (!task.read(entry.args[0], words, sizeof words)) return call;
        for (int i = 0; i < 6; ++i) call.args[i] = words[i];
        return call;
    }
    if (call.name != "socketcall") return call;
    const SocketCall* sub = find_socket_call(entry.args[0]);
    if (!sub) return call;
    std::uint32_t words[6] = {};
    if (!task.read(entry.args[1], words, sizeof(std::uint32_t) * sub->args)) return call;
    call.name = sub->name;
    call.args = {};
    for (int i = 0; i < sub->args; ++i) call.args[i] = words[i];
    return call;
}

class ArgumentDecoder {
public:
    ArgumentDecoder(SyscallEvent& event, const TaskAccess& task, bool compat)
        : event_(event), task_(task), compat_(compat) {}

    void decode(const SyscallSignature& signature, const std::array<std::uint64_t, 6>& args) {
        // AT_EMPTY_PATH makes an empty path name the dirfd itself.
        for (int i = 0; i < signature.count; ++i) {
            if (signature.args[i] == ArgKind::at_flags) empty_path_allowed_ = (args[i] & at_empty_path) != 0;
        }
        for (int i = 0; i < signature.count; ++i) {
            std::uint64_t next = i + 1 < 6 ? args[i + 1] : 0;
            // open(2)'s mode means something only with O_CREAT or O_TMPFILE,
            // and strace leaves it out otherwise.
            if (signature.args[i] == ArgKind::mode && i > 0 && signature.args[i - 1] == ArgKind::open_flags &&
                (args[i - 1] & (o_creat | o_tmpfile)) == 0)
                continue;
            std::string text = one(signature.args[i], args[i], next);
            append(text, identity(signature.args[i], args[i], text));
            previous_ = args[i];
        }
    }

    void append(const std::string& text) { append(text, text); }

    void append(const std::string& text, const std::string& identity) {
        if (!event_.args_text.empty()) event_.args_text += ", ";
        event_.args_text += text;
        if (!event_.args_identity.empty()) event_.args_identity += ", ";
        event_.args_identity += identity;
    }

private:
    static std::string identity(ArgKind kind, std::uint64_t value, const std::string& text) {
        switch (kind) {
            case ArgKind::ptr: return pointer_identity(value);
            case ArgKind::gid_list: return text.front() == '[' ? text : pointer_identity(value);
            case ArgKind::argv: return "<argv>";
            case ArgKind::envp: return "<envp>";
            default: return text;
        }
    }

    std::string one(ArgKind kind, std::uint64_t value, std::uint64_t next) {
        std::int64_t number = as_signed(value, compat_);
        switch (kind) {
            case ArgKind::int_: return std::to_string(number);
            case ArgKind::uint: return std::to_string(compat_ ? value & 0xffffffff : value);
            case ArgKind::hex: return hex_text(value);
            case ArgKind::ptr: return pointer_text(value);
            case ArgKind::argv: return argv(value);
            case ArgKind::envp: return envp(value);
            // An fd is an int: mmap's -1 arrives as 0xffffffff in a 64-bit register.
            case ArgKind::fd: return std::to_string(static_cast<int>(number));
            case ArgKind::file_fd:
                fd_as_path(static_cast<int>(number));
                return std::to_string(static_cast<int>(number));
            case ArgKind::dirfd:
                dirfd_ = static_cast<int>(number);
                return dirfd_text(dirfd_);
            case ArgKind::path: return path(value, false);
            case ArgKind::mount_source: return path(value, true);
            case ArgKind::string: return string(value);
            case ArgKind::open_flags: return open_flags_text(value);
            case ArgKind::mode: return mode_text(value);
            case ArgKind::mknod_mode: return mknod_mode_text(value);
            case ArgKind::at_flags: return at_flags_text(value);
            case ArgKind::access_mode: return access_mode_text(value);
            case ArgKind::sockaddr: return sockaddr(value, next);
            case ArgKind::socklen: return std::to_string(number);
            case ArgKind::sock_domain:
                event_.sock_domain = static_cast<int>(number);
                return socket_domain_text(event_.sock_domain);
            case ArgKind::sock_type:
                event_.sock_type = static_cast<int>(number);
                return socket_type_text(value);
            case ArgKind::sock_protocol:
                event_.sock_protocol = static_cast<int>(number);
                return socket_protocol_text(event_.sock_domain, event_.sock_protocol);
            case ArgKind::sockopt_level:
                sockopt_level_ = static_cast<int>(number);
                return sockopt_level_name(sockopt_level_).value_or(std::to_string(number));
            case ArgKind::sockopt_name:
                return sockopt_name(sockopt_level_, static_cast<int>(number), event_.name == "getsockopt")
                    .value_or(std::to_string(number));
            case ArgKind::uid:
            case ArgKind::gid: return id_text(static_cast<std::uint32_t>(value));
            case ArgKind::gid_list: return gid_list(value, previous_);
            case ArgKind::pid: return std::to_string(number);
            case ArgKind::signal: return signal_text(static_cast<int>(number));
            case ArgKind::clone_flags: return clone_flags_text(value, true);
            case ArgKind::namespace_flags: return clone_flags_text(value, false);
            case ArgKind::mount_flags: return mount_flags_text(value);
            case ArgKind::umount_flags: return umount_flags_text(value);
            case ArgKind::prio_which: return prio_which_text(static_cast<int>(number));
            case ArgKind::sched_policy: return sched_policy_text(value);
            case ArgKind::resource: return resource_text(static_cast<int>(number));
            case ArgKind::ptrace_request: return ptrace_request_text(value);
        }
        return hex_text(value);
    }

    void set_path(std::string resolved) {
        if (!event_.path) event_.path = std::move(resolved);
        else if (!event_.path2) event_.path2 = std::move(resolved);
    }

    void fd_as_path(int fd) {
        if (fd < 0) return;
        auto target = task_.fd_path(fd);
        if (target && !target->empty() && target->front() == '/') set_path(*target);
    }

    const std::string& root() {
        if (!root_) root_ = task_.root().value_or("/");
        return *root_;
    }

    std::string path(std::uint64_t address, bool mount_source) {
        if (address == 0) return "NULL";
        bool truncated = false;
        auto text = task_.read_string(address, PATH_MAX, &truncated);
        if (!text) return hex_text(address);  // unmapped or unreadable: no crash, no guess
        std::string shown = escape_string(*text, PATH_MAX) + (truncated ? "..." : "");
        if (mount_source && (text->empty() || text->front() != '/')) {
            set_path(*text);  // "proc", "tmpfs", "none": a name, not a file
            return shown;
        }
        std::optional<std::string> base;
        if (text->empty() || text->front() != '/') {
            if (dirfd_ == at_fdcwd) base = task_.cwd();
            else base = task_.fd_path(dirfd_);
        }
        if (text->empty() && (!empty_path_allowed_ || dirfd_ == at_fdcwd)) {
            set_path("");
            return shown;
        }
        auto resolved = absolute_path(*text, base ? std::optional<std::string_view>(*base) : std::nullopt, root());
        set_path(resolved.value_or(*text));
        return shown;
    }

    std::string string(std::uint64_t address, std::size_t max_length = 4096) {
        if (address == 0) return "NULL";
        bool truncated = false;
        auto text = task_.read_string(address, max_length, &truncated);
        if (!text) return hex_text(address);
        return escape_string(*text) + (truncated ? "..." : "");
    }

    // The pointers of a NULL-terminated array (4 bytes each in i386 tasks),
    // read a page at a time: a hostile envp of 100,000 entries costs 200
    // reads, not 100,000. A page is mapped or not as a whole.
    class PointerArray {
    public:
        PointerArray(const TaskAccess& task, std::uint64_t base, bool compat)
            : task_(task), base_(base), width_(compat ? 4 : 8) {}

        std::optional<std::uint64_t> at(std::size_t index) {
            if (index < first_ || index >= first_ + count_) {
                if (!load(index)) return std::nullopt;
            }
            const std::uint8_t* bytes = page_ + (index - first_) * width_;
            if (width_ == 4) {
                std::uint32_t entry;
                std::memcpy(&entry, bytes, sizeof entry);
                return entry;
            }
            std::uint64_t entry;
            std::memcpy(&entry, bytes, sizeof entry);
            return entry;
        }

    private:
        bool load(std::size_t index) {
            constexpr std::uint64_t page = 4096;
            const std::uint64_t address = base_ + index * width_;
            std::uint64_t length = page - address % page;
            length -= length % width_;
            if (length < width_) length = width_;  // an entry straddling two pages
            if (!task_.read(address, page_, length)) return false;
            first_ = index;
            count_ = length / width_;
            return true;
        }

        const TaskAccess& task_;
        std::uint64_t base_;
        std::size_t width_;
        std::uint8_t page_[4096 + 8];
        std::size_t first_ = 0, count_ = 0;
    };

    // setgroups' list, as strace prints it: [33, 44]. i386's setgroups (not
    // setgroups32) takes 16-bit gids (old_gid_t).
    std::string gid_list(std::uint64_t address, std::uint64_t count_arg) {
        const auto count = static_cast<std::size_t>(static_cast<std::uint32_t>(count_arg));
        if (count == 0) return address ? pointer_text(address) : "NULL";
        const bool narrow = compat_ && event_.name == "setgroups";
        const std::size_t width = narrow ? 2 : 4;
        const std::size_t shown = std::min(count, max_groups_decoded);
        std::vector<std::uint8_t> bytes(shown * width);
        if (!task_.read(address, bytes.data(), bytes.size())) return pointer_text(address);
        std::string text = "[";
        for (std::size_t i = 0; i < shown; ++i) {
            std::uint32_t gid = 0;
            if (narrow) {
                std::uint16_t small;
                std::memcpy(&small, &bytes[i * width], width);
                gid = small == 0xffff ? 0xffffffffu : small;
            } else {
                std::memcpy(&gid, &bytes[i * width], width);
            }
            event_.groups_requested.push_back(gid);
            text += (i ? ", " : "") + id_text(gid);
        }
        event_.groups_truncated = shown < count;
        return text + (event_.groups_truncated ? ", ...]" : "]");
    }

    // strace's printargv: ["ping", "-c", "1"], "..." after 32 strings.
    std::string argv(std::uint64_t array) {
        if (array == 0) return "NULL";
        std::string text = "[";
        PointerArray entries(task_, array, compat_);
        for (std::size_t i = 0;; ++i) {
            auto entry = entries.at(i);
            if (!entry) return i == 0 ? hex_text(array) : text + ", ...]";
            if (*entry == 0) break;
            if (i) text += ", ";
            if (i == max_argv_shown) return text + "...]";
            text += string(*entry, max_argv_string);
        }
        return text + "]";
    }

    // strace's default for envp: the address and how many variables.
    std::string envp(std::uint64_t array) {
        if (array == 0) return "NULL";
        std::size_t count = 0;
        PointerArray entries(task_, array, compat_);
        while (count < max_env_counted) {
            auto entry = entries.at(count);
            if (!entry) return hex_text(array);
            if (*entry == 0) break;
            ++count;
        }
        return hex_text(array) + " /* " + std::to_string(count) + (count == 1 ? " var */" : " vars */");
    }

    std::string sockaddr(std::uint64_t address, std::uint64_t length_arg) {
        if (address == 0) return "NULL";
        std::size_t length = std::min<std::uint64_t>(length_arg & 0xffffffff, max_sockaddr);
        std::uint8_t bytes[max_sockaddr];
        if (length == 0 || !task_.read(address, bytes, length)) return hex_text(address);
        SockAddr addr = decode_sockaddr(bytes, length);
        std::string text = addr.text;
        event_.sockaddr = std::move(addr);
        return text;
    }

    SyscallEvent& event_;
    const TaskAccess& task_;
    bool compat_;
    int dirfd_ = at_fdcwd;
    int sockopt_level_ = -1;
    std::uint64_t previous_ = 0;  // the argument before the one being decoded
    bool empty_path_allowed_ = false;
    std::optional<std::string> root_;
};

SyscallEvent basic_event(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret, const TaskAccess& task,
                         std::array<std::uint64_t, 6>& effective_args) {
    SyscallEvent event;
    event.task.tid = tid;
    event.task.pid = tgid;
    event.arch = arch_from_audit(entry.audit_arch, entry.nr);
    event.nr = static_cast<int>(entry.nr);
    event.ret = ret;
    event.err = ret < 0 ? static_cast<int>(-ret) : 0;
    EffectiveCall call = effective_call(event.arch, entry, task);
    event.name = std::move(call.name);
    event.args = call.args;
    effective_args = call.args;
    event.proc_root = "/proc/" + std::to_string(tid) + "/root";
    return event;
}

}  // namespace

SyscallEvent decode_failure(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                            const TaskAccess& task) {
    std::array<std::uint64_t, 6> args;
    SyscallEvent event = basic_event(tid, tgid, entry, ret, task, args);
    ArgumentDecoder decoder(event, task, is_compat(entry));
    if (const SyscallSignature* signature = find_signature(event.name)) {
        decoder.decode(*signature, args);
    } else {
        for (std::uint64_t arg : args) decoder.append(hex_text(arg));
    }
    return event;
}

std::optional<SyscallEvent> decode_netlink_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry,
                                                  long ret, const TaskAccess& task) {
    std::array<std::uint64_t, 6> args;
    SyscallEvent event = basic_event(tid, tgid, entry, ret, task, args);
    const bool compat = is_compat(entry);
    std::uint64_t buffer = 0, capacity = 0;
    if (event.name == "recvmsg") {
        if (args[2] & MSG_PEEK) return std::nullopt;  // iproute2 peeks first to size its buffer
        // struct msghdr: msg_iov and msg_iovlen after msg_name/msg_namelen.
        std::uint64_t iov_address = 0, iov_count = 0;
        if (compat) {
            std::uint32_t header[4];
            if (!task.read(args[1], header, sizeof header)) return std::nullopt;
            iov_address = header[2], iov_count = header[3];
        } else {
            std::uint64_t header[4];
            if (!task.read(args[1], header, sizeof header)) return std::nullopt;
            iov_address = header[2], iov_count = header[3];
        }
        if (iov_count == 0) return std::nullopt;
        if (compat) {
            std::uint32_t iov[2];
            if (!task.read(iov_address, iov, sizeof iov)) return std::nullopt;
            buffer = iov[0], capacity = iov[1];
        } else {
            std::uint64_t iov[2];
            if (!task.read(iov_address, iov, sizeof iov)) return std::nullopt;
            buffer = iov[0], capacity = iov[1];
        }
    } else if (event.name == "recvfrom" || event.name == "recv" || event.name == "read") {
        if (event.name != "read" && (args[3] & MSG_PEEK)) return std::nullopt;
        buffer = args[1], capacity = args[2];
    } else {
        return std::nullopt;
    }
    // iproute2 gets one acknowledgement per request; a batch (nftables,
    // libmnl) gets one per message in a single reply: walk the NLMSG_ERROR
    // messages, one small read each, and stop at anything else (a dump).
    const std::uint64_t received = std::min<std::uint64_t>(static_cast<std::uint64_t>(ret), capacity);
    std::optional<NetlinkDenial> denial;
    std::uint64_t offset = 0;
    for (int message = 0; !denial && message < max_netlink_acks && offset + netlink_error_bytes <= received;
         ++message) {
        std::uint8_t bytes[netlink_error_bytes];
        if (!task.read(buffer + offset, bytes, sizeof bytes)) return std::nullopt;
        denial = parse_netlink_denial(bytes, sizeof bytes);
        auto size = netlink_error_message_size(bytes, sizeof bytes);
        if (!size) break;
        offset += *size;
    }
    if (!denial) return std::nullopt;

    // Confirm the fd is a netlink socket and learn its protocol.
    int fd = static_cast<int>(as_signed(args[0], compat));
    auto link = task.fd_path(fd);
    auto inode = link ? socket_inode(*link) : std::nullopt;
    if (!inode) return std::nullopt;
    auto table = task.netlink_sockets();
    auto protocol = table ? netlink_protocol(*table, *inode) : std::nullopt;
    if (!protocol) return std::nullopt;

    NetlinkError error = denial->request;
    error.protocol = *protocol;
    event.err = denial->error;
    event.netlink = error;
    std::string request = netlink_type_text(error.protocol, error.request_type);
    std::string reply = "{NLMSG_ERROR for " + request + "}";
    if (event.name == "recvmsg") {
        event.args_text = std::to_string(fd) + ", " + reply + ", " + hex_text(args[2]);
    } else if (event.name == "read") {
        event.args_text = std::to_string(fd) + ", " + reply + ", " + std::to_string(capacity);
    } else {
        event.args_text = std::to_string(fd) + ", " + reply + ", " + std::to_string(capacity) + ", " +
                          hex_text(args[3]);
    }
    event.args_identity = event.args_text;
    if (event.name == "recvfrom") {
        event.args_text += ", " + pointer_text(args[4]) + ", " + pointer_text(args[5]);
        event.args_identity += ", " + pointer_identity(args[4]) + ", " + pointer_identity(args[5]);
    }
    return event;
}

std::optional<std::uint64_t> clone_flags_of(const SyscallEntry& entry, const TaskAccess& task) {
    const ArchSyscalls& numbers = WatchedSyscalls::get().for_audit_arch(entry.audit_arch);
    if (entry.nr == numbers.clone) return entry.args[0];
    if (entry.nr == numbers.clone3) {
        std::uint64_t flags;  // struct clone_args starts with __u64 flags
        if (task.read(entry.args[0], &flags, sizeof flags)) return flags;
    }
    return std::nullopt;
}

const char* i386_multiplexer(std::string_view name) {
    for (const IpcCall& call : ipc_calls)
        if (name == call.name) return "ipc";
    for (const SocketCall& call : socket_calls)
        if (name == call.name) return "socketcall";
    return nullptr;
}

bool creates_netlink_socket(const SyscallEntry& entry, const TaskAccess& task) {
    const ArchSyscalls& numbers = WatchedSyscalls::get().for_audit_arch(entry.audit_arch);
    if (entry.nr == numbers.socket) return (entry.args[0] & 0xffffffff) == AF_NETLINK;
    if (entry.nr == numbers.socketcall && entry.args[0] == SYS_SOCKET) {
        std::uint32_t domain;
        return task.read(entry.args[1], &domain, sizeof domain) && domain == AF_NETLINK;
    }
    return false;
}

}  // namespace capprof
