#pragma once
// `capprof check`: a CI gate. Runs the workload with exactly the allowed
// capabilities; it passes when the workload succeeds and no required finding
// (a denial that stopped a process, one whose outcome is unknown, a denied
// privilege drop) asks for a capability outside the allowed set. Denials
// the workload carried on past are warnings, failures with `strict`.
#include <functional>
#include <string>

#include "capprof/runner.hpp"
#include "capprof/trial_runner.hpp"
#include "report/report.hpp"
#include "run/progress.hpp"

namespace capprof {

struct CheckOptions : TrialLoopOptions {
    CapSet tolerated = 0;          // known optional capabilities (--allow-file's "optional")
    bool find_unused = true;       // after a pass, run once without each allowed capability
    bool strict = false;           // --strict: carried-on denials beyond the set fail too
};

struct CheckResult {
    Report report;        // cap_add = what the workload needs (allowed - unused + missing)
    bool pass = false;
    CapSet missing = 0;   // capabilities required beyond the allowed set
    CapSet warned = 0;    // carried-on denials beyond the allowed set (without --strict)
    CapSet unused = 0;    // allowed, yet the workload succeeds without them (a note)
    std::string summary;  // one line: "pass: ..." or "FAIL: ..."
};

CheckResult run_check(TrialRunner& trials, const CheckOptions& options);
CheckResult run_check(Runner& runner, const CheckOptions& options);  // host trials

// The set a `capprof minimize --json` report recommends: its cap_add, and its
// optional list (capabilities whose failure the workload survives).
struct AllowFile {
    CapSet cap_add = 0;
    CapSet optional = 0;
};

// Throws UserError (exit 125) naming the file when it cannot be read or is
// not a capprof.report/v1 document.
AllowFile read_allow_file(const std::string& path);
AllowFile parse_allow_file(const std::string& text, const std::string& name);

}  // namespace capprof
