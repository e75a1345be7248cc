// The workload cannot reach capprof, nor escape the trace: signals aimed
// outside the workload fail as they would in a container (ESRCH), capprof
// shrugs off the signals it does not act on, a stop is mirrored only when the
// terminal caused it, minimize and check stop cleanly on SIGINT/SIGTERM, and
// no child escapes through CLONE_UNTRACED, clone3 or the start-up window.
#include <random>

#include "pty_session.hpp"
#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

struct SignalCase {
    std::string mode;
    int signal;
};

std::string signal_case_name(const ::testing::TestParamInfo<SignalCase>& info) {
    return info.param.mode + "_" + std::to_string(info.param.signal);
}
void PrintTo(const SignalCase& c, std::ostream* os) { *os << c.mode << " " << c.signal; }

class SignalAimedAtCapprof : public ::testing::TestWithParam<SignalCase> {};

// Each way of signalling the parent (capprof) fails with ESRCH; before, a
// SIGSTOP hung capprof for good and SIGUSR1/SIGALRM/SIGPIPE (also through
// F_SETOWN + F_SETSIG) killed it without a report.
TEST_P(SignalAimedAtCapprof, FailsWithEsrchAndCapprofReports) {
    require_root();
    const SignalCase& c = GetParam();
    CapprofRun run = capprof_run({prog("hostile_signal_parent"), c.mode, std::to_string(c.signal)}, {}, 20s);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_TRUE(run.process.exited(0)) << "the call must fail with ESRCH\n" << run;
    EXPECT_EQ(run.process.out, c.mode + ": ESRCH\n") << run;
    EXPECT_TRUE(run.has_report()) << run;
}

const SignalCase signal_cases[] = {
    {"kill", SIGSTOP},   {"kill", SIGUSR1},       {"kill", SIGALRM},         {"kill", SIGPIPE},
    {"tkill", SIGUSR1},  {"tgkill", SIGUSR1},     {"sigqueue", SIGUSR1},     {"tgsigqueue", SIGUSR1},
    {"group", SIGTERM},  {"pidfd_open", SIGUSR1}, {"pidfd", SIGUSR1},        {"setown", SIGUSR1},
    {"setown_ex", SIGUSR1}, {"setown_group", SIGUSR1}, {"fiosetown", SIGUSR1},
};
INSTANTIATE_TEST_SUITE_P(HostileContainment, SignalAimedAtCapprof, ::testing::ValuesIn(signal_cases),
                         signal_case_name);

TEST(HostileContainment, KillStopOfTheParentFromAShellFails) {
    require_root();
    CapprofRun run = capprof_run({"/bin/sh", "-c", "kill -STOP $PPID; echo rc=$?"}, {}, 20s);
    EXPECT_FALSE(run.process.timed_out) << "capprof was stopped\n" << run;
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_EQ(run.process.out, "rc=1\n") << run;
}

TEST(HostileContainment, KillOfAProcessCapprofDidNotStartFailsWithEsrch) {
    require_root();
    // As in a container: not "permission denied" (KILL would not help), no such process.
    Background target({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "30"});
    ASSERT_TRUE(wait_for_exec(target.pid(), "sleep")) << "setpriv did not start sleep";
    CapprofRun run = capprof_run({prog("kill_other"), std::to_string(target.pid())}, {}, 20s);
    EXPECT_TRUE(run.process.exited(1)) << run;
    EXPECT_NE(run.process.out.find("ESRCH"), std::string::npos) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_FALSE(json_array_contains(run.report["cap_add"], "KILL")) << run.report.dump(2);
    EXPECT_TRUE(target.alive());
}

TEST(HostileContainment, KillMinusOneReachesTheWorkloadOnly) {
    require_root();
    // A bystander started by the test, not by capprof: kill(-1) must miss it
    // (SIGURG: no one dies of it, should it get out).
    Background sentinel({prog("signal_sentinel"), std::to_string(SIGURG), "20"});
    ASSERT_TRUE(sentinel.process().wait_for_output(
        [](const std::string& out) { return out.find("ready") != std::string::npos; }, 10s));
    CapprofRun run = capprof_run({prog("hostile_kill_all"), std::to_string(SIGURG)}, {}, 20s);
    EXPECT_TRUE(run.process.exited(0)) << "kill(-1) returns 0 and the workload's child gets it\n" << run;
    EXPECT_EQ(run.process.out, "kill(-1) = 0, child got it: yes\n") << run;
    sentinel.process().wait_for_output([](const std::string&) { return false; }, 300ms);
    EXPECT_EQ(sentinel.process().out().find("got"), std::string::npos)
        << "kill(-1) of the workload reached a process outside it:\n" << sentinel.process().out();
}

