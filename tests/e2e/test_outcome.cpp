// What stopped a run and what it carried on past (docs/ARCHITECTURE.md,
// "Outcome"), the program's own words, and the silent denials, on real
// programs.
#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

// The finding asking for `capability`, or null.
json finding_for(const json& report, const std::string& capability) {
    for (const auto& f : report["findings"])
        if (f["capability"] == capability) return f;
    return nullptr;
}

TEST(OutcomeE2E, SuToAnotherUserIsStoppedBySetgroupsAndCarriesOnPastTheRest) {
    require_root();
    if (!have_program("su")) GTEST_SKIP() << "su is not installed";
    CapprofRun run = capprof_run({"su", "nobody", "-s", "/bin/sh", "-c", "true"});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_NE(run.process.exit_code, 0) << run;
    json drop = find_finding(run.report, {"setgroups", "setgroups32"});
    ASSERT_FALSE(drop.is_null()) << run;
    EXPECT_EQ(drop["outcome"], "stopped") << drop.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "SETGID")) << run.report.dump(2);
    // Every other denial (audit records, raising limits) was carried past:
    // none of them is recommended.
    int carried = 0;
    for (const auto& f : run.report["findings"]) {
        if (f["syscall"] == drop["syscall"]) continue;
        EXPECT_EQ(f["outcome"], "carried-on") << f.dump(2);
        if (f["capability"].is_string() && f["capability"] != "SETGID") {
            EXPECT_FALSE(json_array_contains(run.report["cap_add"], f["capability"])) << run.report.dump(2);
            EXPECT_TRUE(json_array_contains(run.report["optional"], f["capability"])) << run.report.dump(2);
        }
        ++carried;
    }
    EXPECT_GT(carried, 0) << "su is denied more than setgroups and carries on past it\n" << run;
    json audit = finding_for(run.report, "AUDIT_WRITE");
    if (!audit.is_null()) {
        EXPECT_EQ(audit["outcome"], "carried-on") << audit.dump(2);
    }
    // The text report leads with the cause.
    EXPECT_NE(run.process.err.find("stopped by: setgroups"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("carried on past:"), std::string::npos) << run;
}

TEST(OutcomeE2E, BusyboxHttpdOnPort80SaysWhatStoppedIt) {
    require_root();
    if (!have_program("busybox")) GTEST_SKIP() << "busybox is not installed";
    if (!port_is_free(80)) GTEST_SKIP() << "port 80 is already in use on this machine";
    TempDir www;
    CapprofRun run = capprof_run({"busybox", "httpd", "-f", "-p", "80", "-h", www.path()});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 1) << run;
    json bind = find_finding(run.report, "bind");
    ASSERT_FALSE(bind.is_null()) << run;
    EXPECT_EQ(bind["outcome"], "stopped") << bind.dump(2);
    EXPECT_EQ(bind["message"], "httpd: bind: Permission denied") << bind.dump(2);
    EXPECT_EQ(bind["stopped_exit"]["code"], 1) << bind.dump(2);
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"NET_BIND_SERVICE"});
    const std::string& err = run.process.err;
    EXPECT_NE(err.find("stopped by: bind("), std::string::npos) << run;
    EXPECT_NE(err.find("-> NET_BIND_SERVICE, then `httpd: bind: Permission denied`, exit 1"), std::string::npos)
        << run;
    EXPECT_NE(err.find("\n  said  httpd: bind: Permission denied\n"), std::string::npos) << run;
    EXPECT_LT(err.find("stopped by:"), err.find("NET_BIND_SERVICE   required")) << run;
}

TEST(OutcomeE2E, NiceCarriesOnAndItsCapabilityIsOptional) {
    require_root();
    CapprofRun run = capprof_run({"nice", "-n", "-5", "true"});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 0) << run;
    json f = find_finding(run.report, "setpriority");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["outcome"], "carried-on") << f.dump(2);
    EXPECT_FALSE(f["required"].get<bool>()) << f.dump(2);
    EXPECT_NE(f.value("message", "").find("nice: cannot set niceness: Permission denied"), std::string::npos)
        << f.dump(2);
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
    EXPECT_EQ(strings(run.report["optional"]), std::vector<std::string>{"SYS_NICE"});
    EXPECT_EQ(run.process.err.find("stopped by:"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("carried on past:"), std::string::npos) << run;
}

