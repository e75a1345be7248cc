#pragma once
// `capprof minimize`: grow the granted set from what each run's findings ask
// for until the workload succeeds, then prove that every capability in the set
// is needed by running once without each of them.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "report.hpp"
#include "session.hpp"

namespace capprof {

struct MinimizeOptions {
    RunSpec spec;                    // the workload; spec.granted is the starting set
    int expect_exit = 0;
    bool pass_all_output = false;    // -v: workload output on every run, not only the first
    int max_runs = 0;                // exploration runs; 0 = cap_last_cap() + 1
    CapSet grantable = ~CapSet{0};   // what the runner can give (capprof's bounding set)
    std::function<void(const std::string&)> progress;  // one line per step; empty = silent
};

struct MinimizeResult {
    Report report;        // cap_add = the verified minimal set; runs = every run
    bool found = false;   // a working set was found (and verified)
    std::string blocker;  // what stops the workload, when nothing was found
};

MinimizeResult minimize(Runner& runner, const MinimizeOptions& options);

// A granted capability whose call still failed is not a capability problem:
// turns such findings into not-capability ones (they then ask for nothing).
// Returns the capabilities that did not help.
CapSet demote_unfixed(std::vector<Finding>& findings, CapSet granted);

// "run 2  held: +SETGID                     failed  SETUID               0.3 s"
// `shown_held` is what the held column says ("none", "NET_BIND_SERVICE",
// "+SETGID"); `status` is "probe ok", "exit 0", "failed  SETUID", ...
std::string progress_line(const std::string& label, const std::string& shown_held,
                          const std::string& status, double seconds);

// The held column: every name for the first run or after an empty set,
// "+ADDED" when the set only grew, the full list otherwise.
std::string held_text(CapSet previous, CapSet held, bool first);

// "probe ok", "exit 0", "failed  SETGID" ... for one run.
std::string run_status(const RunOutcome& outcome, CapSet new_caps, CapSet unfixed);

}  // namespace capprof