TEST(HostileContainment, SignalsToCapprofThatItDoesNotForwardAreIgnored) {
    require_root();
    TempDir tmp;
    Process capprof({capprof_bin(), "run", "--json", tmp / "report.json", "--", "/bin/sh", "-c",
                     "echo ready; sleep 1; echo done"});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) { return out.find("ready") != std::string::npos; }))
        << capprof.wait(1s);
    for (int sig : {SIGUSR1, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGXCPU, SIGRTMIN + 3})
        capprof.send_signal(sig);
    CommandResult r = capprof.wait(20s);
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_EQ(r.out, "ready\ndone\n") << r;
    json report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    EXPECT_TRUE(report.is_object()) << "the report is written\n" << r;
}

TEST(HostileContainment, TrapKillZeroDoesNotMakeCheckPassUnderDuration) {
    require_root();
    // `kill 0` signals the workload's own process group, not capprof's: the
    // workload's exit 1 is a failure, not a run stopped by --duration.
    CapprofRun run = run_capprof("check", {"--allow", "none", "--duration", "5"},
                                 {"bash", "-c", "trap 'kill 0' EXIT; exit 1"}, 30s);
    EXPECT_TRUE(run.process.exited(1)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_FALSE(run.report["success"].get<bool>()) << run.report.dump(2);
}

TEST(HostileContainment, WorkloadStoppingItselfDoesNotStopCapprof) {
    require_root();
    // In a script (no terminal), a stop the workload sends itself leaves
    // capprof running: --duration ends the run (SIGTERM, then SIGCONT).
    CapprofRun run = run_capprof("run", {"--duration", "2"}, {"/bin/sh", "-c", "kill -TSTP $$; sleep 30"}, 30s);
    EXPECT_FALSE(run.process.timed_out) << "capprof stopped with the workload\n" << run;
    EXPECT_LT(run.process.seconds, 10) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["stopped_by_capprof"].get<bool>()) << run.report.dump(2);
}

// `capprof SUBCOMMAND ... -- sleep 30`, interrupted by `sig` once running.
CapprofRun interrupted(const std::string& subcommand, const std::vector<std::string>& options, int sig) {
    TempDir tmp;
    std::vector<std::string> argv{capprof_bin(), subcommand};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), {"--json", tmp / "report.json", "--", "/bin/sh", "-c", "echo started >&2; exec sleep 30"});
    Process capprof(argv);
    // The workload's output goes to stderr under minimize and check.
    for (int i = 0; i < 200 && capprof.err().find("started") == std::string::npos; ++i)
        capprof.wait_for_output([](const std::string&) { return false; }, 50ms);
    std::this_thread::sleep_for(200ms);
    capprof.send_signal(sig);
    CapprofRun run;
    run.process = capprof.wait(20s);
    run.report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    if (run.report.is_discarded()) run.report = nullptr;
    return run;
}

TEST(HostileContainment, MinimizeInterruptedBySigintReportsPartialAndExits130) {
    require_root();
    CapprofRun run = interrupted("minimize", {}, SIGINT);
    EXPECT_TRUE(run.process.exited(130)) << run;
    EXPECT_LT(run.process.seconds, 10) << "the trial is killed, not waited for\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["interrupted"].get<bool>()) << run.report.dump(2);
    EXPECT_TRUE(run.findings().empty()) << "no finding from a killed trial\n" << run.report.dump(2);
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
    ASSERT_EQ(run.report["runs"].size(), 1u) << "no further trial\n" << run.report.dump(2);
    EXPECT_EQ(run.report["runs"][0]["purpose"], "explore (interrupted)") << run.report.dump(2);
    EXPECT_NE(run.process.err.find("interrupted by SIGINT"), std::string::npos) << run;
}

TEST(HostileContainment, CheckInterruptedBySigtermExits143WithoutAVerdict) {
    require_root();
    CapprofRun run = interrupted("check", {"--allow", "none"}, SIGTERM);
    EXPECT_TRUE(run.process.exited(143)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["interrupted"].get<bool>()) << run.report.dump(2);
    EXPECT_FALSE(run.report["success"].get<bool>()) << run.report.dump(2);
    EXPECT_TRUE(run.findings().empty()) << run.report.dump(2);
    EXPECT_EQ(run.process.err.find("FAIL"), std::string::npos) << "no verdict after an interrupt\n" << run;
}

