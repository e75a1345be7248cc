#pragma once
// The EventSink of the profiler: aggregates identical failures and
// classifies each new one while the task is still stopped. Memory stays
// bounded whatever the workload does: at most max_findings_per_rule distinct
// findings per rule and max_findings in all are kept, each with its strings
// cut to a readable length; further distinct failing calls are folded into
// one finding per verdict, capability and alternatives (Finding::folded), so
// every capability that any call asked for is still asked for.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"
#include "classify/outcome.hpp"

namespace capprof {

class Collector : public EventSink {
public:
    static constexpr std::size_t max_findings_per_rule = 32;
    static constexpr std::size_t max_findings = 256;
    // Bytes kept of each string of a stored finding (paths, decoded
    // arguments, explanations): longer ones end in "...".
    static constexpr std::size_t max_string = 1024;

    // A repeat is recognised here only when `basic` already carries the
    // task's exe (part of the key; the tracer can cache it per task since the
    // last execve). Otherwise on_failure counts the repeat instead.
    bool wants_details(const SyscallEvent& basic) override;
    void on_failure(const SyscallEvent& event) override;
    // Findings from now on carry `label` (Finding::step).
    void on_step(const std::string& label) override { step_ = label; }
    // The rule table's other errnos (rules.hpp watched_failures).
    std::vector<WatchedFailure> watched_failures() const override;
    // Attached to the finding of the process's last denial (its first message kept).
    void on_message(pid_t pid, const std::string& line) override;
    void on_process_end(const ProcessEnd& end) override;

    // Once the run is over: each finding's outcome (outcome.hpp), the
    // processes still running judged by `run_succeeded`.
    void finish(std::optional<bool> run_succeeded) { outcomes_.finish(run_succeeded, findings_); }

    // Findings in order of first occurrence.
    const std::vector<Finding>& findings() const { return findings_; }
    std::vector<Finding> take_findings() { return std::move(findings_); }

    // Failing calls seen whose errno is not a denial's and that no rule
    // explains: the tracer counted them among its failures.
    std::uint64_t ignored_calls() const { return ignored_calls_; }

    // Key under which identical failures are counted together.
    static std::string aggregation_key(const SyscallEvent& event);

private:
    std::string step_key(const SyscallEvent& event) const;
    // A call seen before: counted (and true). `finding` is set to the
    // finding it counts in, unless it is an ignored call.
    bool count_repeat(const std::string& key, std::optional<std::size_t>& finding);
    std::size_t keep(std::string key, Finding finding);
    std::size_t fold(std::string key, Finding finding);
    void ignore(std::string key);

    std::map<std::string, std::size_t> index_;      // key -> position in findings_
    std::map<std::string, std::size_t> per_rule_;   // rule -> findings kept under it
    std::map<std::string, std::size_t> fold_into_;  // fold class -> position in findings_
    // Keys of folded calls, so that their repeats are counted without being
    // classified again; bounded by folded_key_bytes_.
    std::map<std::string, std::size_t> folded_;
    std::size_t folded_key_bytes_ = 0;
    std::size_t kept_ = 0;                          // findings not folded
    // Keys of failures no rule explains whose errno is not a denial's
    // (mlock's ENOMEM of an unmapped range), within the same byte budget.
    std::map<std::string, bool> ignored_;
    std::uint64_t ignored_calls_ = 0;
    std::vector<Finding> findings_;
    OutcomeTracker outcomes_;
    std::string step_;  // the current step's label, or ""
};

// Bytes kept of a message (EventSink::on_message).
inline constexpr std::size_t max_message = 200;

// Cuts `text` to at most `max` bytes (not inside a UTF-8 sequence) followed
// by "..." when it is longer.
void shorten(std::string& text, std::size_t max);

}  // namespace capprof
