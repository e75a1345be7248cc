#pragma once
// The EventSink of the profiler: aggregates identical failures (bounded
// memory however many calls fail) and classifies each new one while the task
// is still stopped.
#include <map>
#include <string>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"

namespace capprof {

class Collector : public EventSink {
public:
    // A repeat is recognised here only when `basic` already carries the
    // task's exe (part of the key; the tracer can cache it per task since the
    // last execve). Otherwise on_failure counts the repeat instead.
    bool wants_details(const SyscallEvent& basic) override;
    void on_failure(const SyscallEvent& event) override;
    // The rule table's other errnos (rules.hpp watched_failures).
    std::vector<WatchedFailure> watched_failures() const override;

    // Findings in order of first occurrence.
    const std::vector<Finding>& findings() const { return findings_; }
    std::vector<Finding> take_findings() { return std::move(findings_); }

    // Failing calls seen whose errno is not a denial's and that no rule
    // explains: the tracer counted them among its failures.
    std::uint64_t ignored_calls() const { return ignored_calls_; }

    // Key under which identical failures are counted together.
    static std::string aggregation_key(const SyscallEvent& event);

private:
    // key -> position in findings_, or `ignored` for a failure no rule
    // explains whose errno is not a denial's (mlock's ENOMEM of an unmapped range)
    static constexpr std::size_t ignored = static_cast<std::size_t>(-1);
    std::map<std::string, std::size_t> index_;
    std::uint64_t ignored_calls_ = 0;
    std::vector<Finding> findings_;
};

}  // namespace capprof
