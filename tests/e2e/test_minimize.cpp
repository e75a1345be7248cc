// `capprof minimize` on real Debian programs, as root; every recommended set
// is then checked independently with util-linux setpriv, which reproduces
// `docker run --cap-drop ALL --cap-add ...` (KERNEL-NOTES.md).
#include <linux/capability.h>
#include <sys/xattr.h>

#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

// The workload of the issue: three calls, three capabilities, in order.
struct ShellWorkload {
    TempDir dir;
    std::vector<std::string> command;
    ShellWorkload() {
        dir.file("f");
        // rm first: the workload must behave the same on every run.
        command = {"sh", "-ec", "T=" + dir.path() + "; rm -f $T/d; chown 1000 $T/f; mknod $T/d c 1 3; chroot / true"};
    }
};

// A copy of /bin/true carrying file capabilities NET_ADMIN and NET_RAW
// (+ep): execve fails with EPERM unless both are in the bounding set.
std::string true_with_two_file_caps(const TempDir& dir) {
    std::string path = dir / "true-caps";
    if (!sh("cp /bin/true " + path).exited(0)) return "";
    vfs_cap_data value{};
    value.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
    value.data[0].permitted = (1u << CAP_NET_ADMIN) | (1u << CAP_NET_RAW);
    if (::setxattr(path.c_str(), "security.capability", &value, XATTR_CAPS_SZ_2, 0) != 0) return "";
    return path;
}

TEST(MinimizeE2E, FileCapabilitiesNeededTogetherAreAddedTogether) {
    require_root();
    TempDir dir;
    std::string program = true_with_two_file_caps(dir);
    if (program.empty()) GTEST_SKIP() << "cannot set file capabilities in " << dir.path();

    // run: cap_add names both, or pasting it would fail again.
    CapprofRun once = capprof_run({program});
    ASSERT_TRUE(once.has_report()) << once;
    json f = find_finding(once.report, "execve");
    ASSERT_FALSE(f.is_null()) << once;
    EXPECT_EQ(f["capability"], "NET_ADMIN") << f.dump(2);
    EXPECT_EQ(f["together"], json::array({"NET_RAW"})) << f.dump(2);
    EXPECT_EQ(strings(once.report["cap_add"]), (std::vector<std::string>{"NET_ADMIN", "NET_RAW"}))
        << once.report.dump(2);
    EXPECT_NE(once.process.err.find("NET_RAW too"), std::string::npos) << once;

    // minimize: one failed run, then one with both; each verified needed.
    CapprofRun run = run_capprof("minimize", {}, {program}, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"NET_ADMIN", "NET_RAW"}))
        << run.report.dump(2);
    const json& runs = run.report["runs"];
    // explore x2, the reference that may switch users, without NET_ADMIN, without NET_RAW
    ASSERT_EQ(runs.size(), 5u) << run.report.dump(2);
    EXPECT_FALSE(runs[0]["success"].get<bool>()) << runs.dump(2);
    EXPECT_TRUE(runs[1]["success"].get<bool>()) << runs.dump(2);
    EXPECT_EQ(runs[2]["purpose"], "reference: may switch users") << runs.dump(2);
    EXPECT_FALSE(runs[3]["success"].get<bool>()) << runs.dump(2);
    EXPECT_FALSE(runs[4]["success"].get<bool>()) << runs.dump(2);
    // And the answer works outside capprof.
    EXPECT_TRUE(run_command(under_setpriv({"NET_ADMIN", "NET_RAW"}, {program}), 30s).exited(0));
    EXPECT_FALSE(run_command(under_setpriv({"NET_ADMIN"}, {program}), 30s).exited(0));
}

TEST(MinimizeE2E, IptablesLegacyListingNeedsNetRawThenNetAdmin) {
    require_root();
    // A raw socket first (NET_RAW), then getsockopt(IPT_SO_GET_INFO) (NET_ADMIN).
    const std::vector<std::string> command = {"iptables-legacy", "-L", "-n"};
    if (!run_command(command, 30s).exited(0)) GTEST_SKIP() << "iptables-legacy -L does not work here as root";
    CapprofRun run = run_capprof("minimize", {}, command, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"NET_ADMIN", "NET_RAW"}))
        << run.report.dump(2);
    json get = find_finding(run.report, "getsockopt");
    ASSERT_FALSE(get.is_null()) << run.report.dump(2);
    EXPECT_NE(get.value("args", "").find("IPT_SO_GET_INFO"), std::string::npos) << get.dump(2);
    EXPECT_TRUE(run_command(under_setpriv({"NET_ADMIN", "NET_RAW"}, command), 30s).exited(0));
    EXPECT_FALSE(run_command(under_setpriv({"NET_RAW"}, command), 30s).exited(0));
}

