// Fuzzes report rendering with findings built from workload-controlled
// strings (comm, exe, paths, decoded arguments, command words): the text
// report must be safe for a terminal (capprof's own colour codes aside), the
// JSON report must always parse, and the pasteable formats must not throw
// anything but capprof's own error type (an uncaught exception is a crash).
#include <fuzzer/FuzzedDataProvider.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <regex>
#include <sstream>
#include <string>

#include "capprof/error.hpp"
#include "report/formats.hpp"
#include "fuzz_hazards.hpp"
#include "report/report_render.hpp"

using capprof::fuzz::require;

namespace {

std::string fuzzed_string(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(300); }

capprof::Finding fuzzed_finding(FuzzedDataProvider& in) {
    capprof::Finding f;
    f.verdict = static_cast<capprof::Verdict>(in.ConsumeIntegralInRange(0, 3));
    static const char* const caps[] = {"NET_BIND_SERVICE", "SYS_ADMIN", "DAC_READ_SEARCH", "SETUID", "CHOWN"};
    if (in.ConsumeBool()) f.capability = caps[in.ConsumeIntegralInRange(0, 4)];
    if (in.ConsumeBool()) f.alternatives.push_back(caps[in.ConsumeIntegralInRange(0, 4)]);
    f.required = in.ConsumeBool();
    f.explanation = fuzzed_string(in);
    f.fix = fuzzed_string(in);
    if (in.ConsumeBool()) f.notes.push_back(fuzzed_string(in));
    f.rule = fuzzed_string(in);
    auto& e = f.event;
    e.task.pid = in.ConsumeIntegral<pid_t>();
    e.task.tid = e.task.pid;
    e.task.comm = fuzzed_string(in);
    e.task.exe = fuzzed_string(in);
    e.name = in.ConsumeBool() ? "openat" : fuzzed_string(in);
    e.err = in.ConsumeBool() ? EPERM : EACCES;
    e.ret = -e.err;
    e.args_text = fuzzed_string(in);
    if (in.ConsumeBool()) e.path = fuzzed_string(in);
    if (in.ConsumeBool()) e.path2 = fuzzed_string(in);
    if (in.ConsumeBool()) {
        capprof::SockAddr addr;
        addr.family = 1;
        addr.address = fuzzed_string(in);
        addr.text = fuzzed_string(in);
        e.sockaddr = addr;
    }
    if (in.ConsumeBool()) {
        capprof::FileFacts file;
        file.path = fuzzed_string(in);
        file.uid = in.ConsumeIntegral<uid_t>();
        file.gid = in.ConsumeIntegral<gid_t>();
        file.mode = in.ConsumeIntegral<unsigned>();
        f.file = file;
    }
    f.count = in.ConsumeIntegralInRange<std::uint64_t>(1, 1000000);
    if (in.ConsumeBool()) f.folded = in.ConsumeIntegralInRange<std::uint64_t>(0, f.count);
    if (in.ConsumeBool()) f.together.push_back(caps[in.ConsumeIntegralInRange(0, 4)]);
    if (in.ConsumeBool()) f.outcome = static_cast<capprof::Outcome>(in.ConsumeIntegralInRange(0, 2));
    if (in.ConsumeBool()) f.message = fuzzed_string(in);  // the workload's own words
    if (in.ConsumeBool()) f.stopped_exit = capprof::ExitStatus::exited(in.ConsumeIntegralInRange(0, 255));
    if (in.ConsumeBool()) e.err = 0;  // a silent denial
    return f;
}

// capprof's own colours are SGR sequences (ESC [ digits m); the workload's
// bytes must never add any.
std::string without_sgr(const std::string& text) {
    static const std::regex sgr("\x1b\\[[0-9;]*m");
    return std::regex_replace(text, sgr, "");
}

// Lines that are not "#" comments.
int count_commands(const std::string& text) {
    int commands = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line[0] != '#') ++commands;
    return commands;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    capprof::Report report;
    int words = in.ConsumeIntegralInRange(1, 4);
    for (int i = 0; i < words; ++i) report.command.push_back(fuzzed_string(in));
    report.granted = in.ConsumeIntegral<std::uint32_t>();
    if (in.ConsumeBool()) report.exit = capprof::ExitStatus::killed(in.ConsumeIntegralInRange(1, 64));
    else report.exit = capprof::ExitStatus::exited(in.ConsumeIntegralInRange(0, 255));
    report.success = in.ConsumeBool();
    report.cap_add = in.ConsumeIntegral<std::uint32_t>();
    report.optional = in.ConsumeIntegral<std::uint32_t>();
    if (in.ConsumeBool()) report.user = fuzzed_string(in);
    report.seconds = in.ConsumeFloatingPointInRange(0.0, 1e6);
    report.syscalls = in.ConsumeIntegral<std::uint32_t>();
    int findings = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < findings; ++i) report.findings.push_back(fuzzed_finding(in));
    if (in.ConsumeBool()) report.notes.push_back(fuzzed_string(in));
    if (in.ConsumeBool()) {
        capprof::IgnoredPrivilege ignored;
        ignored.exe = fuzzed_string(in);
        ignored.setuid = in.ConsumeBool();
        ignored.setgid = in.ConsumeBool();
        ignored.file_caps = in.ConsumeIntegral<std::uint64_t>();
        report.ignored_privileges.push_back(ignored);
    }
    if (in.ConsumeBool()) {
        capprof::RunRecord run;
        run.granted = in.ConsumeIntegral<std::uint32_t>();
        run.purpose = fuzzed_string(in);
        run.missing.push_back(fuzzed_string(in));
        report.runs.push_back(run);
    }

    for (bool color : {false, true}) {
        std::ostringstream text;
        capprof::render_text(report, text, color);
        capprof::fuzz::require_terminal_safe(color ? without_sgr(text.str()) : text.str(), "\n");
    }
    std::string json_text = capprof::render_json(report);
    require(nlohmann::json::accept(json_text));

    for (const char* format : {"docker", "compose", "k8s", "systemd"}) {
        try {
            // The command words the user typed are pasted as they are;
            // rendering must only not fail on them (invalid UTF-8 included).
            const std::string out = capprof::render_format(report, format);
            // The executables named in setcap comments are the workload's:
            // they must never end a comment and start a command line.
            if (std::string(format) == "docker") require(count_commands(out) == 1);
        } catch (const capprof::UserError&) {
            // a refusal capprof explains to the user is fine
        }
    }
    return 0;
}
