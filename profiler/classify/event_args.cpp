#include "classify/event_args.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace capprof {

namespace {

std::optional<long> to_number(std::string_view s) {
    long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return value;
}

// Quoted strings of the decoded arguments, unescaped only as far as finding
// their ends requires (names of xattrs are plain ASCII).
std::vector<std::string> quoted_strings(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '"') continue;
        std::string s;
        for (++i; i < text.size() && text[i] != '"'; ++i) {
            if (text[i] == '\\' && i + 1 < text.size()) ++i;
            s += text[i];
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

bool named(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::uint64_t arg(const SyscallEvent& event, int i) {
    return (i >= 0 && i < 6) ? event.args[static_cast<std::size_t>(i)] : 0;
}

int arg_int(const SyscallEvent& event, int i) {
    return static_cast<int>(static_cast<std::int32_t>(arg(event, i) & 0xffffffffu));
}

std::optional<int> open_flags(const SyscallEvent& e) {
    if (e.name == "open") return arg_int(e, 1);
    if (e.name == "openat") return arg_int(e, 2);
    if (e.name == "creat") return O_CREAT | O_WRONLY | O_TRUNC;
    if (e.name == "openat2") {  // struct open_how is in the task's memory: use the decoded text
        int flags = 0;
        for (auto [bit, word] : {std::pair<int, const char*>{O_WRONLY, "O_WRONLY"}, {O_RDWR, "O_RDWR"},
                                 {O_CREAT, "O_CREAT"}, {O_TRUNC, "O_TRUNC"}, {O_APPEND, "O_APPEND"},
                                 {O_PATH, "O_PATH"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_EXCL, "O_EXCL"},
                                 {O_NOATIME, "O_NOATIME"}})
            if (e.args_text.find(word) != std::string::npos) flags |= bit;
        return flags;
    }
    return std::nullopt;
}

std::optional<std::string> primary_path(const SyscallEvent& e) {
    if (e.path) return e.path;
    if (e.sockaddr && e.sockaddr->family == AF_UNIX && e.sockaddr->address.starts_with("/"))
        return e.sockaddr->address;
    return std::nullopt;
}

std::optional<ProcPidPath> proc_pid_path(const SyscallEvent& e) {
    const std::string path = primary_path(e).value_or("");
    if (!std::string_view(path).starts_with("/proc/")) return std::nullopt;
    std::string_view rest = std::string_view(path).substr(6);
    auto next = [&rest]() {
        auto slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        return part;
    };
    std::string_view first = next();
    ProcPidPath out;
    if (first == "self") out.pid = e.task.pid ? e.task.pid : e.task.tid;
    else if (first == "thread-self") out.pid = e.task.tid;
    else if (auto n = to_number(first); n && *n > 0) out.pid = static_cast<pid_t>(*n);
    else return std::nullopt;
    std::string_view entry = next();
    if (entry == "task") {
        if (auto n = to_number(next()); n && *n > 0) out.pid = static_cast<pid_t>(*n);
        entry = next();
    }
    out.entry = std::string(entry);
    return out;
}

std::optional<pid_t> target_pid(const SyscallEvent& e) {
    const std::string_view n = e.name;
    auto self_or = [&e](int pid) -> std::optional<pid_t> {
        if (pid < 0) return std::nullopt;
        return pid == 0 ? e.task.tid : static_cast<pid_t>(pid);
    };
    if (n == "kill") {
        int pid = arg_int(e, 0);
        return pid > 0 ? std::optional<pid_t>(pid) : std::nullopt;
    }
    if (named(n, {"tkill", "rt_sigqueueinfo", "process_vm_readv", "process_vm_writev",
                  "sched_setscheduler", "sched_setparam", "sched_setattr", "sched_setaffinity",
                  "prlimit64", "migrate_pages", "move_pages", "get_robust_list", "pidfd_open"}))
        return self_or(arg_int(e, 0));
    if (named(n, {"tgkill", "rt_tgsigqueueinfo", "ptrace"})) return self_or(arg_int(e, 1));
    if (n == "kcmp") {
        pid_t a = arg_int(e, 0), b = arg_int(e, 1);
        return (a == e.task.pid || a == e.task.tid) ? b : a;
    }
    if (n == "setpriority" && arg_int(e, 0) == 0 /* PRIO_PROCESS */) return self_or(arg_int(e, 1));
    if (n == "ioprio_set" && arg_int(e, 0) == 1 /* IOPRIO_WHO_PROCESS */) return self_or(arg_int(e, 1));
    if (auto p = proc_pid_path(e)) return p->pid;
    return std::nullopt;
}

std::optional<std::string> xattr_name(const SyscallEvent& e) {
    auto strings = quoted_strings(e.args_text);
    const bool by_fd = e.name[0] == 'f';
    const std::size_t index = by_fd ? 0 : 1;
    if (strings.size() > index) return strings[index];
    return std::nullopt;
}

}  // namespace capprof
