// `capprof run` is transparent: the workload keeps stdin/stdout/stderr, its
// signals and job control, and capprof exits with the workload's status
// (128+N when killed by signal N). The report goes to stderr.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

CommandResult capprof_plain(const std::vector<std::string>& command, std::chrono::milliseconds limit = 30s,
                            const SpawnOptions& options = {}) {
    std::vector<std::string> argv{capprof_bin(), "run", "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    return run_command(argv, limit, options);
}

char process_state(pid_t pid) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
}

bool process_gone(pid_t pid, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        char state = process_state(pid);
        if (state == '?' || state == 'Z' || state == 'X') return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

struct ExitCase {
    std::string script;
    int expected;
    std::optional<int> signal;
};

class ExitStatusPassthrough : public ::testing::TestWithParam<ExitCase> {};

TEST_P(ExitStatusPassthrough, CapprofExitsWithTheWorkloadsStatus) {
    require_root();
    const ExitCase& c = GetParam();
    CapprofRun run = capprof_run({"/bin/sh", "-c", c.script});
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_EQ(run.process.exit_code, c.expected) << c.script << "\n" << run;
    EXPECT_FALSE(run.process.signal) << "capprof itself exits, it is not killed\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    if (c.signal) {
        EXPECT_EQ(run.report["exit"]["signal"], *c.signal) << run.report.dump(2);
    } else {
        EXPECT_EQ(run.report["exit"]["code"], c.expected) << run.report.dump(2);
        EXPECT_TRUE(run.report["exit"]["signal"].is_null()) << run.report.dump(2);
    }
}

const ExitCase exit_cases[] = {
    {"exit 0", 0, std::nullopt},
    {"exit 1", 1, std::nullopt},
    {"exit 42", 42, std::nullopt},
    {"kill -KILL $$", 137, SIGKILL},
    {"kill -TERM $$", 143, SIGTERM},
};

std::string exit_case_name(const ::testing::TestParamInfo<ExitCase>& info) {
    const char* names[] = {"Exit0", "Exit1", "Exit42", "KilledBySigkill", "KilledBySigterm"};
    return names[info.index];
}

INSTANTIATE_TEST_SUITE_P(Transparency, ExitStatusPassthrough, ::testing::ValuesIn(exit_cases), exit_case_name);

TEST(Transparency, StdinReachesTheWorkload) {
    require_root();
    SpawnOptions options;
    options.stdin_data = "hi\n";
    CommandResult r = capprof_plain({"cat"}, 30s, options);
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_EQ(r.out, "hi\n") << r;
}

TEST(Transparency, StdoutIsTheWorkloadsAloneAndTheReportGoesToStderr) {
    require_root();
    TempDir tmp;
    std::string secret = tmp.file("secret", 0600, 1000, 1000);
    // One line on stdout, one on stderr, and one failing call to report.
    CommandResult r =
        capprof_plain({"/bin/sh", "-c", "printf 'line one\\nline two\\n'; echo to-stderr >&2; cat " + secret + "; exit 0"});
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_EQ(r.out, "line one\nline two\n") << "stdout must be byte for byte the workload's\n" << r;
    EXPECT_NE(r.err.find("to-stderr"), std::string::npos) << r;
    EXPECT_NE(r.err.find(secret), std::string::npos) << "the report on stderr names the file\n" << r;
}

TEST(Transparency, JsonToStdoutWithDash) {
    require_root();
    CommandResult r = run_command({capprof_bin(), "run", "--json", "-", "--", "true"}, 30s);
    EXPECT_TRUE(r.exited(0)) << r;
    json report = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(report.is_object()) << "--json - writes the report to stdout\n" << r;
    EXPECT_EQ(report["schema"], "capprof.report/v1");
    EXPECT_EQ(report["command"], json::array({"true"}));
}

TEST(Transparency, SignalFromAChildReachesItsHandler) {
    require_root();
    // The parent traps SIGUSR1, its child sends it; the trap decides the exit status.
    std::string script = "trap 'echo got USR1; exit 7' USR1; /bin/sh -c \"kill -USR1 $$\"; sleep 10; exit 3";
    CapprofRun run = capprof_run({"/bin/sh", "-c", script});
    EXPECT_EQ(run.process.exit_code, 7) << run;
    EXPECT_EQ(run.process.out, "got USR1\n") << run;
    EXPECT_LT(run.process.seconds, 9.0) << "the trap ran at once, not after sleep\n" << run;
}

