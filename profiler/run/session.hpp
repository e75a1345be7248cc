#pragma once
// One traced run of the workload and its judgement, shared by run, minimize
// and check.
#include <string>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"
#include "capprof/trial_runner.hpp"
#include "report/report.hpp"

namespace capprof {

struct RunOutcome {
    RunResult result;
    std::vector<Finding> findings;   // aggregated, classified
    bool workload_ok = false;        // started, and probe ok / exit == expected
    bool success = false;            // workload_ok, and no privilege drop was denied
};

// Host trials: the workload traced through `runner`, its events classified
// here by a Collector.
class HostTrialRunner : public TrialRunner {
public:
    explicit HostTrialRunner(Runner& runner) : runner_(runner) {}
    TrialResult run_trial(const RunSpec& spec) override;

private:
    Runner& runner_;
};

// Runs `spec` as one trial of `trials` and judges it (run_once(Runner&)
// makes it a host trial). workload_ok: the command
// started and, with a probe, the probe succeeded; without one, the exit
// status is `expect_exit` (and not a signal), or it was still running when
// --duration ran out. success also needs every privilege drop to have
// worked: a program that carries on as root did not run as it should.
RunOutcome run_once(TrialRunner& trials, const RunSpec& spec, int expect_exit);
RunOutcome run_once(Runner& runner, const RunSpec& spec, int expect_exit);

// The capabilities of the findings that are denied privilege drops.
CapSet privilege_drops_asked(const std::vector<Finding>& findings);

// Capabilities the findings ask for (verdict capability or file-permission;
// never not-capability or unknown): the smallest this greedy pass finds
// that fixes every call, so DAC_READ_SEARCH is left out when DAC_OVERRIDE
// is asked for anyway.
CapSet capabilities_asked(const std::vector<Finding>& findings);

// What the outcome rule makes required: a finding that stopped its process
// or whose outcome is unknown (or was never judged), and every denied
// privilege drop whatever its outcome. Carried-on findings are optional.
bool required_by_outcome(const Finding& finding);
// Findings no run judged (built by hand) judged as processes still running
// at the end: carried-on when the workload worked, else unknown.
void settle_unjudged(std::vector<Finding>& findings, bool workload_ok);
// The findings whose required_by_outcome() is `required`.
std::vector<Finding> findings_where(const std::vector<Finding>& findings, bool required);

// A capability or file-permission finding that names a capability.
bool asks_capability(const Finding& finding);

// The finding's capability with those it needs together (0 when it asks
// for none).
CapSet capabilities_of(const Finding& finding);

// Whether granting `set` fixes the finding's call: its capability (with
// those needed together) or one of its alternatives.
bool fixed_by(const Finding& finding, CapSet set);

// The record of one run of minimize/check for Report::runs; `missing` is
// what its findings asked for beyond what it held.
RunRecord make_run_record(const RunSpec& spec, const RunOutcome& outcome, CapSet missing,
                          std::string purpose);

// minimize and check: `isolated` when every run in report.runs was, else
// the warning that answers may depend on earlier runs (`asked`: what the
// runs' RunSpec asked for).
void set_trial_isolation(Report& report, Isolation asked);

// Copies the exit status and statistics of `result` into `report`.
void set_run_statistics(Report& report, const RunResult& result);

// A report for one run: cap_add = the capabilities the run was granted plus
// those of required findings (stopped, unknown, privilege drops: what makes
// it run as it is); optional = those of findings the workload carried on
// past (required = false).
Report make_report(const std::vector<std::string>& command, const RunSpec& spec,
                   RunOutcome outcome);

}  // namespace capprof
