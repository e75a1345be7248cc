#pragma once
// The progress lines minimize and check print on stderr, one per run
// (docs/ARCHITECTURE.md's example, column for column):
//   run 1  held: none                        failed  NET_BIND_SERVICE     0.3 s
#include <functional>
#include <string>

#include "capprof/caps.hpp"
#include "capprof/runner.hpp"
#include "run/session.hpp"

namespace capprof {

// What minimize and check both take: the workload, the exit status that
// counts as working, and where the progress lines and the workload's output go.
struct TrialLoopOptions {
    RunSpec spec;                    // spec.granted: minimize's starting set, check's allowed set
    int expect_exit = 0;
    bool pass_all_output = false;    // -v: workload output on every run, not only the first
    std::function<void(const std::string&)> progress;  // one line per step; empty = silent
};

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