TEST(MinimizeE2E, ShellScriptConvergesToChownMknodSysChroot) {
    require_root();
    ShellWorkload w;
    CapprofRun run = run_capprof("minimize", {}, w.command, 120s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), (std::vector<std::string>{"CHOWN", "SYS_CHROOT", "MKNOD"}))
        << run.report.dump(2);
    EXPECT_TRUE(run.report["optional"].empty()) << run.report.dump(2);

    // 4 exploration runs (none, +CHOWN, +MKNOD, +SYS_CHROOT), the reference
    // that may switch users, and 3 checks.
    const json& runs = run.report["runs"];
    ASSERT_EQ(runs.size(), 8u) << runs.dump(2);
    EXPECT_TRUE(runs[0]["granted"].empty());
    EXPECT_FALSE(runs[0]["success"].get<bool>());
    EXPECT_EQ(strings(runs[1]["granted"]), std::vector<std::string>{"CHOWN"});
    EXPECT_EQ(strings(runs[2]["granted"]), (std::vector<std::string>{"CHOWN", "MKNOD"}));
    EXPECT_TRUE(runs[3]["success"].get<bool>());
    EXPECT_EQ(runs[4]["purpose"], "reference: may switch users") << runs.dump(2);
    for (std::size_t i = 5; i < 8; ++i) {
        EXPECT_FALSE(runs[i]["success"].get<bool>()) << runs[i].dump();
        EXPECT_EQ(runs[i]["granted"].size(), 2u) << runs[i].dump();
    }
    for (const char* syscall : {"chown", "mknod", "chroot"}) {
        json f = find_finding(run.report, {syscall, std::string(syscall) + "at", "fchownat"});
        ASSERT_FALSE(f.is_null()) << syscall << "\n" << run.report.dump(2);
        EXPECT_TRUE(f["required"].get<bool>()) << f.dump(2);
    }

    // Progress on stderr, as docs/ARCHITECTURE.md shows it.
    EXPECT_NE(run.process.err.find("run 1  held: none"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("run 2  held: CHOWN"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("held: +MKNOD"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("each fails"), std::string::npos) << run;
    EXPECT_NE(run.process.err.find("minimal: CHOWN SYS_CHROOT MKNOD  (4 runs + 4 checks"), std::string::npos)
        << run;

    // Independently: the set works, and each capability is needed.
    auto caps = strings(run.report["cap_add"]);
    EXPECT_TRUE(run_command(under_setpriv(caps, w.command), 30s).exited(0));
    for (const auto& cap : caps) {
        std::vector<std::string> fewer;
        for (const auto& c : caps)
            if (c != cap) fewer.push_back(c);
        EXPECT_FALSE(run_command(under_setpriv(fewer, w.command), 30s).exited(0)) << "without " << cap;
    }
}

TEST(MinimizeE2E, QuietPrintsNothingOfItsOwnAndPassesOnlyTheFirstRunsOutput) {
    require_root();
    ShellWorkload w;
    CapprofRun run = run_capprof("minimize", {"-q"}, w.command, 120s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    // Only the workload's own output of the first run (chown's complaint).
    EXPECT_EQ(run.process.err.find("run 1"), std::string::npos) << run;
    EXPECT_EQ(run.process.err.find("minimal:"), std::string::npos) << run;
    EXPECT_EQ(line_count(run.process.err), 1u) << run;
    EXPECT_NE(run.process.err.find("chown:"), std::string::npos) << run;
    EXPECT_TRUE(run.has_report()) << run;
}

TEST(MinimizeE2E, BusyboxHttpdWithProbeNeedsNetBindServiceAndLeavesNothingBehind) {
    require_root();
    if (!have_program("busybox") || !have_program("curl")) GTEST_SKIP() << "needs busybox and curl";
    if (!port_is_free(80)) GTEST_SKIP() << "port 80 is already in use on this machine";
    TempDir www;
    www.file("index.html", 0644, 0, 0, "hello from capprof minimize\n");
    std::vector<std::string> command{"busybox", "httpd", "-f", "-p", "80", "-h", www.path()};
    CapprofRun run = run_capprof("minimize", {"--probe", "curl -sf http://127.0.0.1:80/", "--ready-timeout", "5"},
                                 command, 180s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"NET_BIND_SERVICE"}) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("probe ok"), std::string::npos) << run;
    EXPECT_EQ(run.report["runs"].size(), 4u)
        << "explore none, explore +NET_BIND_SERVICE, the reference that may switch users, verify without it\n"
        << run.report["runs"].dump(2);
    EXPECT_TRUE(processes_mentioning(www.path()).empty()) << "a busybox httpd is left behind";

    // setpriv with the set: it serves.
    ASSERT_TRUE(port_is_free(80));
    {
        Background server(under_setpriv({"NET_BIND_SERVICE"}, command));
        EXPECT_TRUE(serves("http://127.0.0.1:80/")) << "busybox httpd under setpriv +net_bind_service";
        server.process().kill_all(SIGKILL);
    }
}

// nginx with a master running as root and workers as www-data.
struct NginxSite {
    TempDir dir;
    std::vector<std::string> command;
    NginxSite() {
        dir.dir("www");
        dir.file("www/index.html", 0644, 0, 0, "nginx under capprof\n");
        const std::string& t = dir.path();
        std::ofstream(dir / "nginx.conf")
            << "user www-data;\n"
               "daemon off;\n"
               "master_process on;\n"
               "worker_processes 1;\n"
               "pid " << t << "/nginx.pid;\n"
               "error_log " << t << "/error.log;\n"
               "events { worker_connections 64; }\n"
               "http {\n"
               "  access_log " << t << "/access.log;\n"
               "  client_body_temp_path " << t << "/client_body;\n"
               "  proxy_temp_path " << t << "/proxy;\n"
               "  fastcgi_temp_path " << t << "/fastcgi;\n"
               "  uwsgi_temp_path " << t << "/uwsgi;\n"
               "  scgi_temp_path " << t << "/scgi;\n"
               "  server { listen 80; root " << t << "/www; }\n"
               "}\n";
        command = {"nginx", "-p", t, "-e", t + "/error.log", "-c", t + "/nginx.conf"};
    }
};

TEST(MinimizeE2E, NginxAsWwwDataGetsASetThatStartsIt) {
    require_root();
    if (!have_program("nginx") || !have_program("curl")) GTEST_SKIP() << "needs nginx and curl";
    if (!port_is_free(80)) GTEST_SKIP() << "port 80 is already in use on this machine";
    NginxSite site;
    const std::vector<std::string> probe{"--probe", "curl -sf http://127.0.0.1:80/", "--ready-timeout", "5"};
    CapprofRun run = run_capprof("minimize", probe, site.command, 300s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    auto caps = strings(run.report["cap_add"]);
    for (const char* needed : {"NET_BIND_SERVICE", "SETGID", "SETUID"})
        EXPECT_NE(std::find(caps.begin(), caps.end(), needed), caps.end()) << needed << "\n" << run.report.dump(2);
    EXPECT_TRUE(processes_mentioning(site.dir.path()).empty()) << "an nginx process is left behind";

    // A second, independent run through the gate with exactly that set.
    std::string allow;
    for (const auto& cap : caps) allow += (allow.empty() ? "" : ",") + cap;
    std::vector<std::string> check_options = probe;
    check_options.insert(check_options.end(), {"--allow", allow, "--skip-unused"});
    CapprofRun check = run_capprof("check", check_options, site.command, 120s);
    EXPECT_TRUE(check.process.exited(0)) << check;
    EXPECT_TRUE(processes_mentioning(site.dir.path()).empty()) << "an nginx process is left behind";

    // And with setpriv.
    ASSERT_TRUE(port_is_free(80));
    {
        Background server(under_setpriv(caps, site.command));
        EXPECT_TRUE(serves("http://127.0.0.1:80/")) << "nginx under setpriv with " << allow;
        server.process().kill_all(SIGTERM);
        server.process().wait(10s);
    }
}

TEST(MinimizeE2E, NiceReportsSysNiceAsOptional) {
    require_root();
    std::vector<std::string> command{"nice", "-n", "-5", "true"};
    CapprofRun run = run_capprof("minimize", {}, command, 60s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
    EXPECT_EQ(strings(run.report["optional"]), std::vector<std::string>{"SYS_NICE"}) << run.report.dump(2);
    json f = find_finding(run.report, "setpriority");
    ASSERT_FALSE(f.is_null()) << run.report.dump(2);
    EXPECT_EQ(f["capability"], "SYS_NICE");
    EXPECT_FALSE(f["required"].get<bool>()) << f.dump(2);
    EXPECT_NE(run.process.err.find("minimal: none"), std::string::npos) << run;
    EXPECT_TRUE(run_command(under_setpriv({}, command), 10s).exited(0));
}

TEST(MinimizeE2E, ImmutableFileConvergesToNoCapability) {
    require_root();
    TempDir dir;
    std::string file = dir.file("locked");
    if (!sh("chattr +i " + file).exited(0))
        GTEST_SKIP() << "the filesystem of " << dir.path() << " does not support chattr +i";
    struct Unlock {
        std::string path;
        ~Unlock() { sh("chattr -i " + path); }
    } unlock{file};
    std::vector<std::string> command{"sh", "-c", "echo changed > " + file};
    CapprofRun run = run_capprof("minimize", {}, command, 60s);
    EXPECT_TRUE(run.process.exited(1)) << "no set makes it work\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
    bool not_capability = false;
    for (const auto& f : run.findings())
        if (f.value("verdict", "") == "not-capability" && f.value("path", json()).is_string() &&
            f["path"] == file)
            not_capability = true;
    EXPECT_TRUE(not_capability) << run.report.dump(2);
    EXPECT_NE(run.process.err.find("no working set"), std::string::npos) << run;
}

}  // namespace
}  // namespace capprof::e2e
