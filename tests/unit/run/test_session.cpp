// One traced run and its judgement: success criteria, cap_add and optional.
#include <gtest/gtest.h>

#include <csignal>

#include <linux/capability.h>

#include "run/session.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

using testing::bind_event;
using testing::CannedRun;
using testing::CannedRunner;
using testing::exited;
using testing::killed;

Finding finding(Verdict verdict, std::optional<std::string> capability) {
    Finding f;
    f.verdict = verdict;
    f.capability = std::move(capability);
    f.event = bind_event(1);
    return f;
}

RunOutcome outcome(bool success, std::vector<Finding> findings) {
    RunOutcome o;
    o.result = exited(success ? 0 : 1);
    o.workload_ok = o.success = success;
    o.findings = std::move(findings);
    return o;
}

CapSet caps(std::initializer_list<int> list) {
    CapSet set = 0;
    for (int cap : list) set |= cap_bit(cap);
    return set;
}

TEST(Session, AnAlternativeAlreadyAskedForCoversTheCall) {
    // chronyd: reading its pid file needs DAC_READ_SEARCH (or DAC_OVERRIDE),
    // creating it needs DAC_OVERRIDE: DAC_OVERRIDE alone fixes both.
    Finding read = finding(Verdict::file_permission, "DAC_READ_SEARCH");
    read.alternatives = {"DAC_OVERRIDE"};
    Finding create = finding(Verdict::file_permission, "DAC_OVERRIDE");
    EXPECT_EQ(capabilities_asked({read, create}), caps({CAP_DAC_OVERRIDE}));
    EXPECT_EQ(capabilities_asked({create, read}), caps({CAP_DAC_OVERRIDE}));
    EXPECT_EQ(capabilities_asked({read}), caps({CAP_DAC_READ_SEARCH}));
    EXPECT_TRUE(fixed_by(read, caps({CAP_DAC_OVERRIDE})));
    EXPECT_TRUE(fixed_by(read, caps({CAP_DAC_READ_SEARCH})));
    EXPECT_FALSE(fixed_by(read, caps({CAP_CHOWN})));
    // Nothing but capability and file-permission findings asks.
    EXPECT_EQ(capabilities_asked({finding(Verdict::not_capability, std::nullopt)}), 0u);
}

TEST(Session, CapabilitiesNeededTogetherAreAskedTogether) {
    Finding exec = finding(Verdict::capability, "NET_ADMIN");
    exec.together = {"NET_RAW"};
    EXPECT_EQ(capabilities_asked({exec}), caps({CAP_NET_ADMIN, CAP_NET_RAW}));
    EXPECT_FALSE(fixed_by(exec, caps({CAP_NET_ADMIN})));
    EXPECT_TRUE(fixed_by(exec, caps({CAP_NET_ADMIN, CAP_NET_RAW})));
}

TEST(Session, RunOnceAggregatesWhatTheRunnerReports) {
    CannedRunner runner({CannedRun{{bind_event(1), bind_event(2), bind_event(3)}, exited(1)}});
    RunSpec spec;
    spec.argv = {"busybox", "httpd", "-f", "-p", "80"};
    RunOutcome o = run_once(runner, spec, 0);
    ASSERT_EQ(runner.specs.size(), 1u);
    EXPECT_EQ(runner.specs[0].argv, spec.argv);
    ASSERT_EQ(o.findings.size(), 1u);
    EXPECT_EQ(o.findings[0].count, 3u);
    EXPECT_FALSE(o.success);
    EXPECT_EQ(o.result.exit.code, 1);
}

TEST(Session, SuccessIsTheExpectedExitStatus) {
    RunSpec spec;
    spec.argv = {"x"};
    CannedRunner zero({CannedRun{{}, exited(0)}});
    EXPECT_TRUE(run_once(zero, spec, 0).success);
    CannedRunner three({CannedRun{{}, exited(3)}});
    EXPECT_FALSE(run_once(three, spec, 0).success);
    EXPECT_TRUE(run_once(three, spec, 3).success);
    CannedRunner signalled({CannedRun{{}, killed(9)}});
    EXPECT_FALSE(run_once(signalled, spec, 0).success);
}

