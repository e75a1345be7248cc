// capprof's own errors (README.md "Errors and their exit codes"): usage and
// environment 125, not executable 126, not found 127 (like docker run and
// env(1)). capprof says what is wrong in one line starting "capprof:",
// writes nothing on stdout, exits with the documented code, and does not run
// the workload when it cannot do its job. One row per mistake; the cases that
// need more than a command line follow the table.
#include <sys/stat.h>

#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

// One line on stderr, "capprof: ...", naming `mentions`.
void expect_one_line_error(const CommandResult& result, int code, const std::string& mentions) {
    EXPECT_TRUE(result.exited(code)) << "expected exit " << code << ", got " << result;
    EXPECT_EQ(line_count(result.err), 1u) << result;
    EXPECT_EQ(result.err.rfind("capprof: ", 0), 0u) << result;
    EXPECT_EQ(result.out, "") << result;
    EXPECT_NE(result.err.find(mentions), std::string::npos) << "the message should mention \"" << mentions
                                                            << "\":\n" << result;
}

// A workload that leaves a trace when it runs.
struct Witness {
    TempDir dir;
    std::string path = dir / "ran";
    std::vector<std::string> command() const { return {"/bin/sh", "-c", "touch '" + path + "'"}; }
    bool ran() const { return ::access(path.c_str(), F_OK) == 0; }
};

