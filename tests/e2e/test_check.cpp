// `capprof check` as a CI gate on a real workload, and --allow-file from a
// report that `capprof minimize --json` wrote.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

struct Script {
    TempDir dir;
    std::vector<std::string> command;
    Script() {
        dir.file("f");
        command = {"sh", "-ec", "T=" + dir.path() + "; rm -f $T/d; chown 1000 $T/f; mknod $T/d c 1 3; chroot / true"};
    }
};

TEST(CheckE2E, PassesWithTheNeededSet) {
    require_root();
    Script s;
    CapprofRun run = run_capprof("check", {"--allow", "CHOWN,MKNOD", "--allow", "sys_chroot"}, s.command, 60s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["cap_add"], json({"CHOWN", "SYS_CHROOT", "MKNOD"})) << run.report.dump(2);
    // The check run, then one run without each allowed capability.
    EXPECT_EQ(run.report["runs"].size(), 4u) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("pass:"), std::string::npos) << run;
}

TEST(CheckE2E, FailsWhenACapabilityIsMissing) {
    require_root();
    Script s;
    CapprofRun run = run_capprof("check", {"--allow", "CHOWN,MKNOD"}, s.command, 60s);
    EXPECT_TRUE(run.process.exited(1)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "SYS_CHROOT")) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("FAIL: also needs SYS_CHROOT"), std::string::npos) << run;
    EXPECT_EQ(run.report["runs"].size(), 1u) << "no unused search after a failure";
}

TEST(CheckE2E, AnUnusedAllowedCapabilityIsOnlyANote) {
    require_root();
    Script s;
    CapprofRun run = run_capprof("check", {"--allow", "CHOWN,MKNOD,SYS_CHROOT,NET_RAW"}, s.command, 60s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_NE(run.process.err.find("not needed: NET_RAW"), std::string::npos) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_FALSE(json_array_contains(run.report["cap_add"], "NET_RAW")) << run.report.dump(2);
}

TEST(CheckE2E, AllowFileFromMinimize) {
    require_root();
    Script s;
    CapprofRun minimize = run_capprof("minimize", {"-q"}, s.command, 120s);
    ASSERT_TRUE(minimize.process.exited(0)) << minimize;
    ASSERT_TRUE(minimize.has_report()) << minimize;
    TempDir tmp;
    std::string committed = tmp / "capabilities.json";
    std::ofstream(committed) << minimize.report.dump(2);

    CapprofRun gate = run_capprof("check", {"--allow-file", committed, "--skip-unused"}, s.command, 60s);
    EXPECT_TRUE(gate.process.exited(0)) << gate;

    // The release starts needing more than the committed file allows.
    std::vector<std::string> more = s.command;
    more.back() += "; nice -n -1 true; ping -c1 -W1 127.0.0.1 >/dev/null";
    CapprofRun stricter = run_capprof("check", {"--allow-file", committed, "--skip-unused"}, more, 60s);
    EXPECT_TRUE(stricter.process.exited(1)) << stricter;
}

TEST(CheckE2E, AllowRightBeforeTheCommand) {
    require_root();
    Script s;
    std::vector<std::string> argv{capprof_bin(), "check", "--allow", "CHOWN,MKNOD,SYS_CHROOT", "--"};
    argv.insert(argv.end(), s.command.begin(), s.command.end());
    CommandResult r = run_command(argv, 60s);
    EXPECT_TRUE(r.exited(0)) << "--allow takes one list, not the workload after --\n" << r;
}

TEST(CheckE2E, NeedsSomethingToAllow) {
    CommandResult r = run_command({capprof_bin(), "check", "--", "true"}, 10s);
    EXPECT_TRUE(r.exited(125)) << r;
    EXPECT_NE(r.err.find("--allow"), std::string::npos) << r;
    CommandResult bad = run_command({capprof_bin(), "check", "--allow-file", "/nonexistent/x.json", "--", "true"}, 10s);
    EXPECT_TRUE(bad.exited(125)) << bad;
    EXPECT_NE(bad.err.find("/nonexistent/x.json"), std::string::npos) << bad;
}

}  // namespace
}  // namespace capprof::e2e
