// The environment problems and user errors of README.md "Errors and their
// exit codes" not covered by test_bad_input.cpp: capprof says what is wrong
// in one line starting "capprof:", exits with the documented code, and does
// not run the workload when it cannot do its job.
#include <sys/stat.h>

#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

// One line on stderr, "capprof: ..." (docs/ARCHITECTURE.md: "each with a one-line reason").
void expect_one_line_error(const CommandResult& result, int code, const std::string& mentions) {
    EXPECT_TRUE(result.exited(code)) << "expected exit " << code << ", got " << result;
    EXPECT_EQ(line_count(result.err), 1u) << result;
    EXPECT_EQ(result.err.rfind("capprof: ", 0), 0u) << result;
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

TEST(BadInputTable, NoPtracePermission) {
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

TEST(BadInputTable, YamaPtraceScope3) {
    require_root();
    std::string scope = read_file("/proc/sys/kernel/yama/ptrace_scope");
    if (scope.empty() || scope[0] != '3')
        GTEST_SKIP() << "kernel.yama.ptrace_scope is not 3 here (NoPtracePermission covers the same failure)";
    CommandResult result = run_command({capprof_bin(), "run", "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "ptrace_scope");
}

TEST(BadInputTable, CapAddWhenNotRoot) {
    require_root();  // to become another user
    CommandResult result = run_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                        capprof_bin(), "run", "--cap-add", "NET_BIND_SERVICE", "--", "/bin/true"},
                                       30s);
    expect_one_line_error(result, 125, "root");
}

TEST(BadInputTable, OrdinaryUserWithoutCapAddIsTraced) {
    require_root();  // to become another user
    CommandResult result = run_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                        capprof_bin(), "run", "--", "/bin/sh", "-c", "exit 3"},
                                       30s);
    EXPECT_TRUE(result.exited(3)) << result;
}

