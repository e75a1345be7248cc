// Answers that are safe to paste: a denied privilege drop is required even
// when the program carries on, and minimize never accepts a set under which
// the workload's processes run as other users than when they may switch.
// Every answer is checked outside capprof with setpriv.
#include <linux/capability.h>

#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

constexpr int server_port = 18381;

std::string server_url() { return "http://127.0.0.1:" + std::to_string(server_port) + "/"; }

// What the workers of drop_workers_server say they run as, started under
// setpriv with `caps`.
std::optional<std::string> workers_under(const std::vector<std::string>& caps) {
    Background server(under_setpriv(caps, {prog("drop_workers_server"), std::to_string(server_port)}));
    auto page = fetch_page(server_url());
    server.process().kill_all(SIGKILL);
    // The next server binds the same port: wait until the workers are gone.
    for (int i = 0; i < 100 && !port_is_free(server_port); ++i) std::this_thread::sleep_for(50ms);
    return page;
}

TEST(PrivilegeDropsE2E, WorkersThatCarryOnAfterAFailedDropStillNeedSetuidAndSetgid) {
    require_root();
    if (!have_program("curl")) GTEST_SKIP() << "needs curl";
    if (!port_is_free(server_port)) GTEST_SKIP() << "port " << server_port << " is in use";
    const std::vector<std::string> command{prog("drop_workers_server"), std::to_string(server_port)};
    CapprofRun run = run_capprof("minimize", {"--probe", "curl -sf " + server_url(), "--ready-timeout", "5"},
                                 command, 180s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"SETGID", "SETUID"})) << run.report.dump(2);
    EXPECT_TRUE(run.report["optional"].empty()) << "a failed drop is never optional\n" << run.report.dump(2);
    for (const char* call : {"setuid", "setgid"}) {
        json f = find_finding(run.report, call);
        ASSERT_FALSE(f.is_null()) << call << "\n" << run.report.dump(2);
        EXPECT_TRUE(f["privilege_drop"].get<bool>()) << f.dump(2);
        EXPECT_TRUE(f["required"].get<bool>()) << f.dump(2);
    }
    // setgroups(0, NULL) is a drop only when it takes a held group away
    // (unit-tested); SETGID is in the answer either way.
    json groups = find_finding(run.report, "setgroups");
    ASSERT_FALSE(groups.is_null()) << run.report.dump(2);
    EXPECT_TRUE(groups["required"].get<bool>()) << groups.dump(2);
    EXPECT_TRUE(processes_mentioning(prog("drop_workers_server")).empty()) << "a worker is left behind";

    // The answer makes the workers nobody; one capability fewer leaves them root.
    ASSERT_TRUE(port_is_free(server_port));
    EXPECT_EQ(workers_under({"SETGID", "SETUID"}).value_or("no answer"), "uid=65534 gid=65534\n");
    EXPECT_EQ(workers_under({"SETGID"}).value_or("no answer"), "uid=0 gid=65534\n");
    EXPECT_EQ(workers_under({"SETUID"}).value_or("no answer"), "uid=65534 gid=0\n");
}

TEST(PrivilegeDropsE2E, RunPutsADeniedDropIntoCapAddThoughTheServerServes) {
    require_root();
    if (!port_is_free(server_port)) GTEST_SKIP() << "port " << server_port << " is in use";
    CapprofRun run = run_capprof("run", {"--duration", "1"},
                                 {prog("drop_workers_server"), std::to_string(server_port)}, 60s);
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"SETGID", "SETUID"})) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("keeps running as root"), std::string::npos) << run;
}

TEST(PrivilegeDropsE2E, AProgramThatSilentlyKeepsRootGetsSetuidAndSetgid) {
    require_root();
    // drop_if_capable never fails a call: it switches users only when it may.
    const std::vector<std::string> command{prog("drop_if_capable")};
    CapprofRun run = run_capprof("minimize", {}, command, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"SETGID", "SETUID"})) << run.report.dump(2);
    ASSERT_TRUE(run.report.contains("notes")) << run.report.dump(2);
    EXPECT_NE(run.report["notes"].dump().find("other users"), std::string::npos) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("drop_if_capable\" as 0:0"), std::string::npos) << run;

    EXPECT_EQ(run_command(under_setpriv({"SETGID", "SETUID"}, command)).out, "euid=65534 egid=65534\n");
    EXPECT_EQ(run_command(under_setpriv({"SETGID"}, command)).out, "euid=0 egid=65534\n");
    EXPECT_EQ(run_command(under_setpriv({}, command)).out, "euid=0 egid=0\n");
}

