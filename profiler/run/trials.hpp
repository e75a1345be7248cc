#pragma once
// The runs minimize and check make. Each trial runs the workload with a
// granted set and is recorded for the report (Report::runs). A trial that
// works counts only if its processes run as the same users as in a
// reference trial granted SETUID and SETGID on top of the same set: a
// server whose workers could not switch users "works" as root, and that
// answer is not safe to paste (docs/ARCHITECTURE.md, "An answer is safe to paste").
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "capprof/trial_runner.hpp"
#include "report/report.hpp"
#include "run/session.hpp"

namespace capprof {

class Trials {
public:
    using Progress = std::function<void(const std::string&)>;

    // `grantable`: what a trial can hold here (references add only that);
    // `show_all_output`: references pass the workload's output too (-v).
    Trials(TrialRunner& runner, RunSpec base, int expect_exit, CapSet grantable, Progress progress = {},
           bool show_all_output = false);

    // One run granted `granted`; the workload's output shows only when
    // `show_output` (else it goes to /dev/null).
    RunOutcome run(CapSet granted, bool show_output, const std::string& purpose);

    // Whether `outcome`, a run granted `granted` that worked, ran its
    // processes as the same users as the working run of `reference` (run
    // now if it was not run yet). A reference that does not work itself
    // leaves nothing to compare with (true).
    bool same_users_as(CapSet reference, CapSet granted, const RunOutcome& outcome);
    // same_users_as() the trial that may also switch users: `granted` with
    // SETUID and SETGID (as far as they can be granted).
    bool runs_as_intended(CapSet granted, const RunOutcome& outcome);
    CapSet may_switch_users(CapSet granted) const;

    // The run once without each capability of `set`, in capability order,
    // each accepted only if it runs as the users of `reference_of(its set)`;
    // returns those the workload works without. `greedy`: a capability found
    // unnecessary stays out of the later runs (minimize); otherwise each run
    // lacks just one (check). `each` is told of every run.
    using EachRun = std::function<void(int cap, bool works, const RunOutcome& outcome)>;
    CapSet without_each(CapSet set, bool greedy, bool show_output, const std::function<CapSet(CapSet)>& reference_of,
                        const EachRun& each);

    // The signal that interrupted capprof during a trial (RunResult::
    // interrupted). That trial is recorded as "PURPOSE (interrupted)" with
    // no findings (capprof killed it: it shows nothing of the workload) and
    // no further trial runs: run() returns a failed outcome at once and
    // without_each() stops.
    std::optional<int> interrupted() const { return interrupted_; }

    // minimize: a trial of a workload without --probe or --duration that
    // runs `seconds` says once what to add (slow_run_hint.hpp).
    void hint_when_slow(double seconds) { hint_after_ = seconds; }

    std::vector<RunRecord> take_records() { return std::move(records_); }
    double seconds() const { return seconds_; }
    int references() const { return references_; }
    // What differed the last time runs_as_intended() said no.
    const std::string& last_difference() const { return last_difference_; }

private:
    RunOutcome run_hinted(const RunSpec& spec);

    TrialRunner& runner_;
    RunSpec base_;
    int expect_exit_;
    CapSet grantable_;
    Progress progress_;
    bool show_all_output_;
    std::vector<RunRecord> records_;
    double seconds_ = 0;
    int references_ = 0;
    std::string last_difference_;
    std::optional<int> interrupted_;
    double hint_after_ = 0;   // 0: no hint
    bool hinted_ = false;     // said once per minimize
    // Who the processes ran as in each set's working run (nullopt: it did not work).
    std::map<CapSet, std::optional<std::vector<ProcessIdentity>>> identities_;
};

// "www-data (uid 33) ran as root" style text: what differs between the users
// of a run and those of its reference.
std::string identity_difference(const std::vector<ProcessIdentity>& run,
                                const std::vector<ProcessIdentity>& reference);

}  // namespace capprof
