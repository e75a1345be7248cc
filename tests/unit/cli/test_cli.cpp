// `capprof run` through cli_main with a canned Runner: exit statuses, one-line
// errors, outputs checked before the workload runs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "capprof/error.hpp"
#include "cli/cli.hpp"
#include "support/canned_runner.hpp"
#include "support/require_root.hpp"
#include "support/cli_helpers.hpp"

namespace capprof {
namespace {

using testing::bind_event;
using testing::CannedRun;
using testing::CannedRunner;
using testing::exited;
using testing::killed;
using testing::cli;
using testing::CliResult;

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

std::string temp_path(const char* name) {
    return ::testing::TempDir() + "capprof_cli_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Cli, ExitsWithTheWorkloadsStatus) {
    CannedRunner one({CannedRun{{}, exited(1)}});
    EXPECT_EQ(cli({"run", "-q", "--", "false"}, one).status, 1);
    CannedRunner killed9({CannedRun{{}, killed(9)}});
    EXPECT_EQ(cli({"run", "-q", "--", "sh", "-c", "kill -9 $$"}, killed9).status, 137);
    ASSERT_EQ(killed9.specs.size(), 1u);
    EXPECT_EQ(killed9.specs[0].argv, (std::vector<std::string>{"sh", "-c", "kill -9 $$"}));
    EXPECT_EQ(killed9.specs[0].granted, 0u);
}

TEST(Cli, ReportGoesToStderrAndNothingToStdout) {
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(1)}});
    CliResult r = cli({"run", "--", "busybox", "httpd", "-f", "-p", "80"}, runner);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("capprof: `busybox httpd -f -p 80` exited 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pid 4242 httpd"), std::string::npos) << r.err;
}

TEST(Cli, QuietPrintsNoReport) {
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(1)}});
    CliResult r = cli({"run", "-q", "--", "httpd"}, runner);
    EXPECT_EQ(r.err, "");
}

TEST(Cli, JsonToStdout) {
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(1)}});
    CliResult r = cli({"run", "-q", "--json", "-", "--", "busybox", "httpd"}, runner);
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema"], "capprof.report/v1");
    EXPECT_EQ(j["command"], nlohmann::json({"busybox", "httpd"}));
    EXPECT_EQ(j["exit"]["code"], 1);
    ASSERT_EQ(j["findings"].size(), 1u);
    EXPECT_EQ(j["findings"][0]["syscall"], "bind");
}

TEST(Cli, JsonAndReportToFiles) {
    const std::string json_path = temp_path("report.json"), text_path = temp_path("report.txt");
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(0)}});
    CliResult r = cli({"run", "--json", json_path, "--report", text_path, "--", "httpd"}, runner);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "");
    std::ifstream json_in(json_path), text_in(text_path);
    nlohmann::json j = nlohmann::json::parse(json_in);
    EXPECT_EQ(j["exit"]["code"], 0);
    std::stringstream text;
    text << text_in.rdbuf();
    EXPECT_NE(text.str().find("capprof: `httpd` exited 0"), std::string::npos) << text.str();
    std::remove(json_path.c_str());
    std::remove(text_path.c_str());
}

TEST(Cli, UnwritableJsonPathFailsBeforeTheWorkloadRuns) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "--json", "/nonexistent-dir/x.json", "--", "true"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("capprof: cannot write the JSON report to /nonexistent-dir/x.json: ", 0), 0u)
        << r.err;
    EXPECT_TRUE(runner.specs.empty());
}

TEST(Cli, UnknownCapabilitySuggestsTheRightName) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "--cap-add", "NET_BIND", "--", "true"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(r.err, "capprof: unknown capability \"NET_BIND\": did you mean NET_BIND_SERVICE?\n");
    EXPECT_TRUE(runner.specs.empty());
}

TEST(Cli, CapAddReachesTheRunner) {
    CAPPROF_SKIP_UNLESS_ROOT("--cap-add needs root");
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "-q", "--cap-add", "net_bind_service,CAP_SETUID", "--cap-add", "chown", "--",
                       "true"},
                      runner);
    EXPECT_EQ(r.status, 0) << r.err;
    ASSERT_EQ(runner.specs.size(), 1u);
    EXPECT_EQ(runner.specs[0].granted, cap_bit(0) | cap_bit(7) | cap_bit(10));
}

TEST(Cli, GrantingWhatCapprofLacksIsAClearError) {
    CAPPROF_SKIP_UNLESS_ROOT("--cap-add needs root");
    std::ifstream status("/proc/self/status");
    std::string line;
    std::uint64_t bounding = ~0ull;
    while (std::getline(status, line)) {
        if (line.rfind("CapBnd:", 0) == 0) bounding = std::stoull(line.substr(7), nullptr, 16);
    }
    if (bounding & cap_bit(24)) GTEST_SKIP() << "this host's bounding set has SYS_RESOURCE";
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "--cap-add", "SYS_RESOURCE", "--", "true"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("SYS_RESOURCE"), std::string::npos) << r.err;
    EXPECT_TRUE(runner.specs.empty());
}

