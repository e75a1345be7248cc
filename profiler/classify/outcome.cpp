#include "classify/outcome.hpp"

namespace capprof {

Outcome aggregate_outcome(bool any_stopped, bool any_unknown) {
    if (any_stopped) return Outcome::stopped;
    return any_unknown ? Outcome::unknown : Outcome::carried_on;
}

void OutcomeTracker::mark(std::size_t finding, Mark what) {
    if (finding >= marks_.size()) {
        marks_.resize(finding + 1, 0);
        exits_.resize(finding + 1);
    }
    marks_[finding] |= what;
}

void OutcomeTracker::on_denial(pid_t pid, std::size_t finding) {
    auto [it, inserted] = pending_.try_emplace(pid, finding);
    // Denied again: the process carried on past its previous denial.
    if (!inserted) {
        mark(it->second, carried_on);
        it->second = finding;
    }
    mark(finding, Mark{});  // known, judged later
}

std::optional<std::size_t> OutcomeTracker::message_target(pid_t pid) const {
    auto it = pending_.find(pid);
    if (it == pending_.end()) return std::nullopt;
    return it->second;
}

void OutcomeTracker::on_process_end(const ProcessEnd& end) {
    auto it = pending_.find(end.pid);
    if (it == pending_.end()) return;
    const std::size_t finding = it->second;
    pending_.erase(it);
    if (end.by_capprof) {
        mark(finding, running_at_end);
    } else if (end.status.success()) {
        mark(finding, carried_on);
    } else {
        mark(finding, stopped);
        if (!exits_[finding]) exits_[finding] = end.status;
    }
}

void OutcomeTracker::finish(std::optional<bool> run_succeeded, std::vector<Finding>& findings) {
    // Processes the tracer never saw end (canned runs; a task lost) were
    // still running as far as capprof knows.
    for (const auto& [pid, finding] : pending_) mark(finding, running_at_end);
    pending_.clear();
    for (std::size_t i = 0; i < findings.size() && i < marks_.size(); ++i) {
        std::uint8_t m = marks_[i];
        findings[i].stopped_exit = exits_[i];
        const bool undecided = (m & running_at_end) && !(m & (stopped | unknown));
        if (undecided && !run_succeeded) continue;  // settle_unjudged() decides
        if ((m & running_at_end) && run_succeeded) m |= *run_succeeded ? carried_on : unknown;
        findings[i].outcome = aggregate_outcome(m & stopped, m & unknown);
    }
}

}  // namespace capprof