TEST(OutcomeE2E, EachChildOfAShellIsJudgedOnItsOwn) {
    require_root();
    TempDir tmp;
    const std::string file = tmp.file("data");
    // Both children fail after their denial; the shell itself exits 0.
    const std::string script = "chown 1000 '" + file + "'; mknod '" + (tmp / "null") + "' c 1 3; exit 0";
    CapprofRun run = capprof_run({"/bin/sh", "-c", script});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 0) << run;
    json chown = find_finding(run.report, {"fchownat", "chown", "lchown"});
    json mknod = find_finding(run.report, {"mknodat", "mknod"});
    ASSERT_FALSE(chown.is_null()) << run;
    ASSERT_FALSE(mknod.is_null()) << run;
    EXPECT_EQ(chown["outcome"], "stopped") << chown.dump(2);
    EXPECT_EQ(mknod["outcome"], "stopped") << mknod.dump(2);
    EXPECT_NE(chown["pid"], mknod["pid"]);
    EXPECT_NE(chown.value("message", "").find("Operation not permitted"), std::string::npos) << chown.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "CHOWN")) << run.report.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "MKNOD")) << run.report.dump(2);
}

// `chgrp GROUP DIR && chmod 2775 DIR && test -g DIR` as root, not in GROUP:
// chgrp fails without CHOWN; chmod then succeeds but the kernel clears the
// set-group-ID bit without FSETID, and only `test -g` notices.
TEST(OutcomeE2E, SetgidDirectoryEntrypointConvergesToChownAndFsetid) {
    require_root();
    if (!capprof_can_grant("CHOWN") || !capprof_can_grant("FSETID")) GTEST_SKIP() << "cannot grant CHOWN/FSETID";
    TempDir tmp;
    const std::string dir = tmp.dir("data");
    const std::string script = "chgrp daemon '" + dir + "' && chmod 2775 '" + dir + "' && test -g '" + dir + "'";
    const std::vector<std::string> command{"/bin/sh", "-c", script};
    CapprofRun run = run_capprof("minimize", {}, command, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"CHOWN", "FSETID"})) << run.report.dump(2);
    json silent = find_finding(run.report, {"fchmodat", "chmod", "fchmodat2"});
    ASSERT_FALSE(silent.is_null()) << run.report.dump(2);
    EXPECT_EQ(silent["capability"], "FSETID") << silent.dump(2);
    EXPECT_TRUE(silent["errno"].is_null()) << "a silent denial\n" << silent.dump(2);
    EXPECT_EQ(silent["rule"], "chmod-setgid-silent") << silent.dump(2);
    // setpriv reproduces `docker run --cap-drop ALL --cap-add ...`.
    auto fresh = [&] { ASSERT_TRUE(sh("chgrp root '" + dir + "' && chmod 0755 '" + dir + "'").exited(0)); };
    fresh();
    EXPECT_TRUE(run_command(under_setpriv({"CHOWN", "FSETID"}, command)).exited(0));
    fresh();
    EXPECT_FALSE(run_command(under_setpriv({"CHOWN"}, command)).exited(0));
    fresh();
    EXPECT_FALSE(run_command(under_setpriv({"FSETID"}, command)).exited(0));
}

TEST(OutcomeE2E, AKallsymsReaderThatNeedsRealAddressesNeedsSyslog) {
    require_root();
    if (read_file("/proc/sys/kernel/kptr_restrict").rfind("2", 0) == 0) GTEST_SKIP() << "kptr_restrict is 2";
    if (!capprof_can_grant("SYSLOG")) GTEST_SKIP() << "cannot grant SYSLOG";
    const std::vector<std::string> command{prog("kallsyms_addresses")};
    CapprofRun run = capprof_run(command);
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, {"openat", "open"});
    if (read_file("/proc/sys/kernel/kptr_restrict").rfind("0", 0) == 0 &&
        read_file("/proc/sys/kernel/perf_event_paranoid").rfind("1", 0) == 0) {
        EXPECT_TRUE(f.is_null()) << "addresses are shown to everyone here\n" << run;
        return;
    }
    EXPECT_EQ(run.process.exit_code, 1) << run;
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["capability"], "SYSLOG") << f.dump(2);
    EXPECT_EQ(f["path"], "/proc/kallsyms") << f.dump(2);
    EXPECT_TRUE(f["errno"].is_null()) << f.dump(2);
    EXPECT_EQ(f["outcome"], "stopped") << f.dump(2);
    EXPECT_NE(f.value("message", "").find("kernel addresses are hidden"), std::string::npos) << f.dump(2);
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"SYSLOG"});
    EXPECT_TRUE(capprof_run(command, {"SYSLOG"}).process.exited(0));
    EXPECT_TRUE(run_command(under_setpriv({"SYSLOG"}, command)).exited(0));
    // Reading /proc/net (as ss and lsof do) asks for nothing.
    CapprofRun net = capprof_run({"cat", "/proc/net/tcp", "/proc/modules"});
    for (const auto& one : net.findings()) EXPECT_NE(one["path"], "/proc/net/tcp") << one.dump(2);
}