// Job control in an interactive shell: the workload has the terminal (its
// reads work), Ctrl-Z stops the job, `fg` resumes it with the terminal.
TEST(HostileContainment, CtrlZStopsTheJobAndFgResumesItWithTheTerminal) {
    require_root();
    if (!have_program("bash")) GTEST_SKIP() << "needs bash";
    PtySession pty;
    ASSERT_TRUE(pty.wait_for("pty$ ")) << pty.screen();
    // 'wait''ing': the echo of the typed line is not the program's output.
    pty.type(capprof_bin() + " run -q -- sh -c 'echo wait''ing; read x; echo got-$x'\n");
    ASSERT_TRUE(pty.wait_for("waiting\r\n")) << pty.screen();
    pty.type("\x1a");
    ASSERT_TRUE(pty.wait_for("Stopped")) << "Ctrl-Z did not stop the job\n" << pty.screen();
    pty.type("fg\n");
    ASSERT_TRUE(pty.wait_for("sh -c")) << pty.screen();  // bash names the job it resumes
    pty.type("hello\n");
    ASSERT_TRUE(pty.wait_for("got-hello")) << "the workload could not read the terminal\n" << pty.screen();
    ASSERT_TRUE(pty.wait_for("pty$ ")) << pty.screen();
    pty.type("echo rc=$?\n");
    EXPECT_TRUE(pty.wait_for("rc=0")) << pty.screen();
}

// Ctrl-C reaches the workload, which has the terminal, not capprof: minimize
// must still take it as the user's interrupt.
TEST(HostileContainment, CtrlCInATerminalInterruptsMinimize) {
    require_root();
    if (!have_program("bash")) GTEST_SKIP() << "needs bash";
    TempDir tmp;
    PtySession pty;
    ASSERT_TRUE(pty.wait_for("pty$ ")) << pty.screen();
    pty.type(capprof_bin() + " minimize -q --json " + (tmp / "report.json") +
             " -- sh -c 'echo wait''ing; exec sleep 30'\n");
    ASSERT_TRUE(pty.wait_for("waiting\r\n")) << pty.screen();
    pty.type("\x03");
    ASSERT_TRUE(pty.wait_for("pty$ ", 10s)) << "Ctrl-C did not end minimize\n" << pty.screen();
    pty.type("echo rc=$?\n");
    EXPECT_TRUE(pty.wait_for("rc=130")) << pty.screen();
    json report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    ASSERT_TRUE(report.is_object()) << pty.screen();
    EXPECT_TRUE(report["interrupted"].get<bool>()) << report.dump(2);
}

// `capprof run -- PROGRAM 30 MARKER` of a program whose main process exits
// at once, leaving a child that would sleep 30 s: capprof must end it, not
// wait for it, and leave nothing.
CapprofRun run_leaving_a_child(const std::string& program) {
    Marker marker;
    CapprofRun run = capprof_run({prog(program), "30", marker.text()}, {}, 40s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_LT(run.process.seconds, 15) << run;
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "the child outlived the run:\n" << join_lines(left);
    return run;
}

TEST(HostileContainment, CloneUntracedChildIsTracedAndKilled) {
    require_root();
    CapprofRun run = run_leaving_a_child("hostile_untraced_clone");
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, "setuid");
    ASSERT_FALSE(f.is_null()) << "the CLONE_UNTRACED child's failing call was not seen\n" << run;
    auto child = printed_pid(run.process.out, "child");
    ASSERT_TRUE(child) << run;
    EXPECT_EQ(f["pid"], *child) << run;
}

TEST(HostileContainment, Clone3ProcessIsNotTakenForAThread) {
    require_root();
    // A sibling thread rewrites clone_args.flags to CLONE_THREAD after the
    // kernel read them: capprof must still see a process (and end it with
    // the workload, not wait 30 s for it).
    CapprofRun run = run_leaving_a_child("hostile_clone3_race");
    EXPECT_NE(run.process.out.find("clone3: ENOSYS"), std::string::npos)
        << "clone3 fails with ENOSYS, as under Docker's default seccomp profile\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["processes"], 2) << run.report.dump(2);
}

// Starts `capprof run -- sleep 30` and sends it `sig` as soon as it has
// forked the workload (plus a random delay of at most `max_delay`): mostly
// before the workload is seized.
CommandResult signal_during_startup(int sig, std::chrono::microseconds max_delay, std::mt19937& random) {
    Process capprof({capprof_bin(), "run", "-q", "--", "sleep", "30"});
    const std::string children = "/proc/" + std::to_string(capprof.pid()) + "/task/" +
                                 std::to_string(capprof.pid()) + "/children";
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (read_file(children).empty() && std::chrono::steady_clock::now() < deadline) {
    }
    std::uniform_int_distribution<long> delay(0, max_delay.count());
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    capprof.send_signal(sig);
    return capprof.wait(15s);
}

TEST(HostileContainment, SigkillDuringStartupLeavesNoProcess) {
    require_root();
    WithoutLeakCheck no_leak_check;
    Marker marker;
    std::mt19937 random(42);
    for (int i = 0; i < 200; ++i) {
        CommandResult r = signal_during_startup(SIGKILL, 300us, random);
        ASSERT_FALSE(r.timed_out) << r;
    }
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "orphans of a capprof killed while starting the workload:\n" << join_lines(left);
}

