#include "check.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cap_names.hpp"
#include "capprof/error.hpp"
#include "minimize.hpp"
#include "session.hpp"

namespace capprof {
namespace {

std::string names_or_none(CapSet set) {
    std::string out;
    for (const auto& name : cap_names(set)) out += (out.empty() ? "" : " ") + name;
    return set ? out : "none";
}

std::string blocker_of(const RunOutcome& outcome) {
    const RunResult& r = outcome.result;
    if (!r.started) return "the command could not be started";
    if (r.probe_ok.has_value() && !*r.probe_ok) return "the probe never succeeded";
    if (r.exit.signal) return "the workload was killed by signal " + std::to_string(*r.exit.signal);
    return "the workload exited " + std::to_string(r.exit.code);
}

}  // namespace

CheckResult run_check(Runner& runner, const CheckOptions& options) {
    auto progress = [&](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    const CapSet allowed = options.spec.granted;

    RunOutcome outcome = run_once(runner, options.spec, options.expect_exit);
    CapSet unfixed = demote_unfixed(outcome.findings, allowed);
    CapSet asked = capabilities_asked(outcome.findings);

    CheckResult result;
    result.missing = asked & ~allowed & ~options.tolerated;
    result.pass = outcome.success && result.missing == 0;
    progress(progress_line("check", names_or_none(allowed),
                           run_status(outcome, result.missing, unfixed),
                           outcome.result.seconds));

    RunRecord first = make_run_record(options.spec, outcome, asked & ~allowed, "check");
    const bool succeeded = outcome.success;
    const std::string blocker = blocker_of(outcome);
    result.report = make_report(options.spec.argv, options.spec, std::move(outcome));
    Report& report = result.report;
    report.runs.push_back(first);

    // A pass may hold more than it uses: try without each allowed capability.
    if (result.pass && options.find_unused) {
        for (int cap = 0; cap < 64; ++cap) {
            if (!cap_has(allowed, cap)) continue;
            RunSpec spec = options.spec;
            spec.granted = allowed & ~cap_bit(cap);
            spec.quiet_output = options.spec.quiet_output || !options.pass_all_output;
            RunOutcome without = run_once(runner, spec, options.expect_exit);
            report.runs.push_back(make_run_record(
                spec, without, capabilities_asked(without.findings) & ~spec.granted,
                "without " + cap_name(cap)));
            progress(progress_line("without " + cap_name(cap), "",
                                   without.success ? "succeeds: not needed" : "fails: needed",
                                   without.result.seconds));
            if (without.success) result.unused |= cap_bit(cap);
        }
    }

    report.granted = allowed;
    report.success = succeeded;
    report.cap_add = result.pass ? allowed & ~result.unused : allowed | result.missing;
    report.optional = succeeded ? asked & ~allowed : 0;
    // Any denied call of a run that succeeded was survived, not needed.
    for (auto& f : report.findings) f.required = !succeeded;

    if (result.pass) {
        result.summary = "pass: the workload runs with " + names_or_none(allowed);
        if (asked & ~allowed)
            result.summary += "; tolerated optional failures: " + names_or_none(asked & ~allowed);
        if (result.unused)
            result.summary += "; note: allowed but not needed: " + names_or_none(result.unused);
    } else if (result.missing) {
        result.summary = "FAIL: also needs " + names_or_none(result.missing) +
                         " (allowed: " + names_or_none(allowed) + ")";
        if (succeeded) result.summary += "; the workload succeeded but these calls failed";
    } else {
        result.summary = "FAIL: " + blocker;
        if (unfixed)
            result.summary += "; " + names_or_none(unfixed) +
                              " was granted yet the call still failed (not a capability problem)";
        else
            result.summary += " and no missing capability explains it";
    }
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
    std::ifstream in(path);
    if (!in) throw UserError("--allow-file " + path + ": cannot read it");
    std::stringstream text;
    text << in.rdbuf();
    return parse_allow_file(text.str(), path);
}

}  // namespace capprof
