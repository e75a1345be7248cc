#include "session.hpp"

#include "cap_names.hpp"
#include "collector.hpp"

namespace capprof {

RunOutcome run_once(Runner& runner, const RunSpec& spec, int expect_exit) {
    Collector collector;
    RunOutcome outcome;
    outcome.result = runner.run(spec, collector);
    outcome.findings = collector.take_findings();
    const RunResult& result = outcome.result;
    if (!result.started) {
        outcome.success = false;
    } else if (spec.probe) {
        outcome.success = result.probe_ok.value_or(false);
    } else if (result.stopped_by_capprof && spec.duration) {
        // Still running when --duration ran out: a server that stayed up.
        outcome.success = true;
    } else {
        outcome.success = result.exit.success(expect_exit);
    }
    return outcome;
}

CapSet capabilities_asked(const std::vector<Finding>& findings) {
    CapSet asked = 0;
    for (const Finding& finding : findings) {
        if (finding.verdict != Verdict::capability && finding.verdict != Verdict::file_permission)
            continue;
        if (!finding.capability) continue;
        if (auto cap = cap_from_name(*finding.capability)) asked |= cap_bit(*cap);
        for (const auto& name : finding.together)
            if (auto cap = cap_from_name(name)) asked |= cap_bit(*cap);
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
    return run;
}

void set_run_statistics(Report& report, const RunResult& result) {
    report.exit = result.exit;
    report.seconds = result.seconds;
    report.syscalls = result.syscalls;
    report.processes = result.processes;
    report.threads = result.threads;
    report.failures = result.failures;
    report.pinned_cpu = result.pinned_cpu;
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
    report.started = outcome.result.started;

    const CapSet asked = capabilities_asked(outcome.findings);
    // What the workload ran with is part of "what makes it run as it is".
    report.cap_add = spec.granted;
    if (outcome.success) {
        report.optional = asked & ~spec.granted;
        for (Finding& finding : outcome.findings) finding.required = false;
    } else {
        report.cap_add |= asked;
    }
    report.findings = std::move(outcome.findings);
    return report;
}

}  // namespace capprof
