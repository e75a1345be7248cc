#include "collector.hpp"

#include <exception>
#include <string_view>

#include <spdlog/spdlog.h>

#include "classifier.hpp"
#include "rules.hpp"

namespace capprof {

namespace {

// Length-prefixed fields: no separator can be forged by a path or argument.
void append_field(std::string& key, std::string_view value) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
}

void append_field(std::string& key, long long value) { append_field(key, std::to_string(value)); }

// The deepest component of the path that exists: the file itself, or the
// directory in which it could not be created.
std::optional<FileFacts> file_facts(const std::vector<PathComponent>& components) {
    for (auto it = components.rbegin(); it != components.rend(); ++it) {
        if (it->exists) return FileFacts{it->path, it->uid, it->gid, it->mode};
    }
    return std::nullopt;
}

Finding classify_safely(const SyscallEvent& event) {
    try {
        ClassifyContext context = gather_context(event);
        Finding finding = classify(event, context);
        if (finding.verdict == Verdict::file_permission && !finding.file)
            finding.file = file_facts(context.components);
        return finding;
    } catch (const std::exception& error) {
        // A failure to judge one call must not cost the whole report.
        spdlog::debug("cannot classify {} failure: {}", event.name, error.what());
        Finding finding;
        finding.verdict = Verdict::unknown;
        finding.explanation = std::string("capprof could not analyse this call: ") + error.what();
        finding.event = event;
        return finding;
    }
}

// Digits at `at` followed by '/', '"' or the end: their length, else 0.
std::size_t number_at(std::string_view text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && end - at < 10 && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == at || end - at > 9) return 0;
    if (end < text.size() && text[end] != '/' && text[end] != '"') return 0;
    return end - at;
}

// "/proc/1234/fd/7" -> "/proc/<pid>/fd/<n>" for every pid but the caller's
// own: a scan of /proc (pidof, start-stop-daemon, ss -p, lsof) makes the
// same call for each process and each of its fds, refused for one reason.
std::string generic_proc_paths(std::string_view text, pid_t pid, pid_t tid) {
    constexpr std::string_view prefix = "/proc/";
    std::string out;
    std::size_t start = 0;
    for (std::size_t at = text.find(prefix); at != std::string_view::npos; at = text.find(prefix, at + 1)) {
        std::size_t cursor = at + prefix.size();
        std::size_t digits = number_at(text, cursor);
        if (digits == 0) continue;
        const long number = std::stol(std::string(text.substr(cursor, digits)));
        if (number == pid || number == tid) continue;
        out.append(text.substr(start, cursor - start));
        out += "<pid>";
        cursor += digits;
        // Then the numbered entries below it: task/TID, fd/N, fdinfo/N.
        for (std::string_view part : {"/task/", "/fd/", "/fdinfo/"}) {
            if (text.substr(cursor, part.size()) != part) continue;
            std::size_t n = number_at(text, cursor + part.size());
            if (n == 0) continue;
            out.append(part);
            out += "<n>";
            cursor += part.size() + n;
        }
        start = cursor;
    }
    out.append(text.substr(start));
    return out;
}

}  // namespace

std::string Collector::aggregation_key(const SyscallEvent& event) {
    // Not pid/tid: the same failing call made by 10,000 processes is one finding.
    std::string key;
    append_field(key, static_cast<long long>(event.arch));
    append_field(key, event.nr);
    append_field(key, event.err);
    // Events built by hand (tests, canned runs) may carry only args_text.
    const pid_t pid = event.task.pid, tid = event.task.tid;
    append_field(key, generic_proc_paths(event.args_identity.empty() ? event.args_text : event.args_identity,
                                        pid, tid));
    append_field(key, event.path ? "p" + generic_proc_paths(*event.path, pid, tid) : "-");
    append_field(key, event.path2 ? "p" + generic_proc_paths(*event.path2, pid, tid) : "-");
    if (event.netlink) {
        append_field(key, event.netlink->protocol);
        append_field(key, event.netlink->request_type);
        append_field(key, event.netlink->request_flags);
    } else {
        append_field(key, "-");
    }
    append_field(key, event.task.exe);
    return key;
}

std::vector<WatchedFailure> Collector::watched_failures() const { return capprof::watched_failures(); }

bool Collector::wants_details(const SyscallEvent& basic) {
    auto found = index_.find(aggregation_key(basic));
    if (found == index_.end()) return true;
    if (found->second != ignored) ++findings_[found->second].count;
    else ++ignored_calls_;
    return false;
}

void Collector::on_failure(const SyscallEvent& event) {
    std::string key = aggregation_key(event);
    if (auto found = index_.find(key); found != index_.end()) {
        if (found->second != ignored) ++findings_[found->second].count;
        else ++ignored_calls_;
        return;
    }
    Finding finding = classify_safely(event);
    if (!is_denial(finding)) {
        index_.emplace(std::move(key), ignored);
        ++ignored_calls_;
        return;
    }
    finding.event = event;
    finding.count = 1;
    index_.emplace(std::move(key), findings_.size());
    findings_.push_back(std::move(finding));
}

}  // namespace capprof
