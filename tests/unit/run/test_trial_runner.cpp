// The run loop over the trial-level interface: trials that come back
// already classified (as --image's containers return them) are aggregated
// as host trials are, and what the runner cannot grant takes the
// "cannot grant here" path with the runner's own reason.
#include <linux/capability.h>

#include <gtest/gtest.h>

#include "common/cap_names.hpp"
#include "run/check.hpp"
#include "run/minimize.hpp"

namespace capprof {
namespace {

Finding asks(const char* cap, const char* syscall) {
    Finding f;
    f.verdict = Verdict::capability;
    f.capability = cap;
    f.event.name = syscall;
    f.event.args_text = syscall;
    f.event.err = EPERM;
    return f;
}

// A workload that needs CHOWN, then FOWNER, then DAC_OVERRIDE, each trial
// fresh (nothing carries over between trials).
class FreshTrials : public TrialRunner {
public:
    std::vector<CapSet> granted;
    TrialResult run_trial(const RunSpec& spec) override {
        granted.push_back(spec.granted);
        TrialResult trial;
        trial.result.isolated = true;
        trial.result.exit = ExitStatus::exited(0);
        const std::pair<int, const char*> steps[] = {
            {CAP_CHOWN, "chown"}, {CAP_FOWNER, "chmod"}, {CAP_DAC_OVERRIDE, "openat"}};
        for (const auto& [cap, call] : steps) {
            if (cap_has(spec.granted, cap)) continue;
            trial.findings.push_back(asks(cap_name(cap).c_str(), call));
            trial.result.exit = ExitStatus::exited(1);
            break;
        }
        return trial;
    }
};

TEST(TrialRunner, MinimizeAggregatesClassifiedTrials) {
    FreshTrials trials;
    MinimizeOptions options;
    options.spec.argv = {"/bin/setup-data"};
    const MinimizeResult result = minimize(trials, options);
    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_CHOWN) | cap_bit(CAP_FOWNER) | cap_bit(CAP_DAC_OVERRIDE));
    EXPECT_TRUE(result.report.isolated);
    EXPECT_EQ(result.report.findings.size(), 3u);
    EXPECT_GE(trials.granted.size(), 7u) << "4 explorations and 3 verifications";
}

TEST(TrialRunner, WhatTheRunnerCannotGrantIsUntriedWithItsReason) {
    FreshTrials trials;
    MinimizeOptions options;
    options.spec.argv = {"/bin/setup-data"};
    options.grantable = ~cap_bit(CAP_FOWNER);
    options.cannot_grant[CAP_FOWNER] = "this dockerd does not know the name";
    const MinimizeResult result = minimize(trials, options);
    EXPECT_FALSE(result.found);
    ASSERT_EQ(result.report.untried.size(), 1u);
    EXPECT_EQ(result.report.untried[0].cap, CAP_FOWNER);
    EXPECT_EQ(result.report.untried[0].reason, "this dockerd does not know the name");
    for (CapSet set : trials.granted) EXPECT_FALSE(cap_has(set, CAP_FOWNER));
}

TEST(TrialRunner, CheckPassesWithTheAnswer) {
    FreshTrials trials;
    CheckOptions options;
    options.spec.argv = {"/bin/setup-data"};
    options.spec.granted = cap_bit(CAP_CHOWN) | cap_bit(CAP_FOWNER) | cap_bit(CAP_DAC_OVERRIDE);
    const CheckResult result = run_check(trials, options);
    EXPECT_TRUE(result.pass) << result.summary;
    EXPECT_EQ(result.unused, 0u);
}

}  // namespace
}  // namespace capprof
