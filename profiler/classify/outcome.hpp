#pragma once
// Did a denial stop its process, or did the process carry on past it?
// (docs/ARCHITECTURE.md, "Outcome".) The rule works per process (thread
// group): a denial followed by another denial in the same process was
// carried past; the last denial of a process that then exited unsuccessfully
// or was killed by a signal capprof did not send stopped it; the last denial
// of a process that exited 0 was carried past; a process still running when
// the run ended (or ended by capprof) carried on if the run succeeded and is
// unknown otherwise. A finding aggregates calls of many processes: stopped
// if any stopped, else unknown if any is unknown, else carried-on.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"

namespace capprof {

class OutcomeTracker {
public:
    // A denied call of process `pid`, counted in finding number `finding`.
    void on_denial(pid_t pid, std::size_t finding);
    // The process's first line on fd 2 since its last denial: the finding
    // that denial belongs to, if the process has one pending.
    std::optional<std::size_t> message_target(pid_t pid) const;
    void on_process_end(const ProcessEnd& end);
    // Settles the processes still running (`run_succeeded` decides) and
    // writes outcome and stopped_exit into `findings`. Without
    // `run_succeeded` (a trial runner does not judge the run), a finding
    // whose outcome depends on it is left unjudged: settle_unjudged()
    // (run/session.hpp) decides once the run is judged.
    void finish(std::optional<bool> run_succeeded, std::vector<Finding>& findings);

private:
    enum Mark : std::uint8_t { stopped = 1, carried_on = 2, unknown = 4, running_at_end = 8 };
    void mark(std::size_t finding, Mark what);

    std::unordered_map<pid_t, std::size_t> pending_;  // process -> finding of its last denial
    std::vector<std::uint8_t> marks_;                 // per finding
    std::vector<std::optional<ExitStatus>> exits_;    // per finding: how the process it stopped ended
};

// The outcome of a finding from its marks (exposed for tests).
Outcome aggregate_outcome(bool any_stopped, bool any_unknown);

}  // namespace capprof