TEST(OutcomeE2E, TheRuleTableListsTheSilentRows) {
    CommandResult table = run_command({capprof_bin(), "rules", "--json"});
    ASSERT_TRUE(table.exited(0)) << table;
    std::map<std::string, json> rows;
    for (const auto& row : json::parse(table.out)) rows[row.value("id", "")] = row;
    ASSERT_TRUE(rows.count("chmod-setgid-silent")) << table;
    ASSERT_TRUE(rows.count("kallsyms-zeroed")) << table;
    EXPECT_EQ(rows["chmod-setgid-silent"]["capability"], "FSETID");
    EXPECT_EQ(rows["kallsyms-zeroed"]["capability"], "SYSLOG");
    // The text table shows the row for the syscall, with no errno.
    CommandResult chmod = run_command({capprof_bin(), "rules", "--syscall", "fchmodat"});
    EXPECT_NE(chmod.out.find("set-group-ID asked on a file"), std::string::npos) << chmod;
    EXPECT_NE(chmod.out.find("FSETID"), std::string::npos) << chmod;
}

// check: a denial beyond the allowed set that the program carried on past
// warns; --strict fails on it; a required one fails either way.
TEST(OutcomeE2E, CheckWarnsOnCarriedOnDenialsUnlessStrict) {
    require_root();
    const std::vector<std::string> nice{"nice", "-n", "-5", "true"};
    CapprofRun lenient = run_capprof("check", {"--allow", "none"}, nice, 60s);
    EXPECT_TRUE(lenient.process.exited(0)) << lenient;
    EXPECT_NE(lenient.process.err.find("warning: it carried on past denials of SYS_NICE"), std::string::npos)
        << lenient;
    CapprofRun strict = run_capprof("check", {"--allow", "none", "--strict"}, nice, 60s);
    EXPECT_TRUE(strict.process.exited(1)) << strict;
    EXPECT_NE(strict.process.err.find("FAIL: also needs SYS_NICE"), std::string::npos) << strict;
    TempDir tmp;
    CapprofRun stopped = run_capprof("check", {"--allow", "none"}, {"chown", "1000", tmp.file("f")}, 60s);
    EXPECT_TRUE(stopped.process.exited(1)) << stopped;
    EXPECT_NE(stopped.process.err.find("FAIL: also needs CHOWN"), std::string::npos) << stopped;
}

// A server whose worker a denial stopped never serves: the trial ends about
// 2 s after that, not after the whole --ready-timeout.
TEST(OutcomeE2E, MinimizeEndsAServerTrialSoonAfterADenialStoppedIt) {
    require_root();
    if (!have_program("busybox") || !have_program("curl")) GTEST_SKIP() << "busybox or curl missing";
    if (!port_is_free(80)) GTEST_SKIP() << "port 80 is already in use on this machine";
    TempDir www;
    www.file("index.html", 0644, 0, 0, "hello\n");
    const std::string server = "busybox httpd -f -p 80 -h '" + www.path() + "' & wait; sleep 60";
    CapprofRun run = run_capprof("minimize",
                                 {"--probe", "curl -sf --max-time 1 http://127.0.0.1:80/index.html",
                                  "--ready-timeout", "40"},
                                 {"/bin/sh", "-c", server}, 200s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"NET_BIND_SERVICE"});
    const json& runs = run.report["runs"];
    ASSERT_FALSE(runs.empty()) << run;
    EXPECT_FALSE(runs[0]["success"].get<bool>()) << runs[0].dump(2);
    EXPECT_LT(runs[0]["seconds"].get<double>(), 15.0) << "not the whole --ready-timeout\n" << runs[0].dump(2);
    EXPECT_TRUE(port_is_free(80));
}

TEST(OutcomeE2E, MinimizeOfAServerWithoutProbeSaysWhatToAdd) {
    require_root();
    CapprofRun run = run_capprof("minimize", {"--no-isolate"}, {"sleep", "11"}, 60s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    EXPECT_NE(run.process.err.find("still running after 10 s"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("--probe"), std::string::npos) << run;
}

}  // namespace
}  // namespace capprof::e2e
