#include "classify/collector.hpp"

#include <algorithm>
#include <exception>
#include <string_view>

#include <spdlog/spdlog.h>

#include "classify/classifier.hpp"
#include "classify/rules.hpp"

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

constexpr std::size_t max_folded_key_bytes = std::size_t{4} << 20;
constexpr std::size_t max_groups_kept = 64;  // NGROUPS_MAX is 65536

std::string folding_note() {
    return "capprof keeps at most " + std::to_string(Collector::max_findings_per_rule) +
           " findings per rule and " + std::to_string(Collector::max_findings) +
           " in all: further failing calls with this verdict and capability (other paths or "
           "arguments) are counted in this one";
}

// What folding keeps apart: what the finding asks for.
std::string fold_class(const Finding& finding) {
    std::string key;
    append_field(key, verdict_name(finding.verdict));
    append_field(key, finding.capability.value_or("-"));
    for (const auto& alternative : finding.alternatives) append_field(key, alternative);
    return key;
}

// Strings of the workload's making (paths, arguments, the explanations that
// quote them) are cut where they are stored.
void shorten_strings(Finding& finding) {
    constexpr std::size_t max = Collector::max_string;
    SyscallEvent& e = finding.event;
    for (std::string* text : {&e.args_text, &e.args_identity, &e.task.exe, &finding.explanation, &finding.fix})
        shorten(*text, max);
    for (std::optional<std::string>* path : {&e.path, &e.path2})
        if (*path) shorten(**path, max);
    if (e.sockaddr) {
        shorten(e.sockaddr->address, max);
        shorten(e.sockaddr->text, max);
    }
    if (finding.file) shorten(finding.file->path, max);
    for (auto& note : finding.notes) shorten(note, max);
    if (e.task.groups.size() > max_groups_kept) e.task.groups.resize(max_groups_kept);
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

std::string Collector::step_key(const SyscallEvent& event) const {
    // The same call made by two steps of a unit is two findings.
    return step_.empty() ? aggregation_key(event) : step_ + '\n' + aggregation_key(event);
}

bool Collector::wants_details(const SyscallEvent& basic) {
    std::optional<std::size_t> finding;
    if (!count_repeat(step_key(basic), finding)) return true;
    if (finding) outcomes_.on_denial(basic.task.pid, *finding);
    return false;
}

void Collector::on_failure(const SyscallEvent& event) {
    std::string key = step_key(event);
    std::optional<std::size_t> counted;
    if (count_repeat(key, counted)) {
        if (counted) outcomes_.on_denial(event.task.pid, *counted);
        return;
    }
    Finding finding = classify_safely(event);
    if (!is_denial(finding)) {
        ignore(std::move(key));
        return;
    }
    finding.event = event;
    finding.count = 1;
    finding.step = step_;
    shorten_strings(finding);
    const std::size_t at = kept_ < max_findings && per_rule_[finding.rule] < max_findings_per_rule
                               ? keep(std::move(key), std::move(finding))
                               : fold(std::move(key), std::move(finding));
    outcomes_.on_denial(event.task.pid, at);
}

void Collector::on_message(pid_t pid, const std::string& line) {
    auto at = outcomes_.message_target(pid);
    if (!at || *at >= findings_.size() || findings_[*at].message) return;
    std::string text = line.substr(0, max_message);
    findings_[*at].message = std::move(text);
}

void Collector::on_process_end(const ProcessEnd& end) { outcomes_.on_process_end(end); }

bool Collector::count_repeat(const std::string& key, std::optional<std::size_t>& finding) {
    if (ignored_.count(key)) {
        ++ignored_calls_;
        return true;
    }
    if (auto found = index_.find(key); found != index_.end()) {
        ++findings_[found->second].count;
        finding = found->second;
        return true;
    }
    if (auto found = folded_.find(key); found != folded_.end()) {
        Finding& into = findings_[found->second];
        ++into.count;
        ++into.folded;
        finding = found->second;
        return true;
    }
    return false;
}

void Collector::ignore(std::string key) {
    ++ignored_calls_;
    if (folded_key_bytes_ + key.size() > max_folded_key_bytes) return;
    folded_key_bytes_ += key.size();
    ignored_.emplace(std::move(key), true);
}

std::size_t Collector::keep(std::string key, Finding finding) {
    ++kept_;
    ++per_rule_[finding.rule];
    index_.emplace(std::move(key), findings_.size());
    findings_.push_back(std::move(finding));
    return findings_.size() - 1;
}

std::size_t Collector::fold(std::string key, Finding finding) {
    const std::string into = fold_class(finding);
    auto found = fold_into_.find(into);
    if (found == fold_into_.end()) {
        // The first call of its kind beyond the limits stands for the rest.
        finding.notes.push_back(folding_note());
        fold_into_.emplace(into, findings_.size());
        index_.emplace(std::move(key), findings_.size());
        findings_.push_back(std::move(finding));
        return findings_.size() - 1;
    }
    Finding& summary = findings_[found->second];
    ++summary.count;
    ++summary.folded;
    // Capabilities needed together stay asked for (their union).
    for (auto& name : finding.together)
        if (std::find(summary.together.begin(), summary.together.end(), name) == summary.together.end())
            summary.together.push_back(std::move(name));
    if (folded_key_bytes_ + key.size() <= max_folded_key_bytes) {
        folded_key_bytes_ += key.size();
        folded_.emplace(std::move(key), found->second);
    }
    return found->second;
}

void shorten(std::string& text, std::size_t max) {
    if (text.size() <= max) return;
    std::size_t cut = max;
    // Back over UTF-8 continuation bytes (10xxxxxx) to the sequence's start.
    for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++back)
        --cut;
    text.resize(cut);
    text += "...";
}

}  // namespace capprof
