#pragma once
// `capprof minimize`: grow the granted set from what each run's findings ask
// for until the workload succeeds, then prove that every capability in the set
// is needed by running once without each of them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "run/progress.hpp"
#include "report/report.hpp"
#include "run/session.hpp"

namespace capprof {

struct MinimizeOptions : TrialLoopOptions {
    int max_runs = 0;                // exploration runs; 0 = cap_last_cap() + 1
    CapSet grantable = ~CapSet{0};   // what the runner can give (capprof's bounding set)
    // Why a capability outside `grantable` cannot be given (--image: dockerd
    // does not know its name); the default reason names the bounding set.
    std::map<int, std::string> cannot_grant;
    // Capabilities that act on the whole host (host_wide_capabilities())
    // that exploration may try: --allow-host-cap.
    CapSet allowed_host_caps = 0;
    // Without --probe or --duration, a trial running this long says what to
    // add (a server never exits); 0: never.
    double slow_hint_seconds = 10.0;
};

struct MinimizeResult {
    Report report;        // cap_add = the verified minimal set; runs = every run
    bool found = false;   // a working set was found (and verified)
    std::string blocker;  // what stops the workload, when nothing was found
};

MinimizeResult minimize(TrialRunner& trials, const MinimizeOptions& options);
MinimizeResult minimize(Runner& runner, const MinimizeOptions& options);  // host trials

// SYS_BOOT, SYS_MODULE, SYS_TIME, SYS_RAWIO: they act on the whole host,
// isolated trial or not, so exploration tries them only when allowed.
CapSet host_wide_capabilities();

// A granted capability whose call still failed is not a capability problem:
// turns such findings into not-capability ones (they then ask for nothing).
// Returns the capabilities that did not help.
CapSet demote_unfixed(std::vector<Finding>& findings, CapSet granted);


}  // namespace capprof
