// Process lifecycle under hostile or unusual workloads: capprof must report
// the right exit status, never hang, and leave no traced, stopped or
// descendant process behind (PTRACE_O_EXITKILL; Docker kills the rest of the
// container when its first process exits).
#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

TEST(HostileLifecycle, CapprofKilledWithSigkillTakesEveryTraceeWithIt) {
    require_root();
    Marker marker;
    Process capprof({capprof_bin(), "run", "--", prog("hostile_sleeper_tree"), "60", marker.text()});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) {
        return out.find("ready") != std::string::npos;
    }, 20s)) << "the workload never started:\n" << capprof.err();
    // capprof + the workload, its 3 children and 1 grandchild; give the forks a moment.
    auto before = marker.survivors();
    for (int i = 0; i < 40 && before.size() < 6; ++i) {
        std::this_thread::sleep_for(50ms);
        before = marker.survivors();
    }
    ASSERT_GE(before.size(), 6u) << "the marker did not reach the workload:\n" << join_lines(before);

    capprof.send_signal(SIGKILL);  // capprof only, not its process group
    CommandResult result = capprof.wait(10s);
    EXPECT_EQ(result.signal, SIGKILL);
    auto left = marker.survivors_after(5s);
    EXPECT_TRUE(left.empty()) << "still running after capprof was killed (pid state comm):\n"
                              << join_lines(left);
}

// SIGTERM or SIGINT sent to capprof alone (kill(1), a CI runner's time-out):
// capprof must end the workload it started and return.
void expect_signal_ends_the_run(int sig) {
    Marker marker;
    Process capprof({capprof_bin(), "run", "--", prog("hostile_sleeper_tree"), "60", marker.text()});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) {
        return out.find("ready") != std::string::npos;
    }, 20s)) << "the workload never started:\n" << capprof.err();
    capprof.send_signal(sig);
    CommandResult result = capprof.wait(15s);
    EXPECT_FALSE(result.timed_out) << result;
    auto left = marker.survivors_after(5s);
    EXPECT_TRUE(left.empty()) << "still running after capprof got signal " << sig << ":\n" << join_lines(left);
}

TEST(HostileLifecycle, SigtermToCapprofEndsTheWorkload) {
    require_root();
    expect_signal_ends_the_run(SIGTERM);
}

TEST(HostileLifecycle, SigintToCapprofEndsTheWorkload) {
    require_root();
    expect_signal_ends_the_run(SIGINT);
}

TEST(HostileLifecycle, WorkloadKillingItselfExits137) {
    require_root();
    CapprofRun run = capprof_run({prog("hostile_selfkill")}, {}, 30s);
    EXPECT_TRUE(run.process.exited(137)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["exit"]["signal"], 9) << run;
}

TEST(HostileLifecycle, ExecFromThreadKeepsTheNewProgramsStatus) {
    require_root();
    CapprofRun run = capprof_run({prog("hostile_thread_exec"), "7"}, {}, 30s);
    EXPECT_TRUE(run.process.exited(7)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["exit"]["code"], 7) << run;
}

TEST(HostileLifecycle, VforkChildIsTracedAndParentResumes) {
    require_root();
    CapprofRun run = capprof_run({prog("hostile_vfork")}, {}, 30s);
    EXPECT_TRUE(run.process.exited(3)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    // The chown(1) run by the vfork child fails without CAP_CHOWN.
    EXPECT_FALSE(find_finding(run.report, {"fchownat", "chown", "lchown", "fchown"}).is_null())
        << "the vfork child's failing chown was not seen:\n" << run;
}

TEST(HostileLifecycle, TenThousandForksFinishWithTheRightStatus) {
    require_root();
    Marker marker;
    CapprofRun run = capprof_run({prog("hostile_fork_storm"), "10000", marker.text()}, {}, 240s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_TRUE(run.has_report()) << run;
    auto left = marker.survivors_after(2s);
    EXPECT_TRUE(left.empty()) << join_lines(left);
}

TEST(HostileLifecycle, DoubleForkedDaemonDoesNotOutliveTheRun) {
    require_root();
    Marker marker;
    // The daemon would sleep 60 s: capprof must neither wait for it nor leave it.
    CapprofRun run = capprof_run({prog("hostile_daemon"), "60", marker.text()}, {}, 30s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_LT(run.process.seconds, 20) << run;
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "left running after capprof returned:\n" << join_lines(left);
}

TEST(HostileLifecycle, PtraceTracemeFailsWithoutBlamingACapability) {
    require_root();
    CapprofRun run = capprof_run({prog("hostile_traceme")}, {}, 30s);
    // 5: PTRACE_TRACEME failed because capprof already traces the task.
    EXPECT_TRUE(run.process.exited(5)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_FALSE(json_array_contains(run.report["cap_add"], "SYS_PTRACE"))
        << "no capability lets a traced task PTRACE_TRACEME:\n" << run;
}

TEST(HostileLifecycle, SelfSigstopIsResumedBySigcont) {
    require_root();
    CapprofRun run = capprof_run({prog("hostile_sigstop")}, {}, 30s);
    EXPECT_TRUE(run.process.exited(4)) << run;
    EXPECT_LT(run.process.seconds, 20) << run;
}

// A server that double-forks a daemon and keeps running itself.
std::vector<std::string> daemonizing_server(const Marker& marker) {
    return {"/bin/sh", "-c",
            prog("hostile_daemon") + " 60 " + marker.text() + "; exec " + prog("hostile_sleeper_tree") +
                " 60 " + marker.text()};
}

TEST(HostileLifecycle, DurationLeavesNoDescendantRunning) {
    require_root();
    Marker marker;
    CapprofRun run = run_capprof("run", {"--duration", "1"}, daemonizing_server(marker), 30s);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_LT(run.process.seconds, 15) << run;
    EXPECT_TRUE(run.has_report()) << run;
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "left running after --duration:\n" << join_lines(left);
}

TEST(HostileLifecycle, ProbeSuccessLeavesNoDescendantRunning) {
    require_root();
    Marker marker;
    CapprofRun run = run_capprof("run", {"--probe", "true", "--ready-timeout", "10"},
                                 daemonizing_server(marker), 40s);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_LT(run.process.seconds, 25) << run;
    ASSERT_TRUE(run.has_report()) << run;
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "left running after the probe succeeded:\n" << join_lines(left);
}

}  // namespace
}  // namespace capprof::e2e
