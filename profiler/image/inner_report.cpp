#include "image/inner_report.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "classify/collector.hpp"
#include "common/cap_names.hpp"

namespace capprof {
namespace {

using nlohmann::json;

constexpr std::size_t max_string = 4096;
constexpr std::size_t max_list = 256;

// A field of the wrong type is refused as a whole report: a real capprof
// never writes one, so the document was not its.
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json* field(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const json& object, const char* key) {
    const json* value = field(object, key);
    if (!value) return "";
    if (!value->is_string()) throw Refused(std::string("\"") + key + "\" is not a string");
    std::string out = value->get<std::string>();
    if (out.size() > max_string) out.resize(max_string);
    return out;
}

std::optional<std::string> optional_text(const json& object, const char* key) {
    if (!field(object, key)) return std::nullopt;
    return text(object, key);
}

template <typename T>
T number(const json& object, const char* key, T fallback = 0) {
    const json* value = field(object, key);
    if (!value) return fallback;
    if (!value->is_number()) throw Refused(std::string("\"") + key + "\" is not a number");
    if constexpr (std::is_floating_point_v<T>) return value->get<T>();
    if (value->is_number_float()) throw Refused(std::string("\"") + key + "\" is not an integer");
    if (value->is_number_unsigned()) {
        const auto n = value->get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw Refused(std::string("\"") + key + "\" is out of range");
        return static_cast<T>(n);
    }
    const auto n = value->get<std::int64_t>();
    if (n < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        (n > 0 && static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
        throw Refused(std::string("\"") + key + "\" is out of range");
    return static_cast<T>(n);
}

bool flag(const json& object, const char* key, bool fallback = false) {
    const json* value = field(object, key);
    if (!value) return fallback;
    if (!value->is_boolean()) throw Refused(std::string("\"") + key + "\" is not true or false");
    return value->get<bool>();
}

const json& list(const json& object, const char* key) {
    static const json empty = json::array();
    const json* value = field(object, key);
    if (!value) return empty;
    if (!value->is_array()) throw Refused(std::string("\"") + key + "\" is not a list");
    if (value->size() > Collector::max_findings * 4) throw Refused(std::string("\"") + key + "\" is too long");
    return *value;
}

std::vector<std::string> texts(const json& object, const char* key) {
    std::vector<std::string> out;
    for (const json& item : list(object, key)) {
        if (!item.is_string()) throw Refused(std::string("\"") + key + "\" holds a non-string");
        if (out.size() < max_list) out.push_back(item.get<std::string>().substr(0, max_string));
    }
    return out;
}

// A capability name the inner capprof wrote: known, in Docker's spelling.
std::optional<std::string> capability(const json& object, const char* key) {
    auto name = optional_text(object, key);
    if (name && !cap_from_name(*name)) throw Refused("unknown capability \"" + name->substr(0, 64) + "\"");
    return name;
}

Verdict verdict_of(const std::string& name) {
    for (Verdict v : {Verdict::capability, Verdict::file_permission, Verdict::not_capability, Verdict::unknown})
        if (name == verdict_name(v)) return v;
    throw Refused("unknown verdict \"" + name.substr(0, 64) + "\"");
}

int errno_of(const json& object) {
    const auto name = optional_text(object, "errno");
    if (!name) return 0;  // a silent denial
    for (int err = 1; err < 4096; ++err) {
        const char* known = ::strerrorname_np(err);
        if (known && *name == known) return err;
    }
    throw Refused("unknown errno \"" + name->substr(0, 64) + "\"");
}

Arch arch_of(const std::string& name) {
    if (name == "x86_64") return Arch::x86_64;
    if (name == "i386") return Arch::i386;
    if (name == "x32") return Arch::x32;
    return Arch::unknown;
}

SyscallEvent event_of(const json& f) {
    SyscallEvent e;
    e.name = text(f, "syscall");
    e.err = errno_of(f);
    e.ret = -e.err;
    e.nr = number<int>(f, "nr", -1);
    e.arch = arch_of(text(f, "arch"));
    e.task.pid = number<pid_t>(f, "pid");
    e.task.tid = number<pid_t>(f, "tid", e.task.pid);
    e.task.comm = text(f, "comm");
    e.task.exe = text(f, "exe");
    e.task.euid = number<uid_t>(f, "uid");
    e.args_text = text(f, "args");
    e.path = optional_text(f, "path");
    e.path2 = optional_text(f, "path2");
    return e;
}

Finding finding_of(const json& f) {
    if (!f.is_object()) throw Refused("a finding is not an object");
    Finding finding;
    finding.verdict = verdict_of(text(f, "verdict"));
    finding.capability = capability(f, "capability");
    for (const auto& name : texts(f, "alternatives"))
        if (cap_from_name(name)) finding.alternatives.push_back(name);
    for (const auto& name : texts(f, "together"))
        if (cap_from_name(name)) finding.together.push_back(name);
    finding.required = flag(f, "required", true);
    finding.privilege_drop = flag(f, "privilege_drop");
    finding.explanation = text(f, "explanation");
    finding.fix = text(f, "fix");
    finding.notes = texts(f, "notes");
    finding.rule = text(f, "rule");
    finding.count = number<std::uint64_t>(f, "count", 1);
    finding.folded = number<std::uint64_t>(f, "folded");
    finding.event = event_of(f);
    if (const json* file = field(f, "file")) {
        if (!file->is_object()) throw Refused("\"file\" is not an object");
        finding.file = FileFacts{text(*file, "path"), number<uid_t>(*file, "uid"), number<gid_t>(*file, "gid"),
                                 number<unsigned>(*file, "mode")};
    }
    return finding;
}

ExitStatus exit_of(const json& doc) {
    const json* exit = field(doc, "exit");
    if (!exit || !exit->is_object()) throw Refused("no \"exit\"");
    ExitStatus status;
    if (const json* signal = field(*exit, "signal")) {
        if (!signal->is_number_integer() || *signal < 1 || *signal > 64) throw Refused("bad \"exit.signal\"");
        status.signal = signal->get<int>();
    } else {
        const int code = number<int>(*exit, "code");
        if (code < 0 || code > 255) throw Refused("bad \"exit.code\"");
        status.code = code;
    }
    return status;
}

void statistics_of(const json& doc, RunResult& r) {
    r.exit = exit_of(doc);
    r.started = flag(doc, "started", true);
    r.stopped_by_capprof = flag(doc, "stopped_by_capprof");
    r.seconds = std::max(0.0, number<double>(doc, "seconds"));
    r.syscalls = number<std::uint64_t>(doc, "syscalls");
    r.processes = number<std::uint64_t>(doc, "processes");
    r.threads = number<std::uint64_t>(doc, "threads");
    r.failures = number<std::uint64_t>(doc, "failures");
    r.pinned_cpu = number<int>(doc, "pinned_cpu", -1);
    if (field(doc, "probe_ok")) r.probe_ok = flag(doc, "probe_ok");
}

void identities_of(const json& doc, RunResult& r) {
    for (const json& id : list(doc, "identities")) {
        if (!id.is_object()) throw Refused("an identity is not an object");
        r.identities.push_back({text(id, "exe"), number<uid_t>(id, "euid"), number<gid_t>(id, "egid")});
    }
    std::sort(r.identities.begin(), r.identities.end());
    for (const json& ignored : list(doc, "ignored_privileges")) {
        if (!ignored.is_object()) throw Refused("an ignored privilege is not an object");
        CapSet caps = 0;
        for (const auto& name : texts(ignored, "file_capabilities"))
            if (auto cap = cap_from_name(name)) caps |= cap_bit(*cap);
        r.ignored_privileges.push_back({text(ignored, "exe"), flag(ignored, "setuid"), flag(ignored, "setgid"), caps});
    }
}

}  // namespace

InnerReport parse_inner_report(const std::string& body, const std::string& token) {
    InnerReport report;
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        report.error = "not a JSON object";
        return report;
    }
    try {
        if (text(doc, "schema") != "capprof.report/v1") throw Refused("not a capprof.report/v1 document");
        if (text(doc, "trial") != token) throw Refused("not this trial's report (its token differs)");
        statistics_of(doc, report.trial.result);
        identities_of(doc, report.trial.result);
        const json& findings = list(doc, "findings");
        if (findings.size() > Collector::max_findings) throw Refused("more findings than capprof ever keeps");
        for (const json& f : findings) report.trial.findings.push_back(finding_of(f));
    } catch (const Refused& refused) {
        report.trial = {};
        report.error = refused.what();
    } catch (const nlohmann::json::exception& e) {
        report.trial = {};
        report.error = e.what();
    }
    return report;
}

std::optional<InnerReport> read_inner_report(const std::string& path, const std::string& token) {
    // O_NOFOLLOW: no symlink; O_NONBLOCK: a fifo does not hang the open.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    std::string body;
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular && static_cast<std::size_t>(st.st_size) <= inner_report_max_bytes) {
        char buffer[65536];
        ssize_t n;
        while (body.size() <= inner_report_max_bytes && (n = ::read(fd, buffer, sizeof buffer)) > 0) body.append(buffer, n);
    }
    ::close(fd);
    if (!regular) return InnerReport{{}, "not a regular file"};
    if (body.size() > inner_report_max_bytes || static_cast<std::size_t>(st.st_size) > inner_report_max_bytes)
        return InnerReport{{}, "larger than " + std::to_string(inner_report_max_bytes >> 20) + " MiB"};
    return parse_inner_report(body, token);
}

}  // namespace capprof