TEST(HostileContainment, SigtermDuringStartupIsNotLost) {
    require_root();
    Marker marker;
    std::mt19937 random(7);
    for (int i = 0; i < 40; ++i) {
        CommandResult r = signal_during_startup(SIGTERM, 300us, random);
        ASSERT_FALSE(r.timed_out) << "try " << i << ": the SIGTERM was lost\n" << r;
        ASSERT_LT(r.seconds, 10) << "try " << i << ": the SIGTERM was lost\n" << r;
    }
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << join_lines(left);
}

TEST(HostileContainment, ProbesLeaveNoBackgroundProcess) {
    require_root();
    Marker marker;
    CapprofRun run = run_capprof("run", {"--probe", "setsid sleep 20 & true", "--duration", "1"},
                                 {"sleep", "30"}, 40s);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_LT(run.process.seconds, 10) << run;
    auto left = marker.survivors_after(2s);
    EXPECT_TRUE(left.empty()) << "the probe's background process outlived the run:\n" << join_lines(left);
}

TEST(HostileContainment, AsPidOneTheProbesBackgroundProcessDoesNotDelayTheRun) {
    require_root();
    if (!have_program("unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
    // PID 1 of a new PID namespace is every orphan's parent: capprof must not
    // wait for them.
    CommandResult r = run_command({"unshare", "--pid", "--fork", "--mount-proc", capprof_bin(), "run", "-q",
                                   "--probe", "setsid sleep 20 & true", "--duration", "1", "--", "sleep", "30"},
                                  40s);
    EXPECT_FALSE(r.timed_out) << r;
    EXPECT_LT(r.seconds, 10) << r;
}

// Where cgroup2 is mounted, or "".
std::string cgroup2_mount_point() {
    std::istringstream mounts(read_file("/proc/self/mountinfo"));
    for (std::string line; std::getline(mounts, line);) {
        auto dash = line.find(" - cgroup2 ");
        if (dash == std::string::npos) continue;
        std::istringstream fields(line.substr(0, dash));
        std::string id, parent, device, root, point;
        fields >> id >> parent >> device >> root >> point;
        return point;
    }
    return "";
}

// This process's cgroup v2 directory, or "" when there is none to write to.
std::string own_cgroup_dir() {
    std::string point = cgroup2_mount_point();
    if (point.empty()) return "";
    std::istringstream groups(read_file("/proc/self/cgroup"));
    for (std::string line; std::getline(groups, line);) {
        if (line.rfind("0::", 0) != 0) continue;
        std::string dir = point + (line.substr(3) == "/" ? "" : line.substr(3));
        return ::access((dir + "/cgroup.procs").c_str(), W_OK) == 0 ? dir : "";
    }
    return "";
}

TEST(HostileContainment, WorkloadRunsInACgroupOfItsOwnThatIsRemovedAfterwards) {
    require_root();
    if (own_cgroup_dir().empty()) GTEST_SKIP() << "no writable cgroup v2 hierarchy here";
    CapprofRun run = capprof_run({"cat", "/proc/self/cgroup"}, {}, 20s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(run.process.out, match, std::regex("0::(/[^\n]*capprof-[0-9]+-[^\n]*-workload)")))
        << "the workload is not in a cgroup of capprof's\n" << run;
    std::string group = cgroup2_mount_point() + match[1].str();
    EXPECT_FALSE(std::filesystem::exists(group)) << "the run's cgroup is still there: " << group;
}

TEST(HostileContainment, CgroupLeftByAKilledCapprofIsSweptByTheNext) {
    require_root();
    std::string parent = own_cgroup_dir();
    if (parent.empty()) GTEST_SKIP() << "no writable cgroup v2 hierarchy here";
    // A group named as capprof names them, of a pid that does not run, with
    // a process still in it.
    std::string stale = parent + "/capprof-999999999-1-0-workload";
    std::filesystem::create_directory(stale);
    Background sleeper({"sleep", "60"});
    std::ofstream(stale + "/cgroup.procs") << sleeper.pid() << std::flush;
    ASSERT_NE(read_file(stale + "/cgroup.procs").find(std::to_string(sleeper.pid())), std::string::npos);
    CapprofRun run = capprof_run({"true"}, {}, 20s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    for (int i = 0; i < 100 && sleeper.alive(); ++i) std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(sleeper.alive()) << "the stale group's process was not killed";
    EXPECT_FALSE(std::filesystem::exists(stale)) << "the stale group was not removed";
    ::rmdir(stale.c_str());
}

}  // namespace
}  // namespace capprof::e2e
