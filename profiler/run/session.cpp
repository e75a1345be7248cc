#include "run/session.hpp"

#include <algorithm>

#include "common/cap_names.hpp"
#include "classify/collector.hpp"

namespace capprof {

TrialResult HostTrialRunner::run_trial(const RunSpec& spec) {
    Collector collector;
    TrialResult trial;
    trial.result = runner_.run(spec, collector);
    // Outcomes that depend on whether the run worked are settled by
    // run_once(), which judges it.
    collector.finish(std::nullopt);
    trial.findings = collector.take_findings();
    // Failures with another errno that no rule explains were no denials.
    trial.result.failures -= std::min(trial.result.failures, collector.ignored_calls());
    return trial;
}

RunOutcome run_once(Runner& runner, const RunSpec& spec, int expect_exit) {
    HostTrialRunner host(runner);
    return run_once(host, spec, expect_exit);
}

RunOutcome run_once(TrialRunner& trials, const RunSpec& spec, int expect_exit) {
    TrialResult trial = trials.run_trial(spec);
    RunOutcome outcome;
    outcome.result = std::move(trial.result);
    outcome.findings = std::move(trial.findings);
    const RunResult& result = outcome.result;
    if (result.interrupted) {
        outcome.workload_ok = false;  // capprof killed it: it says nothing of the workload
    } else if (!result.started) {
        outcome.workload_ok = false;
    } else if (spec.probe || spec.readiness != Readiness::exit) {
        // A probe, or a service's own readiness (Type=notify, Type=forking).
        outcome.workload_ok = result.probe_ok.value_or(false);
    } else if (result.stopped_by_capprof && spec.duration) {
        // Still running when --duration ran out: a server that stayed up.
        outcome.workload_ok = true;
    } else {
        outcome.workload_ok = result.exit.success(expect_exit);
    }
    // Processes still running at the end carried on when the run worked.
    settle_unjudged(outcome.findings, outcome.workload_ok);
    outcome.success = outcome.workload_ok && privilege_drops_asked(outcome.findings) == 0;
    return outcome;
}

bool required_by_outcome(const Finding& finding) {
    return finding.privilege_drop || finding.outcome != Outcome::carried_on;
}

void settle_unjudged(std::vector<Finding>& findings, bool workload_ok) {
    for (Finding& finding : findings)
        if (!finding.outcome) finding.outcome = workload_ok ? Outcome::carried_on : Outcome::unknown;
}

std::vector<Finding> findings_where(const std::vector<Finding>& findings, bool required) {
    std::vector<Finding> out;
    for (const Finding& finding : findings)
        if (required_by_outcome(finding) == required) out.push_back(finding);
    return out;
}

bool asks_capability(const Finding& finding) {
    return (finding.verdict == Verdict::capability || finding.verdict == Verdict::file_permission) &&
           finding.capability.has_value();
}

namespace {

CapSet bit_of(const std::string& name) {
    auto cap = cap_from_name(name);
    return cap ? cap_bit(*cap) : 0;
}

}  // namespace

CapSet capabilities_of(const Finding& finding) {
    if (!asks_capability(finding)) return 0;
    CapSet set = bit_of(*finding.capability);
    for (const auto& name : finding.together) set |= bit_of(name);
    return set;
}

bool fixed_by(const Finding& finding, CapSet set) {
    if (!asks_capability(finding)) return false;
    const CapSet needed = capabilities_of(finding);
    if (needed && (needed & set) == needed) return true;
    for (const auto& alternative : finding.alternatives)
        if (bit_of(alternative) & set) return true;
    return false;
}

CapSet privilege_drops_asked(const std::vector<Finding>& findings) {
    CapSet asked = 0;
    for (const Finding& finding : findings)
        if (finding.privilege_drop) asked |= capabilities_of(finding);
    return asked;
}

CapSet capabilities_asked(const std::vector<Finding>& findings) {
    // Calls with a single answer first; a call that an alternative also fixes
    // (a read refused by a file's mode: DAC_READ_SEARCH, or DAC_OVERRIDE)
    // adds nothing when another call already asked for that alternative.
    CapSet asked = 0;
    for (bool with_alternatives : {false, true}) {
        for (const Finding& finding : findings) {
            if (!asks_capability(finding) || finding.alternatives.empty() != !with_alternatives) continue;
            if (with_alternatives && fixed_by(finding, asked)) continue;
            asked |= capabilities_of(finding);
        }
    }
    return asked;
}

RunRecord make_run_record(const RunSpec& spec, const RunOutcome& outcome, CapSet missing,
                          std::string purpose) {
    RunRecord run;
    run.granted = spec.granted;
    run.exit = outcome.result.exit;
    run.success = outcome.success;
    run.probe_ok = outcome.result.probe_ok;
    run.seconds = outcome.result.seconds;
    run.missing = cap_names(missing);
    run.purpose = std::move(purpose);
    run.isolated = outcome.result.isolated;
    run.not_isolated = outcome.result.not_isolated;
    return run;
}

void set_trial_isolation(Report& report, Isolation asked) {
    const auto& runs = report.runs;
    report.isolated = !runs.empty() && std::all_of(runs.begin(), runs.end(), [](const RunRecord& run) {
        return run.isolated;
    });
    if (report.isolated) return;
    std::string why = asked == Isolation::off ? "" : "isolation could not be set up";
    for (const RunRecord& run : runs)
        if (!run.not_isolated.empty()) why = run.not_isolated;
    report.isolation_warning = why.empty() ? "trials not isolated (--no-isolate): answers may depend on earlier runs"
                                           : "trials not isolated: " + why + "; answers may depend on earlier runs";
}

void set_run_statistics(Report& report, const RunResult& result) {
    report.exit = result.exit;
    report.seconds = result.seconds;
    report.syscalls = result.syscalls;
    report.processes = result.processes;
    report.threads = result.threads;
    report.failures = result.failures;
    report.pinned_cpu = result.pinned_cpu;
    report.ignored_privileges = result.ignored_privileges;
    report.failed_step = result.failed_step;
}

Report make_report(const std::vector<std::string>& command, const RunSpec& spec,
                   RunOutcome outcome) {
    Report report;
    report.command = command;
    report.granted = spec.granted;
    report.success = outcome.success;
    set_run_statistics(report, outcome.result);
    if (spec.user) report.user = spec.user->text;
    report.probe = spec.probe;
    report.probe_ok = outcome.result.probe_ok;
    report.stopped_by_capprof = outcome.result.stopped_by_capprof;
    report.interrupted = outcome.result.interrupted;
    report.started = outcome.result.started;
    report.isolated = outcome.result.isolated;

    settle_unjudged(outcome.findings, outcome.workload_ok);
    // What the workload ran with is part of "what makes it run as it is",
    // and so is every privilege drop it was denied, and every denial that
    // stopped a process or whose outcome is unknown. Denials the program
    // carried on past are optional: it may lose a feature without them.
    report.cap_add = spec.granted | privilege_drops_asked(outcome.findings) |
                     capabilities_asked(findings_where(outcome.findings, true));
    report.optional = capabilities_asked(findings_where(outcome.findings, false)) & ~report.cap_add;
    for (Finding& finding : outcome.findings) finding.required = required_by_outcome(finding);
    if (report.optional)
        report.notes.push_back("the workload carried on past the denials of " + cap_names_text(report.optional) +
                               ": they are optional; capprof minimize tells whether a feature is lost without "
                               "them");
    report.findings = std::move(outcome.findings);
    return report;
}

}  // namespace capprof
