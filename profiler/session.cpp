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
    }
    return asked;
}

Report make_report(const std::vector<std::string>& command, const RunSpec& spec,
                   RunOutcome outcome) {
    Report report;
    report.command = command;
    report.granted = spec.granted;
    report.exit = outcome.result.exit;
    report.success = outcome.success;
    report.seconds = outcome.result.seconds;
    report.syscalls = outcome.result.syscalls;
    report.processes = outcome.result.processes;
    report.threads = outcome.result.threads;
    report.failures = outcome.result.failures;
    report.pinned_cpu = outcome.result.pinned_cpu;
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