std::vector<std::string> with_command(std::vector<std::string> argv, const std::vector<std::string>& command) {
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

// How capprof is started for a row.
enum class As {
    anyone,  // whoever runs the tests
    root,    // skipped unless root (the command must be looked up as root would)
    nobody,  // root drops to uid 65534 first (setpriv): capprof as an ordinary user
};

struct BadInputRow {
    const char* name;
    std::vector<std::string> args;  // capprof's arguments; a trailing "--" gets the witness workload
    int code;
    std::string mentions;
    As as = As::anyone;
    bool append_witness = true;     // false: the "--" ends the command line
};

std::ostream& operator<<(std::ostream& out, const BadInputRow& row) { return out << row.name; }

const std::vector<std::string> nobody{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};

const BadInputRow bad_inputs[] = {
    {"RunWithoutACommand", {"run"}, 125, "no command to run"},
    {"RunWithAnEmptyCommand", {"run", "--"}, 125, "no command to run", As::anyone, false},
    {"UnknownOption", {"run", "--no-such-option", "--"}, 125, "--no-such-option"},
    {"MistypedOptionIsNamed", {"run", "--cap-ad", "CHOWN", "--"}, 125, "unknown option --cap-ad"},
    {"UnknownCapabilityNamesACloseMatch", {"run", "--cap-add", "NET_BIND_SERVIC", "--"}, 125,
     "\"NET_BIND_SERVIC\""},
    {"UnknownCapabilitySuggestsTheCloseName", {"run", "--cap-add", "NET_BIND_SERVIC", "--"}, 125,
     "NET_BIND_SERVICE"},
    {"UnknownCapabilityInALowerCaseList", {"run", "--cap-add", "chown,sys_admn", "--"}, 125, "SYS_ADMIN"},
    {"UnknownFormat", {"run", "--format", "yaml", "--"}, 125, "yaml"},
    {"UnknownUser", {"run", "--user", "capprof-no-such-user", "--"}, 125, "capprof-no-such-user"},
    {"NegativeDuration", {"run", "--duration", "-1", "--"}, 125, "--duration"},
    // 1e10 used to overflow the timer and kill the workload at once; nan
    // and inf passed CLI11's range check.
    {"DurationZero", {"run", "--duration", "0", "--"}, 125,
     "--duration: expected a number of seconds above 0 and at most 31536000"},
    {"DurationNan", {"run", "--duration", "nan", "--"}, 125, "--duration: expected a number of seconds"},
    {"DurationInf", {"run", "--duration", "inf", "--"}, 125, "--duration: expected a number of seconds"},
    {"DurationOverflowingTheTimer", {"run", "--duration", "1e10", "--"}, 125,
     "--duration: expected a number of seconds"},
    {"DurationOverflowingADouble", {"run", "--duration", "1e400", "--"}, 125,
     "--duration: expected a number of seconds"},
    {"ReadyTimeoutNan", {"run", "--ready-timeout", "nan", "--probe", "true", "--"}, 125, "--ready-timeout"},
    {"ProbeInsideWithoutProbe", {"run", "--probe-inside", "--"}, 125, "--probe"},
    {"IsolateWithNoIsolate", {"minimize", "--isolate", "--no-isolate", "--"}, 125, "--no-isolate"},
    {"CheckWithoutAllow", {"check", "--"}, 125, "allow"},
    {"RulesForAnUnknownSyscall", {"rules", "--syscall", "mout"}, 125, "unknown syscall \"mout\": did you mean mount"},
    {"DecodeNotHex", {"decode", "0xZZ"}, 125, "ZZ"},
    // pid_max is at most 2^22: this pid cannot exist.
    {"InspectMissingProcess", {"inspect", "99999999"}, 125, "99999999"},
    {"UnknownSubcommand", {"profile", "--"}, 125, "profile"},
    {"CommandNotFound", {"run", "--", "capprof-no-such-command-anywhere"}, 127, "capprof-no-such-command-anywhere",
     As::root},
    {"CommandInAMissingDirectory", {"run", "--", "/nonexistent/dir/program"}, 127, "/nonexistent/dir/program",
     As::root},
    {"UnwritableJsonPathFailsBeforeTheWorkloadRuns", {"run", "--json", "/nonexistent-capprof-dir/report.json", "--"},
     125, "/nonexistent-capprof-dir/report.json", As::root},
    {"UnwritableReportPath", {"run", "--report", "/nonexistent-capprof-dir/report.txt", "--"}, 125,
     "/nonexistent-capprof-dir/report.txt", As::root},
    {"CapAddWhenNotRoot", {"run", "--cap-add", "NET_BIND_SERVICE", "--"}, 125, "root", As::nobody},
    {"MinimizeWhenNotRootRefusesUpFront", {"minimize", "--"}, 125, "minimize needs root", As::nobody},
    // An ordinary user lacks CAP_SYS_ADMIN: no private mount namespace.
    {"IsolateWhereItCannotBeSetUp", {"run", "--isolate", "--"}, 125, "CAP_SYS_ADMIN", As::nobody},
    // --image errors that need no dockerd: each in one line, before anything runs.
    {"ImageDockerArgPrivileged", {"minimize", "--image", "busybox", "--docker-arg", "--privileged"}, 125,
     "--privileged"},
    {"ImageDockerArgCapAdd", {"minimize", "--image", "busybox", "--docker-arg", "--cap-add=NET_ADMIN"}, 125,
     "--cap-add"},
    {"ImageDockerArgRm", {"minimize", "--image", "busybox", "--docker-arg", "--rm"}, 125, "--rm"},
    {"ImageDockerArgEntrypoint", {"minimize", "--image", "busybox", "--docker-arg", "--entrypoint=/bin/sh"}, 125,
     "--entrypoint"},
    {"PullNeedsImage", {"run", "--pull", "--"}, 125, "--image"},
    {"DockerArgNeedsImage", {"run", "--docker-arg=-p", "--"}, 125, "--image"},
    {"EntrypointNeedsImage", {"run", "--entrypoint=/bin/sh", "--"}, 125, "--image"},
};

class BadInputTable : public ::testing::TestWithParam<BadInputRow> {};

TEST_P(BadInputTable, OneLineErrorAndTheWorkloadDoesNotRun) {
    const BadInputRow& row = GetParam();
    if (row.as != As::anyone) require_root();
    Witness witness;
    ::chmod(witness.dir.path().c_str(), 0777);  // the witness could run as nobody too
    std::vector<std::string> argv = row.as == As::nobody ? nobody : std::vector<std::string>{};
    argv.push_back(capprof_bin());
    argv.insert(argv.end(), row.args.begin(), row.args.end());
    const bool takes_workload = row.append_witness && !row.args.empty() && row.args.back() == "--";
    if (takes_workload) argv = with_command(argv, witness.command());
    CommandResult result = run_command(argv, 30s);
    expect_one_line_error(result, row.code, row.mentions);
    EXPECT_LT(result.err.size(), 300u) << "a short line\n" << result;
    EXPECT_FALSE(witness.ran()) << "the workload ran although capprof refused";
}

INSTANTIATE_TEST_SUITE_P(Rows, BadInputTable, ::testing::ValuesIn(bad_inputs),
                         [](const ::testing::TestParamInfo<BadInputRow>& info) { return info.param.name; });

// Files that cannot be executed: 126, named in the message.
TEST(BadInput, CommandNotExecutable) {
    require_root();
    TempDir dir;
    const std::string no_x_bit = dir.file("not-executable.sh", 0644, 0, 0, "#!/bin/sh\nexit 0\n");
    // Executable, but neither ELF nor "#!": execve fails with ENOEXEC.
    const std::string garbage = dir.file("garbage.bin", 0755, 0, 0, "garbage\n");
    for (const std::string& command : {no_x_bit, dir.path(), garbage})
        expect_one_line_error(run_command({capprof_bin(), "run", "--", command}, 30s), 126, command);
}

TEST(BadInput, JsonPathIsADirectory) {
    require_root();
    TempDir dir;
    CommandResult result = run_command({capprof_bin(), "run", "--json", dir.path(), "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, dir.path());
}

TEST(BadInput, RulesForAKnownSyscall) {
    CommandResult known = run_command({capprof_bin(), "rules", "--syscall", "mount"}, 30s);
    EXPECT_TRUE(known.exited(0)) << known;
}

TEST(BadInput, NoPtracePermission) {
    require_root();
    // A seccomp filter makes ptrace(2) fail with EPERM, as Yama ptrace_scope 3
    // or a container's seccomp profile would.
    Witness witness;
    WithoutLeakCheck no_lsan;  // LeakSanitizer needs ptrace too
    CommandResult result = run_command(
        with_command({prog("hostile_noptrace_launcher"), capprof_bin(), "run", "--"}, witness.command()), 30s);
    expect_one_line_error(result, 125, "ptrace");
    EXPECT_FALSE(witness.ran()) << "the workload ran untraced";
}


TEST(BadInput, YamaPtraceScope3) {
    require_root();
    std::string scope = read_file("/proc/sys/kernel/yama/ptrace_scope");
    if (scope.empty() || scope[0] != '3')
        GTEST_SKIP() << "kernel.yama.ptrace_scope is not 3 here (NoPtracePermission covers the same failure)";
    CommandResult result = run_command({capprof_bin(), "run", "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "ptrace_scope");
}


TEST(BadInput, OrdinaryUserWithoutCapAddIsTraced) {
    require_root();  // to become another user
    CommandResult result = run_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                        capprof_bin(), "run", "--", "/bin/sh", "-c", "exit 3"},
                                       30s);
    EXPECT_TRUE(result.exited(3)) << result;
}


TEST(BadInput, ProbeThatNeverSucceedsStopsTheWorkload) {
    require_root();
    Marker marker;
    CommandResult result =
        run_command({capprof_bin(), "run", "--probe", "false", "--ready-timeout", "1", "--",
                     prog("hostile_sleeper_tree"), "60", marker.text()},
                    30s);
    EXPECT_FALSE(result.timed_out) << result;
    EXPECT_LT(result.seconds, 15) << result;
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_NE(result.err.find("probe"), std::string::npos) << result;
    auto left = marker.survivors_after(3s);
    EXPECT_TRUE(left.empty()) << "left running after the probe gave up:\n" << join_lines(left);
}


TEST(BadInput, AllowFileThatIsNotARegularFile) {
    TempDir dir;
    const std::string fifo = dir / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    for (const std::string& path : {fifo, std::string("/dev/zero")}) {
        Witness witness;
        CommandResult result = run_command(
            with_command({capprof_bin(), "check", "--allow-file", path, "--"}, witness.command()), 30s);
        EXPECT_FALSE(result.timed_out) << "reading " << path << " must not hang\n" << result;
        expect_one_line_error(result, 125, "not a regular file");
        EXPECT_FALSE(witness.ran());
    }
    const std::string big = dir / "big.json";
    ASSERT_TRUE(sh("truncate -s 100M '" + big + "'").exited(0));
    CommandResult result = run_command({capprof_bin(), "check", "--allow-file", big, "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "more than a capprof report holds");
}


TEST(BadInput, ImageWithoutDockerClient) {
    expect_one_line_error(run_command({"/usr/bin/env", "PATH=/nonexistent", capprof_bin(), "run", "--image", "busybox"},
                                      30s),
                          125, "no `docker` in PATH");
}

TEST(BadInput, ImageDaemonUnreachable) {
    if (!have_program("docker")) GTEST_SKIP() << "no docker client here";
    TempDir dir;
    expect_one_line_error(run_command({"/usr/bin/env", "DOCKER_HOST=unix://" + (dir / "no.sock"),
                                       capprof_bin(), "check", "--allow", "none", "--image", "busybox"},
                                      60s),
                          125, "cannot reach the Docker daemon");
}

}  // namespace
}  // namespace capprof::e2e