TEST(Cli, BadCommandLinesAreOneLineErrorsWithAHint) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {}, {"frobnicate"}, {"run"}, {"run", "--"}, {"run", "--bogus", "--", "true"},
             {"run", "--cap-add"}, {"run", "--format", "yaml", "--", "true"},
             {"run", "--duration", "soon", "--", "true"}}) {
        CliResult r = cli(args, runner);
        std::string shown;
        for (auto& a : args) shown += a + " ";
        EXPECT_EQ(r.status, 125) << shown;
        EXPECT_EQ(lines(r.err), 1) << shown << r.err;
        EXPECT_EQ(r.err.rfind("capprof: ", 0), 0u) << shown << r.err;
        EXPECT_NE(r.err.find("--help"), std::string::npos) << shown << r.err;
        EXPECT_EQ(r.out, "") << shown;
    }
    EXPECT_TRUE(runner.specs.empty());
}

TEST(Cli, HelpAndVersionExitZero) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult help = cli({"run", "--help"}, runner);
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("--cap-add"), std::string::npos) << help.out;
    CliResult version = cli({"--version"}, runner);
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.out.rfind("capprof ", 0), 0u) << version.out;
    EXPECT_TRUE(runner.specs.empty());
}

class ThrowingRunner : public Runner {
public:
    explicit ThrowingRunner(UserError error) : error_(std::move(error)) {}
    RunResult run(const RunSpec&, EventSink&) override { throw error_; }

private:
    UserError error_;
};

TEST(Cli, RunnerErrorsKeepTheirExitCode) {
    ThrowingRunner not_found(UserError("nosuchcmd: command not found", exit_not_found));
    CliResult r = cli({"run", "--", "nosuchcmd"}, not_found);
    EXPECT_EQ(r.status, 127);
    EXPECT_EQ(r.err, "capprof: nosuchcmd: command not found\n");
    ThrowingRunner not_exec(UserError("/etc/passwd: Permission denied", exit_not_executable));
    EXPECT_EQ(cli({"run", "--", "/etc/passwd"}, not_exec).status, 126);
}

