#include "run/check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "run/minimize.hpp"
#include "report/report_render.hpp"
#include "run/session.hpp"
#include "run/trials.hpp"

namespace capprof {
namespace {

// A minimize report holds at most Collector::max_findings findings of a few
// KiB each: far below this.
constexpr std::size_t max_allow_file_bytes = std::size_t{16} << 20;

std::string blocker_of(const RunOutcome& outcome) {
    const RunResult& r = outcome.result;
    if (!r.started) return "the command could not be started";
    if (r.probe_ok.has_value() && !*r.probe_ok)
        return r.readiness_check ? "the service never became ready" : "the probe never succeeded";
    if (r.exit.signal) return "the workload was killed by signal " + std::to_string(*r.exit.signal);
    return "the workload exited " + std::to_string(r.exit.code);
}

std::string warning_of(CapSet warned) {
    return "; warning: it carried on past denials of " + cap_names_text(warned) +
           " (not allowed; --strict fails on them)";
}

std::string summary_of(const CheckResult& result, CapSet allowed, CapSet asked, CapSet unfixed,
                       bool workload_ok, const std::string& blocker) {
    if (result.pass) {
        std::string summary = "pass: the workload runs with " + cap_names_text(allowed);
        if (const CapSet tolerated = asked & ~allowed & ~result.warned)
            summary += "; tolerated optional failures: " + cap_names_text(tolerated);
        if (result.warned) summary += warning_of(result.warned);
        if (result.unused) summary += "; note: allowed but not needed: " + cap_names_text(result.unused);
        if (result.report.interrupted) summary += " (interrupted before every allowed capability was tried without)";
        return summary;
    }
    if (result.missing) {
        std::string summary = "FAIL: also needs " + cap_names_text(result.missing) +
                              " (allowed: " + cap_names_text(allowed) + ")";
        if (workload_ok) summary += "; the workload succeeded but these calls failed";
        if (result.warned) summary += warning_of(result.warned);
        return summary;
    }
    if (unfixed)
        return "FAIL: " + blocker + "; " + cap_names_text(unfixed) +
               " was granted yet the call still failed (not a capability problem)";
    return "FAIL: " + blocker + " and no missing capability explains it";
}

}  // namespace

CheckResult run_check(Runner& runner, const CheckOptions& options) {
    HostTrialRunner host(runner);
    return run_check(host, options);
}

CheckResult run_check(TrialRunner& runner, const CheckOptions& options) {
    auto progress = [&](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    const CapSet allowed = options.spec.granted;
    // References are the passing run itself (below): nothing beyond the allowed set is granted.
    Trials trials(runner, options.spec, options.expect_exit, allowed, progress);

    RunOutcome outcome = trials.run(allowed, /*show_output=*/true, "check");
    if (auto signal = trials.interrupted()) {
        // No verdict: the run was killed before it could show anything.
        CheckResult result;
        result.report = make_report(options.spec.argv, options.spec, std::move(outcome));
        result.report.runs = trials.take_records();
        result.summary = "interrupted by " + signal_name(*signal) + ": the check was killed before it could "
                         "pass or fail";
        progress(result.summary);
        return result;
    }
    settle_unjudged(outcome.findings, outcome.workload_ok);
    CapSet unfixed = demote_unfixed(outcome.findings, allowed);
    CapSet asked = capabilities_asked(outcome.findings);
    // An allow-file's optional list never lets a denied privilege drop through.
    const CapSet drops = privilege_drops_asked(outcome.findings);
    const CapSet beyond = ~allowed & ~(options.tolerated & ~drops);
    // Required findings (stopped, unknown, privilege drops) fail the check;
    // those the workload carried on past only warn, unless --strict.
    const CapSet required = capabilities_asked(findings_where(outcome.findings, true));
    const CapSet carried = capabilities_asked(findings_where(outcome.findings, false)) & ~required;

    CheckResult result;
    result.missing = (required | (options.strict ? carried : 0)) & beyond;
    result.warned = carried & beyond & ~result.missing;
    result.pass = outcome.success && result.missing == 0;
    progress(progress_line("check", cap_names_text(allowed), run_status(outcome, result.missing, unfixed),
                           outcome.result.seconds));

    const bool succeeded = outcome.success;
    const bool workload_ok = outcome.workload_ok;
    const std::string blocker = blocker_of(outcome);
    result.report = make_report(options.spec.argv, options.spec, std::move(outcome));
    Report& report = result.report;

    // A pass may hold more than it uses: try without each allowed capability.
    if (result.pass && options.find_unused) {
        // Each run without one capability must also keep the users of the run that passed.
        result.unused = trials.without_each(
            allowed, /*greedy=*/false, options.pass_all_output, [&](CapSet) { return allowed; },
            [&](int cap, bool works, const RunOutcome& without) {
                progress(progress_line("without " + cap_name(cap), "", works ? "succeeds: not needed" : "fails: needed",
                                       without.result.seconds));
            });
    }
    report.runs = trials.take_records();
    report.interrupted = trials.interrupted();
    report.granted = allowed;
    report.success = succeeded;
    report.cap_add = result.pass ? allowed & ~result.unused : allowed | result.missing;
    report.optional = carried & ~report.cap_add;
    // A call the workload carried on past was survived, not needed; a
    // denied privilege drop is needed all the same.
    for (auto& f : report.findings) f.required = required_by_outcome(f);

    result.summary = summary_of(result, allowed, asked, unfixed, workload_ok, blocker);
    progress(result.summary);
    set_trial_isolation(report, options.spec.isolation);
    return result;
}

AllowFile parse_allow_file(const std::string& text, const std::string& name) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw UserError("--allow-file " + name + ": not a JSON report");
    if (doc.contains("schema") && doc["schema"] != "capprof.report/v1")
        throw UserError("--allow-file " + name + ": schema " + doc["schema"].dump() +
                        " is not capprof.report/v1");
    auto list = [&](const char* key) -> CapSet {
        if (!doc.contains(key)) return 0;
        const auto& value = doc[key];
        if (!value.is_array())
            throw UserError("--allow-file " + name + ": \"" + key + "\" is not a list");
        std::vector<std::string> items;
        for (const auto& item : value) {
            if (!item.is_string())
                throw UserError("--allow-file " + name + ": \"" + key + "\" holds a non-string");
            items.push_back(item.get<std::string>());
        }
        return items.empty() ? 0 : parse_cap_list(items);
    };
    if (!doc.contains("cap_add"))
        throw UserError("--allow-file " + name + ": no \"cap_add\" list (write it with "
                        "capprof minimize --json FILE)");
    return AllowFile{list("cap_add"), list("optional")};
}

AllowFile read_allow_file(const std::string& path) {
    // O_NONBLOCK: opening a FIFO without a writer must not wait; only a
    // regular file of bounded size is read (not /dev/zero, not a pipe).
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw UserError("--allow-file " + path + ": " + std::strerror(errno));
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw UserError("--allow-file " + path + ": not a regular file (give the JSON report "
                        "that capprof minimize --json wrote)");
    if (st.st_size > static_cast<off_t>(max_allow_file_bytes))
        throw UserError("--allow-file " + path + ": " + std::to_string(st.st_size) +
                        " bytes, more than a capprof report holds (at most " +
                        std::to_string(max_allow_file_bytes >> 20) + " MiB)");
    std::string text;
    char buffer[65536];
    while (text.size() <= max_allow_file_bytes) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw UserError("--allow-file " + path + ": " + std::strerror(errno));
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    if (text.size() > max_allow_file_bytes)
        throw UserError("--allow-file " + path + ": grew beyond " +
                        std::to_string(max_allow_file_bytes >> 20) + " MiB while being read");
    return parse_allow_file(text, path);
}

}  // namespace capprof