TEST(PrivilegeDropsE2E, SetfsuidThatDidNotTakeEffectIsASilentDenial) {
    require_root();
    const std::vector<std::string> command{prog("setfsuid_nobody")};
    CapprofRun once = capprof_run(command);
    ASSERT_TRUE(once.has_report()) << once;
    json f = find_finding(once.report, "setfsuid");
    ASSERT_FALSE(f.is_null()) << once.report.dump(2);
    EXPECT_TRUE(f["errno"].is_null()) << f.dump(2);
    EXPECT_EQ(f["rule"], "setfsuid-silent") << f.dump(2);
    EXPECT_EQ(f["capability"], "SETUID") << f.dump(2);
    EXPECT_TRUE(f["privilege_drop"].get<bool>()) << f.dump(2);
    EXPECT_NE(once.process.err.find("(did not take effect)"), std::string::npos) << once;

    CapprofRun run = run_capprof("minimize", {}, command, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"SETUID"}) << run.report.dump(2);
    EXPECT_TRUE(run_command(under_setpriv({"SETUID"}, command)).exited(0));
    EXPECT_TRUE(run_command(under_setpriv({}, command)).exited(1));
}

TEST(PrivilegeDropsE2E, ADenialCapprofCannotGrantDoesNotEndTheSearch) {
    require_root();
    // capprof itself without SYS_RESOURCE (as root is on many VMs): the
    // shell's failed `ulimit -Hn` is carried past; chown is what it needs.
    TempDir dir;
    dir.file("f");
    const std::vector<std::string> command{
        "sh", "-c", "ulimit -Hn 100000000 2>/dev/null; chown 1000 " + dir.path() + "/f"};
    std::vector<std::string> argv{"setpriv", "--bounding-set=-sys_resource", "--", capprof_bin(), "minimize",
                                  "--json", dir / "r.json", "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    CommandResult result = run_command(argv, 120s);
    ASSERT_TRUE(result.exited(0)) << result;
    json report = json::parse(read_file(dir / "r.json"));
    EXPECT_EQ(strings(report["cap_add"]), std::vector<std::string>{"CHOWN"}) << report.dump(2);
    ASSERT_EQ(report["untried"].size(), 1u) << report.dump(2);
    EXPECT_EQ(report["untried"][0]["capability"], "SYS_RESOURCE") << report.dump(2);
    EXPECT_TRUE(report["untried"][0]["worked_without"].get<bool>()) << report.dump(2);
    EXPECT_NE(result.err.find("not tried here (worked without): SYS_RESOURCE"), std::string::npos) << result;
    for (const auto& run : report["runs"])
        EXPECT_FALSE(json_array_contains(run["granted"], "SYS_RESOURCE")) << run.dump();
    EXPECT_TRUE(run_command(under_setpriv({"CHOWN"}, command)).exited(0));
}

TEST(PrivilegeDropsE2E, AHostWideCapabilityIsNotExploredWithoutPermission) {
    require_root();
    // date -s needs SYS_TIME (setting the clock to now, harmless even if it were
    // granted): minimize stops and says what it would have to try.
    CapprofRun run = run_capprof("minimize", {}, {"date", "-s", "now"}, 60s);
    EXPECT_TRUE(run.process.exited(1)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    for (const auto& r : run.report["runs"]) EXPECT_FALSE(json_array_contains(r["granted"], "SYS_TIME")) << r.dump();
    EXPECT_NE(run.process.err.find("--allow-host-cap SYS_TIME"), std::string::npos) << run;
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "SYS_TIME")) << run.report.dump(2);
}

}  // namespace
}  // namespace capprof::e2e