TEST(BadInputTable, UnknownCapabilitySuggestsTheCloseName) {
    CommandResult result =
        run_command({capprof_bin(), "run", "--cap-add", "NET_BIND_SERVIC", "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "NET_BIND_SERVIC");
    EXPECT_NE(result.err.find("NET_BIND_SERVICE"), std::string::npos) << result;
}

TEST(BadInputTable, CommandNotFound) {
    require_root();
    CommandResult result = run_command({capprof_bin(), "run", "--", "capprof-no-such-command"}, 30s);
    expect_one_line_error(result, 127, "capprof-no-such-command");
}

TEST(BadInputTable, CommandNotExecutable) {
    require_root();
    TempDir dir;
    std::string script = dir.file("not-executable.sh", 0644, 0, 0, "#!/bin/sh\nexit 0\n");
    CommandResult result = run_command({capprof_bin(), "run", "--", script}, 30s);
    expect_one_line_error(result, 126, "not-executable.sh");
}

TEST(BadInputTable, CommandIsADirectory) {
    require_root();
    TempDir dir;
    CommandResult result = run_command({capprof_bin(), "run", "--", dir.path()}, 30s);
    expect_one_line_error(result, 126, dir.path());
}

TEST(BadInputTable, CommandWithAnUnknownBinaryFormat) {
    require_root();
    TempDir dir;
    // Executable, but neither ELF nor "#!": execve fails with ENOEXEC.
    std::string binary = dir.file("garbage.bin", 0755, 0, 0, "garbage\n");
    CommandResult result = run_command({capprof_bin(), "run", "--", binary}, 30s);
    expect_one_line_error(result, 126, "garbage.bin");
}

TEST(BadInputTable, UnwritableJsonPathFailsBeforeTheWorkloadRuns) {
    require_root();
    Witness witness;
    CommandResult result = run_command(
        with_command({capprof_bin(), "run", "--json", "/nonexistent-capprof-dir/report.json", "--"},
                     witness.command()),
        30s);
    expect_one_line_error(result, 125, "/nonexistent-capprof-dir/report.json");
    EXPECT_FALSE(witness.ran()) << "the workload ran although its report could not be written";
}

TEST(BadInputTable, JsonPathIsADirectory) {
    require_root();
    TempDir dir;
    CommandResult result = run_command({capprof_bin(), "run", "--json", dir.path(), "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, dir.path());
}

TEST(BadInputTable, UnwritableReportPath) {
    require_root();
    CommandResult result = run_command(
        {capprof_bin(), "run", "--report", "/nonexistent-capprof-dir/report.txt", "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "/nonexistent-capprof-dir/report.txt");
}

TEST(BadInputTable, ProbeThatNeverSucceedsStopsTheWorkload) {
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

TEST(BadInputTable, UnknownFormat) {
    CommandResult result = run_command({capprof_bin(), "run", "--format", "yaml", "--", "/bin/true"}, 30s);
    EXPECT_TRUE(result.exited(125)) << result;
    EXPECT_NE(result.err.find("yaml"), std::string::npos) << result;
}

TEST(BadInputTable, UnknownUser) {
    CommandResult result =
        run_command({capprof_bin(), "run", "--user", "capprof-no-such-user", "--", "/bin/true"}, 30s);
    expect_one_line_error(result, 125, "capprof-no-such-user");
}

TEST(BadInputTable, NegativeDuration) {
    CommandResult result = run_command({capprof_bin(), "run", "--duration", "-1", "--", "/bin/true"}, 30s);
    EXPECT_TRUE(result.exited(125)) << result;
}

TEST(BadInputTable, DurationThatIsNotAUsableNumberOfSeconds) {
    // 1e10 used to overflow the timer and kill the workload at once; nan
    // and inf passed CLI11's range check.
    for (const char* value : {"0", "nan", "inf", "1e10", "1e400"}) {
        Witness witness;
        CommandResult result =
            run_command(with_command({capprof_bin(), "run", "--duration", value, "--"}, witness.command()), 30s);
        expect_one_line_error(result, 125, "--duration: expected a number of seconds above 0 and at most 31536000");
        EXPECT_LT(result.err.size(), 200u) << "no 300-digit bound\n" << result;
        EXPECT_FALSE(witness.ran()) << value;
    }
    CommandResult timeout =
        run_command({capprof_bin(), "run", "--ready-timeout", "nan", "--probe", "true", "--", "/bin/true"}, 30s);
    expect_one_line_error(timeout, 125, "--ready-timeout");
}

TEST(BadInputTable, MistypedOptionIsNamed) {
    Witness witness;
    CommandResult result =
        run_command(with_command({capprof_bin(), "run", "--cap-ad", "CHOWN", "--"}, witness.command()), 30s);
    expect_one_line_error(result, 125, "unknown option --cap-ad");
    EXPECT_FALSE(witness.ran());
}

TEST(BadInputTable, RulesForAnUnknownSyscall) {
    CommandResult result = run_command({capprof_bin(), "rules", "--syscall", "mout"}, 30s);
    expect_one_line_error(result, 125, "unknown syscall \"mout\": did you mean mount");
    EXPECT_EQ(result.out, "") << result;
    CommandResult known = run_command({capprof_bin(), "rules", "--syscall", "mount"}, 30s);
    EXPECT_TRUE(known.exited(0)) << known;
}

TEST(BadInputTable, MinimizeWhenNotRootRefusesUpFront) {
    require_root();  // to become another user
    Witness witness;
    ::chmod(witness.dir.path().c_str(), 0777);
    CommandResult result = run_command(
        with_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", capprof_bin(),
                      "minimize", "--"},
                     witness.command()),
        30s);
    expect_one_line_error(result, 125, "minimize needs root");
    EXPECT_FALSE(witness.ran()) << "refused before the first run";
}

TEST(BadInputTable, AllowFileThatIsNotARegularFile) {
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

TEST(BadInputTable, DecodeNotHex) {
    CommandResult result = run_command({capprof_bin(), "decode", "0xZZ"}, 30s);
    expect_one_line_error(result, 125, "ZZ");
}

TEST(BadInputTable, InspectMissingProcess) {
    // pid_max is at most 2^22: this pid cannot exist.
    CommandResult result = run_command({capprof_bin(), "inspect", "99999999"}, 30s);
    expect_one_line_error(result, 125, "99999999");
}

TEST(BadInputTable, CheckWithoutAllow) {
    CommandResult result = run_command({capprof_bin(), "check", "--", "/bin/true"}, 30s);
    EXPECT_TRUE(result.exited(125)) << result;
    EXPECT_NE(result.err.find("allow"), std::string::npos) << result;
}

TEST(BadInputTable, IsolateWhereItCannotBeSetUp) {
    require_root();  // to become another user, who lacks CAP_SYS_ADMIN
    Witness witness;
    CommandResult result = run_command(with_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                                     "--", capprof_bin(), "run", "--isolate", "--"},
                                                    witness.command()),
                                       30s);
    expect_one_line_error(result, 125, "CAP_SYS_ADMIN");
    EXPECT_FALSE(witness.ran()) << "the workload ran without the isolation asked for";
}

TEST(BadInputTable, ProbeInsideWithoutProbeOrIsolateWithNoIsolate) {
    Witness witness;
    expect_one_line_error(
        run_command(with_command({capprof_bin(), "run", "--probe-inside", "--"}, witness.command()), 30s), 125,
        "--probe");
    expect_one_line_error(
        run_command(with_command({capprof_bin(), "minimize", "--isolate", "--no-isolate", "--"}, witness.command()),
                    30s),
        125, "--no-isolate");
    EXPECT_FALSE(witness.ran());
}

// --image errors that need no dockerd: each in one line, before anything runs.
TEST(BadInputTable, ImageDockerArgCapprofOwns) {
    for (const char* arg : {"--privileged", "--cap-add=NET_ADMIN", "--rm", "--entrypoint=/bin/sh"}) {
        const std::string option = std::string(arg).substr(0, std::string(arg).find('='));
        expect_one_line_error(run_command({capprof_bin(), "minimize", "--image", "busybox", "--docker-arg", arg}, 30s),
                              125, option);
    }
}

TEST(BadInputTable, ImageWithoutDockerClient) {
    expect_one_line_error(run_command({"/usr/bin/env", "PATH=/nonexistent", capprof_bin(), "run", "--image", "busybox"},
                                      30s),
                          125, "no `docker` in PATH");
}

TEST(BadInputTable, ImageDaemonUnreachable) {
    if (!have_program("docker")) GTEST_SKIP() << "no docker client here";
    TempDir dir;
    expect_one_line_error(run_command({"/usr/bin/env", "DOCKER_HOST=unix://" + (dir / "no.sock"),
                                       capprof_bin(), "check", "--allow", "none", "--image", "busybox"},
                                      60s),
                          125, "cannot reach the Docker daemon");
}

TEST(BadInputTable, ImageOptionsNeedImage) {
    for (const char* option : {"--pull", "--docker-arg=-p", "--entrypoint=/bin/sh"})
        expect_one_line_error(run_command({capprof_bin(), "run", option, "--", "/bin/true"}, 30s), 125, "--image");
}

}  // namespace
}  // namespace capprof::e2e
