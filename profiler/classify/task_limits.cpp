#include "classify/task_limits.hpp"

#include <charconv>
#include <limits>
#include <string>

#include "capprof/proc_status.hpp"

namespace capprof {

namespace {

std::string_view line_starting(std::string_view text, std::string_view prefix) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view line = text.substr(at, end - at);
        if (line.substr(0, prefix.size()) == prefix) return line.substr(prefix.size());
        at = end + 1;
    }
    return {};
}

std::optional<std::uint64_t> number(std::string_view word) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
    return value;
}

std::string_view first_word(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s.substr(0, s.find_first_of(" \t"));
}

std::optional<std::string> proc_text(pid_t tid, const char* entry) {
    return proc_status_detail::read_small_file("/proc/" + std::to_string(tid) + "/" + entry);
}

}  // namespace

std::optional<std::uint64_t> soft_limit(std::string_view limits_text, std::string_view name) {
    // "Max locked memory         8388608              8388608              bytes"
    std::string_view rest = line_starting(limits_text, name);
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return std::nullopt;
    std::string_view word = first_word(rest);
    if (word == "unlimited") return std::numeric_limits<std::uint64_t>::max();
    return number(word);
}

std::optional<std::uint64_t> status_bytes(std::string_view status_text, std::string_view field) {
    std::string_view rest = line_starting(status_text, std::string(field) + ":");
    if (rest.empty()) return std::nullopt;
    auto kib = number(first_word(rest));
    if (!kib) return std::nullopt;
    return *kib * 1024;
}

std::optional<pid_t> innermost_id(std::string_view status_text, std::string_view field) {
    auto ids = proc_status_detail::numbers<pid_t>(line_starting(status_text, std::string(field) + ":"));
    if (ids.empty()) return std::nullopt;
    return ids.back();
}

std::optional<MemlockState> read_memlock_state(pid_t tid) {
    auto status = proc_text(tid, "status");
    auto limits = proc_text(tid, "limits");
    if (!status || !limits) return std::nullopt;
    auto limit = soft_limit(*limits, "Max locked memory");
    if (!limit) return std::nullopt;
    MemlockState state;
    state.locked = status_bytes(*status, "VmLck").value_or(0);
    state.mapped = status_bytes(*status, "VmSize").value_or(0);
    if (*limit != std::numeric_limits<std::uint64_t>::max()) state.limit = *limit;
    return state;
}

std::optional<long> read_nofile_limit(pid_t tid) {
    auto limits = proc_text(tid, "limits");
    if (!limits) return std::nullopt;
    auto limit = soft_limit(*limits, "Max open files");
    if (!limit || *limit > static_cast<std::uint64_t>(std::numeric_limits<long>::max())) return std::nullopt;
    return static_cast<long>(*limit);
}

}  // namespace capprof
