#pragma once
// Credentials and identity of a task from /proc/TID/status (proc(5)), plus
// /proc/TID/comm and the /proc/TID/exe link. Header-only: the tracer reads it
// at a failing exit, the profiler for `capprof inspect` and kill/ptrace targets.
#include <sys/types.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "capprof/syscall_event.hpp"

namespace capprof {

namespace proc_status_detail {

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Whitespace-separated numbers in `base`; stops at the first non-number.
template <typename T>
std::vector<T> numbers(std::string_view s, int base = 10) {
    std::vector<T> out;
    while (true) {
        s = trim(s);
        if (s.empty()) break;
        T value{};
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
        if (ec != std::errc{}) break;
        out.push_back(value);
        s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    }
    return out;
}

template <typename T>
T first_number(std::string_view s, int base = 10) {
    auto values = numbers<T>(s, base);
    return values.empty() ? T{} : values.front();
}

// "Uid:\treal\teffective\tsaved\tfs"
template <typename T>
void four_ids(std::string_view s, T& real, T& effective, T& saved, T& fs) {
    auto ids = numbers<T>(s);
    if (ids.size() == 4) real = ids[0], effective = ids[1], saved = ids[2], fs = ids[3];
}

inline std::optional<std::string> read_small_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

}  // namespace proc_status_detail

// Parses the text of /proc/TID/status. Fields absent from the text keep their
// defaults; comm comes from "Name:" (the kernel escapes \n and \\ there; the
// raw /proc/TID/comm is preferred by read_task_info).
inline TaskInfo parse_proc_status(std::string_view status_text) {
    using namespace proc_status_detail;
    TaskInfo info;
    while (!status_text.empty()) {
        auto eol = status_text.find('\n');
        std::string_view line = status_text.substr(0, eol);
        status_text.remove_prefix(eol == std::string_view::npos ? status_text.size() : eol + 1);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        if (key == "Name") info.comm = std::string(trim(value));
        else if (key == "Pid") info.tid = first_number<pid_t>(value);
        else if (key == "Tgid") info.pid = first_number<pid_t>(value);
        else if (key == "PPid") info.ppid = first_number<pid_t>(value);
        else if (key == "Uid") four_ids(value, info.uid, info.euid, info.suid, info.fsuid);
        else if (key == "Gid") four_ids(value, info.gid, info.egid, info.sgid, info.fsgid);
        else if (key == "Groups") info.groups = numbers<gid_t>(value);
        else if (key == "CapInh") info.cap_inh = first_number<std::uint64_t>(value, 16);
        else if (key == "CapPrm") info.cap_prm = first_number<std::uint64_t>(value, 16);
        else if (key == "CapEff") info.cap_eff = first_number<std::uint64_t>(value, 16);
        else if (key == "CapBnd") info.cap_bnd = first_number<std::uint64_t>(value, 16);
        else if (key == "CapAmb") info.cap_amb = first_number<std::uint64_t>(value, 16);
        else if (key == "Seccomp") info.seccomp = first_number<int>(value);
        else if (key == "NoNewPrivs") info.no_new_privs = first_number<int>(value) != 0;
    }
    return info;
}

// The target of /proc/TID/exe; empty when the link cannot be read (kernel
// threads, or ptrace_may_access denies it).
inline std::string read_task_exe(pid_t tid) {
    char exe[PATH_MAX];
    ssize_t n = ::readlink(("/proc/" + std::to_string(tid) + "/exe").c_str(), exe, sizeof exe);
    return n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : std::string();
}

// Reads /proc/TID/status, comm and exe. nullopt when the task is gone or
// /proc is not readable; exe stays empty when the link cannot be read
// (kernel threads, or ptrace_may_access denies it).
inline std::optional<TaskInfo> read_task_info(pid_t tid) {
    using namespace proc_status_detail;
    const std::string dir = "/proc/" + std::to_string(tid);
    auto status = read_small_file(dir + "/status");
    if (!status || status->empty()) return std::nullopt;
    TaskInfo info = parse_proc_status(*status);
    if (auto comm = read_small_file(dir + "/comm")) {
        if (!comm->empty() && comm->back() == '\n') comm->pop_back();
        info.comm = std::move(*comm);
    }
    info.exe = read_task_exe(tid);
    if (info.tid == 0) info.tid = tid;
    return info;
}

}  // namespace capprof