TEST(Cli, CommandThatCouldNotBeExecutedGetsNoReportUnlessACallWasDenied) {
    RunResult failed_exec = exited(126);
    failed_exec.started = false;
    CannedRunner plain({CannedRun{{}, failed_exec}});
    CliResult r = cli({"run", "--", "/tmp/garbage.bin"}, plain);
    EXPECT_EQ(r.status, 126);
    EXPECT_EQ(r.err, "") << "the launcher has said why, in one line";
    SyscallEvent execve = testing::open_event(7, "/usr/bin/ping", EPERM);
    execve.name = "execve";
    CannedRunner file_caps({CannedRun{{execve}, failed_exec}});
    r = cli({"run", "--", "ping", "-c1", "127.0.0.1"}, file_caps);
    EXPECT_EQ(r.status, 126);
    EXPECT_NE(r.err.find("` could not be executed (exited 126)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("execve("), std::string::npos) << r.err;
}

TEST(Cli, FormatDockerPrintsTheDockerLine) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CAPPROF_SKIP_UNLESS_ROOT("--cap-add needs root");
    CliResult r = cli({"run", "--format", "docker", "--cap-add", "NET_BIND_SERVICE", "--", "true"}, runner);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.err.find("--cap-drop ALL --cap-add NET_BIND_SERVICE"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("capprof: `true`"), std::string::npos) << r.err;
}


// busybox httpd: fails to bind without NET_BIND_SERVICE, works with it, and
// fails again when verification takes it away.
CannedRunner httpd_trials() {
    return CannedRunner({CannedRun{{bind_event(4242)}, exited(1)}, CannedRun{{}, exited(0)},
                         CannedRun{{bind_event(4243)}, exited(1)}});
}

#define REQUIRE_ROOT_FOR_MINIMIZE() \
    CAPPROF_SKIP_UNLESS_ROOT("minimize needs root (it refuses up front otherwise)")

TEST(CliAnswer, MinimizePrintsItsAnswerOnStdoutAndProgressOnStderr) {
    REQUIRE_ROOT_FOR_MINIMIZE();
    CannedRunner runner = httpd_trials();
    CliResult r = cli({"minimize", "--format", "k8s", "--", "busybox", "httpd"}, runner);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind("# capprof: capabilities for `busybox httpd`\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("    add: [\"NET_BIND_SERVICE\"]\n"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("run 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("minimal: NET_BIND_SERVICE"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("securityContext"), std::string::npos) << r.err;
    ASSERT_FALSE(runner.specs.empty());
    for (const RunSpec& spec : runner.specs)
        EXPECT_TRUE(spec.stdout_to_stderr) << "the workload's stdout would mix with the answer";
}

TEST(CliAnswer, QuietHidesProgressNeverTheAnswer) {
    REQUIRE_ROOT_FOR_MINIMIZE();
    CannedRunner runner = httpd_trials();
    CliResult r = cli({"minimize", "-q", "--", "busybox", "httpd"}, runner);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("add:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE"), std::string::npos) << r.out;
}

TEST(CliAnswer, JsonOnStdoutPushesTheTextAnswerToStderr) {
    REQUIRE_ROOT_FOR_MINIMIZE();
    CannedRunner runner = httpd_trials();
    CliResult r = cli({"minimize", "--json", "-", "--", "busybox", "httpd"}, runner);
    EXPECT_EQ(r.status, 0);
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "stdout is the JSON and nothing else:\n" << r.out;
    EXPECT_EQ(j["cap_add"], nlohmann::json({"NET_BIND_SERVICE"}));
    EXPECT_NE(r.err.find("add:  docker run"), std::string::npos) << r.err;
}

TEST(CliAnswer, CheckPrintsItsAnswerOnStdout) {
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(1)}});
    CliResult r = cli({"check", "--allow", "none", "--", "busybox", "httpd"}, runner);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("NET_BIND_SERVICE"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("FAIL: also needs NET_BIND_SERVICE"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("add:"), std::string::npos) << r.err;
    ASSERT_EQ(runner.specs.size(), 1u);
    EXPECT_TRUE(runner.specs[0].stdout_to_stderr);
}

TEST(CliAnswer, RunStaysTransparent) {
    CannedRunner runner({CannedRun{{bind_event(4242)}, exited(1)}});
    CliResult r = cli({"run", "--format", "docker", "--", "busybox", "httpd"}, runner);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("docker run --cap-drop ALL"), std::string::npos);
    ASSERT_EQ(runner.specs.size(), 1u);
    EXPECT_FALSE(runner.specs[0].stdout_to_stderr);
}

TEST(CliNumbers, DurationAndReadyTimeoutRefuseWhatIsNotAUsableNumberOfSeconds) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    for (const char* option : {"--duration", "--ready-timeout"}) {
        for (const char* value : {"0", "-1", "nan", "inf", "-inf", "1e10", "1e400", "5s", ""}) {
            CliResult r = cli({"run", option, value, "--", "true"}, runner);
            const std::string shown = std::string(option) + " '" + value + "'";
            EXPECT_EQ(r.status, 125) << shown << r.err;
            EXPECT_EQ(lines(r.err), 1) << shown << r.err;
            EXPECT_NE(r.err.find(option), std::string::npos) << shown << r.err;
            EXPECT_NE(r.err.find("at most 31536000"), std::string::npos) << shown << r.err;
            EXPECT_LT(r.err.size(), 200u) << "a plain message\n" << r.err;
        }
    }
    EXPECT_TRUE(runner.specs.empty());
    CliResult ok = cli({"run", "-q", "--duration", "0.5", "--ready-timeout", "31536000", "--", "true"}, runner);
    EXPECT_EQ(ok.status, 0) << ok.err;
    ASSERT_EQ(runner.specs.size(), 1u);
    EXPECT_EQ(runner.specs[0].duration, 0.5);
}

TEST(CliNumbers, AMistypedOptionIsNamed) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "--cap-ad", "CHOWN", "--", "true"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("unknown option --cap-ad"), std::string::npos) << r.err;
    EXPECT_TRUE(runner.specs.empty());
}

class SyscallNamingRunner : public CannedRunner {
public:
    SyscallNamingRunner() : CannedRunner({CannedRun{{}, exited(0)}}) {}
    std::vector<std::string> syscall_names() const override { return {"bind", "mount", "umount2", "openat"}; }
};

TEST(CliRules, AnUnknownSyscallIsAnErrorWithASuggestion) {
    SyscallNamingRunner runner;
    CliResult r = cli({"rules", "--syscall", "mont"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(r.err, "capprof: rules --syscall: unknown syscall \"mont\": did you mean mount?\n");
    EXPECT_EQ(r.out, "");
    r = cli({"rules", "--syscall", "NOSUCHCALL"}, runner);
    EXPECT_EQ(r.status, 125);
    EXPECT_NE(r.err.find("syscalls(2)"), std::string::npos) << r.err;
    r = cli({"rules", "--syscall", "bind"}, runner);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("bind"), std::string::npos);
}

}  // namespace
}  // namespace capprof
