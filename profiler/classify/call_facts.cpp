#include "classify/call_facts.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/uio.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <string_view>

#include "classify/event_args.hpp"
#include "classify/rules.hpp"
#include "classify/task_limits.hpp"

namespace capprof {

namespace {

constexpr std::size_t max_written = 4096;  // a uid_map is at most a page (user_namespaces(7))

// A plain read of the stopped task's memory (process_vm_readv(2), no ptrace request).
bool read_task_memory(pid_t tid, std::uint64_t address, void* out, std::size_t size) {
    iovec local{out, size};
    iovec remote{reinterpret_cast<void*>(address), size};
    return ::process_vm_readv(tid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(size);
}

std::optional<long> read_long_sysctl(const char* path) {
    std::ifstream in(path);
    long value = 0;
    if (!(in >> value)) return std::nullopt;
    return value;
}

std::optional<CapsetRequest> read_capset_request(pid_t tid, const SyscallEvent& e) {
    __user_cap_header_struct header{};
    __user_cap_data_struct data[2]{};
    if (!read_task_memory(tid, e.args[0], &header, sizeof header)) return std::nullopt;
    const std::size_t count = header.version == _LINUX_CAPABILITY_VERSION_1 ? 1 : 2;
    if (!read_task_memory(tid, e.args[1], data, count * sizeof data[0])) return std::nullopt;
    CapsetRequest r;
    for (std::size_t i = 0; i < count; ++i) {
        r.effective |= std::uint64_t{data[i].effective} << (32 * i);
        r.permitted |= std::uint64_t{data[i].permitted} << (32 * i);
        r.inheritable |= std::uint64_t{data[i].inheritable} << (32 * i);
    }
    return r;
}

// struct mq_attr {long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;}: 32-bit
// longs in i386 tasks. The limits read are those of capprof's IPC namespace.
std::optional<MqueueRequest> read_mqueue_request(pid_t tid, const SyscallEvent& e) {
    if (!(arg_int(e, 1) & O_CREAT) || e.args[3] == 0) return std::nullopt;
    MqueueRequest r;
    if (e.arch == Arch::i386) {
        std::int32_t attr[4];
        if (!read_task_memory(tid, e.args[3], attr, sizeof attr)) return std::nullopt;
        r.max_messages = attr[1], r.message_size = attr[2];
    } else {
        std::int64_t attr[4];
        if (!read_task_memory(tid, e.args[3], attr, sizeof attr)) return std::nullopt;
        r.max_messages = static_cast<long>(attr[1]), r.message_size = static_cast<long>(attr[2]);
    }
    r.msg_max = read_long_sysctl("/proc/sys/fs/mqueue/msg_max");
    r.msgsize_max = read_long_sysctl("/proc/sys/fs/mqueue/msgsize_max");
    return r;
}

// What a write(2)/pwrite64(2) to /proc/PID/uid_map or gid_map wrote.
std::optional<std::string> read_id_map_write(pid_t tid, const SyscallEvent& e) {
    const std::string path = e.path.value_or("");
    const bool id_map = path.size() > 8 && (path.compare(path.size() - 8, 8, "/uid_map") == 0 ||
                                            path.compare(path.size() - 8, 8, "/gid_map") == 0);
    if (!id_map || e.args[1] == 0) return std::nullopt;
    std::string text(std::min<std::uint64_t>(e.args[2], max_written), '\0');
    if (text.empty() || !read_task_memory(tid, e.args[1], text.data(), text.size())) return std::nullopt;
    return text;
}

}  // namespace

void gather_call_facts(pid_t tid, const SyscallEvent& event, ClassifyContext& c) {
    const std::string_view name = event.name;
    if (name == "capset") c.capset_request = read_capset_request(tid, event);
    if (!is_denial_errno(event.err) &&
        named(name, {"mlock", "mlock2", "mlockall", "mmap", "mmap2", "mremap", "shmctl", "io_uring_register"}))
        c.memlock = read_memlock_state(tid);
    if (name == "mq_open") c.mqueue_request = read_mqueue_request(tid, event);
    if (named(name, {"sendmsg", "sendmmsg"})) c.nofile_limit = read_nofile_limit(tid);
    if (named(name, {"write", "pwrite64"})) c.written = read_id_map_write(tid, event);
}

}  // namespace capprof