TEST(Session, WithAProbeSuccessIsTheProbe) {
    RunSpec spec;
    spec.argv = {"server"};
    spec.probe = "curl -sf localhost";
    RunResult ok = killed(15);
    ok.probe_ok = true;
    ok.stopped_by_capprof = true;
    CannedRunner good({CannedRun{{}, ok}});
    EXPECT_TRUE(run_once(good, spec, 0).success);
    RunResult failed = exited(0);
    failed.probe_ok = false;
    CannedRunner bad({CannedRun{{}, failed}});
    EXPECT_FALSE(run_once(bad, spec, 0).success);
}

TEST(Session, StillRunningWhenDurationRanOutIsSuccess) {
    RunSpec spec;
    spec.argv = {"server"};
    spec.duration = 1.0;
    RunResult stopped = killed(15);
    stopped.stopped_by_capprof = true;
    CannedRunner runner({CannedRun{{}, stopped}});
    EXPECT_TRUE(run_once(runner, spec, 0).success);
}

TEST(Session, AnInterruptedRunIsNeverSuccess) {
    // capprof killed it (SIGINT to minimize): not "still running when
    // --duration ran out", whatever the exit status.
    RunSpec spec;
    spec.argv = {"server"};
    spec.duration = 1.0;
    RunResult result = killed(9);
    result.stopped_by_capprof = true;
    result.interrupted = SIGINT;
    CannedRunner runner({CannedRun{{}, result}});
    RunOutcome outcome = run_once(runner, spec, 0);
    EXPECT_FALSE(outcome.success);
    EXPECT_EQ(make_report({"server"}, spec, outcome).interrupted, SIGINT);
}

TEST(Session, NotStartedIsNeverSuccess) {
    RunSpec spec;
    spec.argv = {"x"};
    RunResult result = exited(0);
    result.started = false;
    CannedRunner runner({CannedRun{{}, result}});
    EXPECT_FALSE(run_once(runner, spec, 0).success);
}

TEST(Session, CapabilitiesAskedIgnoreNotCapabilityAndUnknown) {
    std::vector<Finding> findings = {
        finding(Verdict::capability, "NET_BIND_SERVICE"),
        finding(Verdict::file_permission, "DAC_READ_SEARCH"),
        finding(Verdict::not_capability, std::nullopt),
        finding(Verdict::not_capability, "SYS_ADMIN"),
        finding(Verdict::unknown, "SYS_NICE"),
    };
    EXPECT_EQ(capabilities_asked(findings), cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_DAC_READ_SEARCH));
}

TEST(Session, FailedRunPutsAskedCapabilitiesIntoCapAdd) {
    RunSpec spec;
    Report r = make_report({"httpd"}, spec,
                           outcome(false, {finding(Verdict::capability, "NET_BIND_SERVICE"),
                                           finding(Verdict::not_capability, std::nullopt)}));
    EXPECT_EQ(r.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(r.optional, 0u);
    EXPECT_TRUE(r.findings[0].required);
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.command, std::vector<std::string>{"httpd"});
}

TEST(Session, SuccessfulRunMakesThemOptional) {
    RunSpec spec;
    Report r = make_report({"app"}, spec, outcome(true, {finding(Verdict::capability, "SYS_NICE")}));
    EXPECT_EQ(r.cap_add, 0u);
    EXPECT_EQ(r.optional, cap_bit(CAP_SYS_NICE));
    EXPECT_FALSE(r.findings[0].required);
    EXPECT_TRUE(r.success);
}

