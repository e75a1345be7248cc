#pragma once
// `capprof check`: a CI gate. Runs the workload with exactly the allowed
// capabilities; it passes when the workload succeeds and no call failed for
// want of a capability outside the allowed set.
#include <functional>
#include <string>

#include "capprof/runner.hpp"
#include "capprof/trial_runner.hpp"
#include "report/report.hpp"

namespace capprof {

struct CheckOptions {
    RunSpec spec;                  // spec.granted is the allowed set
    CapSet tolerated = 0;          // known optional capabilities (--allow-file's "optional")
    int expect_exit = 0;
    bool find_unused = true;       // after a pass, run once without each allowed capability
    bool pass_all_output = false;  // workload output for the extra runs too (-v)
    std::function<void(const std::string&)> progress;  // one line per step; empty = silent
};

struct CheckResult {
    Report report;        // cap_add = what the workload needs (allowed - unused + missing)
    bool pass = false;
    CapSet missing = 0;   // capabilities asked for beyond the allowed set
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
