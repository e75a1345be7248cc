// capprof exits only after every process it started is gone, zombie or not
// (docs/ARCHITECTURE.md). Checked under a parent that does not reap strangers
// (tests/progs/reap_harness: a subreaper, as PID 1 is on this machine or in a
// container without --init): the moment capprof exits, nothing of its
// session or process group is left and nothing was re-parented to the
// harness. For run, minimize and check; for a server with a probe, a
// workload that leaves a background process, and a probe that is killed.
#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

struct HarnessResult {
    CommandResult process;
    int capprof_exit = -1;
    std::vector<std::string> left;  // "PID STATE PPID PGRP SID COMM"
};

std::ostream& operator<<(std::ostream& os, const HarnessResult& r) { return os << r.process; }

HarnessResult under_harness(const std::string& subcommand, const std::vector<std::string>& options,
                            const std::vector<std::string>& command) {
    std::vector<std::string> argv{prog("reap_harness"), capprof_bin(), subcommand, "-q"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    HarnessResult result;
    result.process = run_command(argv, 90s);
    std::istringstream lines(result.process.err);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("reap_harness: exit ", 0) == 0) result.capprof_exit = std::stoi(line.substr(19));
        if (line.rfind("reap_harness: left ", 0) == 0) result.left.push_back(line.substr(19));
    }
    return result;
}

struct LeftoverCase {
    std::string name;
    std::string subcommand;
    std::vector<std::string> options;
    std::vector<std::string> command;
};

std::string case_name(const ::testing::TestParamInfo<LeftoverCase>& info) { return info.param.name; }
void PrintTo(const LeftoverCase& c, std::ostream* os) { *os << c.name; }

class NothingLeft : public ::testing::TestWithParam<LeftoverCase> {};

TEST_P(NothingLeft, WhenCapprofExits) {
    require_root();
    const LeftoverCase& c = GetParam();
    if (::access("/bin/busybox", X_OK) != 0) GTEST_SKIP() << "needs busybox";
    TempDir www;
    www.file("index.html");
    std::vector<std::string> command = c.command;
    for (auto& arg : command)
        if (auto at = arg.find("WWW"); at != std::string::npos) arg.replace(at, 3, www.path());
    HarnessResult r = under_harness(c.subcommand, c.options, command);
    ASSERT_FALSE(r.process.timed_out) << r;
    ASSERT_GE(r.capprof_exit, 0) << "the harness did not run capprof\n" << r;
    EXPECT_TRUE(r.capprof_exit < 125 || r.capprof_exit > 127) << "capprof failed\n" << r;
    EXPECT_TRUE(r.left.empty()) << "left when capprof exited (pid state ppid pgrp sid comm):\n"
                                << join_lines(r.left) << r;
}

// busybox httpd on a port that needs no capability, started by an
// entrypoint script, probed with wget.
const std::vector<std::string> httpd = {"/bin/sh", "-c", "busybox httpd -f -p 127.0.0.1:18089 -h WWW & wait"};
const std::string httpd_probe = "busybox wget -q -O /dev/null http://127.0.0.1:18089/";
const std::vector<std::string> background_child = {"/bin/sh", "-c", "setsid sleep 30 & sleep 30 & echo started"};
// The probe attempt is killed when --ready-timeout runs out; its background
// process is in another session.
const std::vector<std::string> killed_probe = {"--probe", "setsid sleep 30 & sleep 20", "--ready-timeout", "1"};

const LeftoverCase leftover_cases[] = {
    {"run_httpd_probe", "run", {"--probe", httpd_probe}, httpd},
    {"run_background_child", "run", {}, background_child},
    {"run_killed_probe", "run", killed_probe, {"sleep", "30"}},
    {"minimize_httpd_probe", "minimize", {"--probe", httpd_probe}, httpd},
    {"minimize_background_child", "minimize", {}, background_child},
    {"minimize_killed_probe", "minimize", killed_probe, {"sleep", "30"}},
    {"check_httpd_probe", "check", {"--allow", "none", "--probe", httpd_probe}, httpd},
    {"check_background_child", "check", {"--allow", "none"}, background_child},
    {"check_killed_probe", "check", {"--allow", "none", "--probe", "setsid sleep 30 & sleep 20", "--ready-timeout", "1"},
     {"sleep", "30"}},
};
INSTANTIATE_TEST_SUITE_P(NoLeftovers, NothingLeft, ::testing::ValuesIn(leftover_cases), case_name);

// Without cgroup v2 (here: unmounted in a private mount namespace) capprof
// says so at -v and its subreaper sweep alone leaves nothing behind.
TEST(NoLeftovers, WithoutACgroupTheSweepStandsAloneAndSaysSo) {
    require_root();
    if (!have_program("unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
    std::string point;
    std::istringstream mounts(read_file("/proc/self/mountinfo"));
    for (std::string line; std::getline(mounts, line);) {
        auto dash = line.find(" - cgroup2 ");
        if (dash == std::string::npos) continue;
        std::istringstream fields(line.substr(0, dash));
        std::string id, parent, device, root;
        fields >> id >> parent >> device >> root >> point;
    }
    std::string unmount = point.empty() ? "true" : "umount " + point;
    CommandResult r = run_command({"unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                                   unmount + " && exec \"$@\"", "sh", prog("reap_harness"), capprof_bin(), "run",
                                   "-v", "--", "/bin/sh", "-c", "setsid sleep 30 & sleep 30 & echo started"},
                                  60s);
    ASSERT_FALSE(r.timed_out) << r;
    EXPECT_NE(r.err.find("reap_harness: exit 0"), std::string::npos) << r;
    EXPECT_EQ(r.err.find("reap_harness: left"), std::string::npos) << r;
    EXPECT_NE(r.err.find("no cgroup for this run"), std::string::npos) << "-v says the sweep stands alone\n" << r;
}

}  // namespace
}  // namespace capprof::e2e