TEST(Session, GrantedCapabilitiesStayInTheRecommendation) {
    RunSpec spec;
    spec.granted = cap_bit(CAP_NET_BIND_SERVICE);
    spec.user = UserSpec{33, 33, {}, "www-data"};
    Report ok = make_report({"httpd"}, spec, outcome(true, {}));
    EXPECT_EQ(ok.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(ok.granted, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(ok.user, "www-data");
    Report more = make_report({"httpd"}, spec, outcome(false, {finding(Verdict::capability, "SETUID")}));
    EXPECT_EQ(more.cap_add, cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETUID));
}

TEST(Session, ReportCarriesRunStatistics) {
    RunSpec spec;
    RunOutcome o = outcome(false, {});
    o.result.syscalls = 1234;
    o.result.processes = 3;
    o.result.threads = 7;
    o.result.failures = 9;
    o.result.seconds = 1.5;
    o.result.exit = ExitStatus::killed(9);
    Report r = make_report({"x"}, spec, o);
    EXPECT_EQ(r.syscalls, 1234u);
    EXPECT_EQ(r.processes, 3u);
    EXPECT_EQ(r.threads, 7u);
    EXPECT_EQ(r.failures, 9u);
    EXPECT_DOUBLE_EQ(r.seconds, 1.5);
    EXPECT_EQ(r.exit.shell_code(), 137);
}

}  // namespace
}  // namespace capprof

namespace capprof {
namespace {

// su to another user: an audit record refused (carried on), then setgroups
// refused and exit 1 (stopped).
TEST(SessionOutcome, RunRecommendsWhatStoppedItAndListsWhatItCarriedPast) {
    Finding carried = finding(Verdict::capability, "AUDIT_WRITE");
    carried.outcome = Outcome::carried_on;
    Finding stopped = finding(Verdict::capability, "NET_BIND_SERVICE");
    stopped.outcome = Outcome::stopped;
    Finding unknown = finding(Verdict::capability, "NET_ADMIN");
    unknown.outcome = Outcome::unknown;
    RunSpec spec;
    Report r = make_report({"su"}, spec, outcome(false, {carried, stopped, unknown}));
    EXPECT_EQ(r.cap_add, caps({CAP_NET_BIND_SERVICE, CAP_NET_ADMIN}));
    EXPECT_EQ(r.optional, caps({CAP_AUDIT_WRITE}));
    EXPECT_FALSE(r.findings[0].required);
    EXPECT_TRUE(r.findings[1].required);
    EXPECT_TRUE(r.findings[2].required);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("capprof minimize tells whether a feature is lost"), std::string::npos);
}

TEST(SessionOutcome, ADeniedPrivilegeDropIsRequiredWhateverItsOutcome) {
    Finding drop = finding(Verdict::capability, "SETGID");
    drop.privilege_drop = true;
    drop.outcome = Outcome::carried_on;
    RunSpec spec;
    Report r = make_report({"daemon"}, spec, outcome(false, {drop}));
    EXPECT_EQ(r.cap_add, caps({CAP_SETGID}));
    EXPECT_EQ(r.optional, 0u);
    EXPECT_TRUE(r.findings[0].required);
}

TEST(SessionOutcome, RunOnceJudgesEachProcessFromTheRunnersReports) {
    // sh running two children that each fail after their own denial.
    CannedRun run{{testing::bind_event(601), testing::open_event(602, "/root/secret")}, exited(1)};
    run.ends = {ProcessEnd{601, ExitStatus::exited(1), false}, ProcessEnd{602, ExitStatus::exited(1), false}};
    run.messages = {{0, 601, "httpd: bind: Permission denied"}};
    CannedRunner runner({run});
    RunSpec spec;
    spec.argv = {"sh"};
    RunOutcome o = run_once(runner, spec, 0);
    ASSERT_EQ(o.findings.size(), 2u);
    EXPECT_EQ(o.findings[0].outcome, Outcome::stopped);
    EXPECT_EQ(o.findings[1].outcome, Outcome::stopped);
    EXPECT_EQ(o.findings[0].message, "httpd: bind: Permission denied");
    EXPECT_FALSE(o.findings[1].message);
}

}  // namespace
}  // namespace capprof