TEST(Transparency, SigtermToCapprofIsForwardedToTheWorkload) {
    require_root();
    Process capprof({capprof_bin(), "run", "--", "/bin/sh", "-c", "echo $$; exec sleep 60"});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) { return out.find('\n') != std::string::npos; }))
        << capprof.wait(1s);
    pid_t workload = static_cast<pid_t>(std::stol(capprof.out()));
    std::this_thread::sleep_for(300ms);  // let the exec of sleep happen
    capprof.send_signal(SIGTERM);
    CommandResult r = capprof.wait(15s);
    EXPECT_FALSE(r.timed_out) << r;
    EXPECT_EQ(r.exit_code, 143) << "the workload died of SIGTERM\n" << r;
    EXPECT_FALSE(r.signal) << "capprof exits with 143 itself\n" << r;
    EXPECT_TRUE(process_gone(workload)) << "workload " << workload << " still runs after capprof exited";
}

TEST(Transparency, StoppedWorkloadResumesOnSigcont) {
    require_root();
    Process capprof({capprof_bin(), "run", "--", "/bin/sh", "-c", "echo $$; kill -STOP $$; echo resumed"});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) { return out.find('\n') != std::string::npos; }))
        << capprof.wait(1s);
    pid_t workload = static_cast<pid_t>(std::stol(capprof.out()));
    // Stopped ('T', or 't' while its tracer holds it in the group-stop) for a
    // while, not just passing through a syscall stop.
    int stopped_polls = 0;
    for (int i = 0; i < 250 && stopped_polls < 10; ++i) {
        char state = process_state(workload);
        stopped_polls = (state == 'T' || state == 't') ? stopped_polls + 1 : 0;
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(stopped_polls, 10) << "the workload never stopped";
    std::this_thread::sleep_for(200ms);
    capprof.wait_for_output([](const std::string&) { return false; }, 100ms);
    EXPECT_EQ(capprof.out().find("resumed"), std::string::npos) << "it must stay stopped until SIGCONT";
    ::kill(workload, SIGCONT);
    CommandResult r = capprof.wait(15s);
    EXPECT_FALSE(r.timed_out) << "SIGCONT resumed the workload\n" << r;
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_NE(r.out.find("resumed"), std::string::npos) << r;
}

TEST(Transparency, PipelineOfSeveralProcesses) {
    require_root();
    // A pipeline: several processes, pipes between them, all reaped.
    CapprofRun run = capprof_run({"/bin/sh", "-c", "seq 1 1000 | grep 7 | wc -l"});
    EXPECT_EQ(run.process.exit_code, 0) << run;
    EXPECT_EQ(run.process.out, "271\n") << run;
}

TEST(Transparency, CtrlCOfTheProcessGroupEndsWorkloadAndStillReports) {
    require_root();
    // A terminal's Ctrl-C sends SIGINT to the whole foreground process group:
    // capprof and the workload. The workload dies of it; capprof reports.
    TempDir tmp;
    Process capprof({capprof_bin(), "run", "--json", tmp / "report.json", "--", "/bin/sh", "-c",
                     "echo $$; exec sleep 60"});
    ASSERT_TRUE(capprof.wait_for_output([](const std::string& out) { return out.find('\n') != std::string::npos; }))
        << capprof.wait(1s);
    pid_t workload = static_cast<pid_t>(std::stol(capprof.out()));
    std::this_thread::sleep_for(300ms);
    capprof.kill_all(SIGINT);
    CommandResult r = capprof.wait(15s);
    EXPECT_FALSE(r.timed_out) << r;
    EXPECT_EQ(r.exit_code, 130) << "128 + SIGINT, like a shell\n" << r;
    EXPECT_TRUE(process_gone(workload)) << "workload " << workload << " survived Ctrl-C";
    json report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    ASSERT_TRUE(report.is_object()) << "the report is still written\n" << r;
    EXPECT_EQ(report["exit"]["signal"], SIGINT) << report.dump(2);
}

TEST(Transparency, DurationStopsALongRunningWorkload) {
    require_root();
    CapprofRun run = run_capprof("run", {"--duration", "1"}, {"sleep", "60"}, 30s);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_LT(run.process.seconds, 10.0) << "--duration 1 plus the grace period\n" << run;
    EXPECT_TRUE(run.has_report()) << run;
}

TEST(Transparency, EnvironmentArgumentsAndWorkingDirectoryPassThrough) {
    require_root();
    TempDir tmp;
    SpawnOptions options;
    options.cwd = tmp.path();
    ::setenv("CAPPROF_E2E_MARKER", "marker value", 1);
    CommandResult r = capprof_plain({"/bin/sh", "-c", "printf '%s|%s|%s|%s\\n' \"$CAPPROF_E2E_MARKER\" \"$(pwd)\" \"$1\" \"$2\"",
                                     "sh", "two words", "*"},
                                    30s, options);
    ::unsetenv("CAPPROF_E2E_MARKER");
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_EQ(r.out, "marker value|" + tmp.path() + "|two words|*\n") << r;
}

}  // namespace
}  // namespace capprof::e2e
