// The outcome rule: did a denial stop its process, or did it carry on?
#include <gtest/gtest.h>

#include <csignal>

#include "classify/collector.hpp"
#include "classify/outcome.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

std::vector<Finding> findings(std::size_t n) { return std::vector<Finding>(n); }

ProcessEnd ended(pid_t pid, ExitStatus status, bool by_capprof = false) { return ProcessEnd{pid, status, by_capprof}; }

TEST(Outcome, TheLastDenialBeforeAFailedExitStoppedTheProcess) {
    OutcomeTracker tracker;
    tracker.on_denial(10, 0);  // audit record refused: carried on
    tracker.on_denial(10, 1);  // setgroups refused, then exit 1
    tracker.on_process_end(ended(10, ExitStatus::exited(1)));
    auto f = findings(2);
    tracker.finish(false, f);
    EXPECT_EQ(f[0].outcome, Outcome::carried_on);
    EXPECT_EQ(f[1].outcome, Outcome::stopped);
    ASSERT_TRUE(f[1].stopped_exit);
    EXPECT_EQ(f[1].stopped_exit->code, 1);
    EXPECT_FALSE(f[0].stopped_exit);
}

TEST(Outcome, ExitZeroCarriedOnAndASignalOfItsOwnStopped) {
    OutcomeTracker tracker;
    tracker.on_denial(10, 0);
    tracker.on_process_end(ended(10, ExitStatus::exited(0)));
    tracker.on_denial(11, 1);
    tracker.on_process_end(ended(11, ExitStatus::killed(SIGSEGV)));
    auto f = findings(2);
    tracker.finish(false, f);
    EXPECT_EQ(f[0].outcome, Outcome::carried_on);
    EXPECT_EQ(f[1].outcome, Outcome::stopped);
}

TEST(Outcome, CapprofSignalsMeanStillRunningJudgedByTheRun) {
    for (bool run_ok : {true, false}) {
        OutcomeTracker tracker;
        tracker.on_denial(10, 0);
        tracker.on_process_end(ended(10, ExitStatus::killed(SIGTERM), /*by_capprof=*/true));
        tracker.on_denial(11, 1);  // never seen to end
        auto f = findings(2);
        tracker.finish(run_ok, f);
        const Outcome expected = run_ok ? Outcome::carried_on : Outcome::unknown;
        EXPECT_EQ(f[0].outcome, expected);
        EXPECT_EQ(f[1].outcome, expected);
    }
}

TEST(Outcome, AFindingOfManyProcessesAggregates) {
    // Two children of one shell denied the same call: one stopped, one carried on.
    OutcomeTracker tracker;
    tracker.on_denial(20, 0);
    tracker.on_denial(21, 0);
    tracker.on_process_end(ended(20, ExitStatus::exited(0)));
    tracker.on_process_end(ended(21, ExitStatus::exited(2)));
    tracker.on_denial(22, 1);
    tracker.on_denial(23, 1);
    tracker.on_process_end(ended(22, ExitStatus::exited(0)));
    auto f = findings(2);
    tracker.finish(false, f);  // 23 still running at the end of a failed run
    EXPECT_EQ(f[0].outcome, Outcome::stopped);
    EXPECT_EQ(f[1].outcome, Outcome::unknown);
    EXPECT_EQ(aggregate_outcome(false, false), Outcome::carried_on);
}

TEST(Outcome, TheMessageGoesToTheLastDenialsFinding) {
    OutcomeTracker tracker;
    EXPECT_FALSE(tracker.message_target(10));
    tracker.on_denial(10, 3);
    EXPECT_EQ(tracker.message_target(10), 3u);
    tracker.on_process_end(ended(10, ExitStatus::exited(1)));
    EXPECT_FALSE(tracker.message_target(10)) << "a pid reused later starts clean";
}

TEST(CollectorOutcome, RepeatsAndMessagesReachTheirFinding) {
    Collector collector;
    auto feed = [&](const SyscallEvent& e) {
        if (collector.wants_details(e)) collector.on_failure(e);
    };
    SyscallEvent bind = testing::bind_event(4242);
    feed(bind);
    collector.on_message(4242, "httpd: bind: Permission denied");
    collector.on_message(4242, "a second line is not kept");
    feed(bind);  // the retry: the first bind was carried past
    collector.on_process_end(ended(4242, ExitStatus::exited(1)));
    collector.finish(false);
    ASSERT_EQ(collector.findings().size(), 1u);
    const Finding& f = collector.findings()[0];
    EXPECT_EQ(f.count, 2u);
    EXPECT_EQ(f.outcome, Outcome::stopped);
    EXPECT_EQ(f.message, "httpd: bind: Permission denied");
}

TEST(CollectorOutcome, AMessageOfAProcessWithoutADenialIsDropped) {
    Collector collector;
    collector.on_message(77, "no denial before this");
    SyscallEvent bind = testing::bind_event(4242);
    if (collector.wants_details(bind)) collector.on_failure(bind);
    collector.on_message(77, "still not ours");
    collector.finish(true);
    ASSERT_EQ(collector.findings().size(), 1u);
    EXPECT_FALSE(collector.findings()[0].message);
    EXPECT_EQ(collector.findings()[0].outcome, Outcome::carried_on);
}

}  // namespace
}  // namespace capprof
