// Real Debian programs, as a user would profile them: the finding names the
// call, the capability, the process, and --cap-add of it makes them work.
#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

TEST(DebianPrograms, ChownNeedsChown) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("data");
    auto e = capability_case("chown", {"chown", "1000", file}, "fchownat", "EPERM", "CHOWN");
    e.path = file;
    e.exe = "/usr/bin/chown";
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, MknodNeedsMknod) {
    require_root();
    TempDir tmp;
    auto e = capability_case("mknod", {"mknod", tmp / "null", "c", "1", "3"}, "mknodat", "EPERM", "MKNOD");
    e.path = tmp / "null";
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, ChrootNeedsSysChroot) {
    require_root();
    auto e = capability_case("chroot", {"chroot", "/", "true"}, "chroot", "EPERM", "SYS_CHROOT");
    e.path = "/";
    e.exit_code = 125;  // coreutils chroot: the chroot call itself failed
    expect_capability_roundtrip(e);
}

// The current value of a sysctl, written back: harmless when it succeeds.
std::string current_value(const std::string& proc_path) {
    std::string value = read_file(proc_path);
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

TEST(DebianPrograms, SysctlIpForwardNeedsNetAdmin) {
    require_root();
    // Writing ip_forward checks CAP_NET_ADMIN even when the root-owned file's
    // mode lets uid 0 write (devinet_sysctl_forward).
    const std::string path = "/proc/sys/net/ipv4/ip_forward";
    auto e = capability_case("sysctl", {"sysctl", "-w", "net.ipv4.ip_forward=" + current_value(path)},
                             "write", "EPERM", "NET_ADMIN");
    e.path = path;
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, KernelSysctlWithASysAdminHandler) {
    require_root();
    const std::string path = "/proc/sys/kernel/dmesg_restrict";
    auto e = capability_case("sh", {"/bin/sh", "-c", "echo " + current_value(path) + " > " + path},
                             "write", "EPERM", "SYS_ADMIN");
    e.path = path;
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, UsermodehelperNeedsSetpcapAndSysModuleTogether) {
    require_root();
    const std::string path = "/proc/sys/kernel/usermodehelper/bset";
    std::vector<std::string> command = {"/bin/sh", "-c", "echo '" + current_value(path) + "' > " + path};
    CapprofRun run = capprof_run(command);
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, "write");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["path"], path) << f.dump(2);
    EXPECT_EQ(f["capability"], "SETPCAP") << f.dump(2);
    EXPECT_EQ(f["together"], json::array({"SYS_MODULE"})) << f.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "SETPCAP")) << run.report.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "SYS_MODULE")) << run.report.dump(2);
    // Both, and only both, make it work.
    if (!capprof_can_grant("SETPCAP") || !capprof_can_grant("SYS_MODULE")) {
        std::cout << "[   NOTE   ] not re-running with SETPCAP and SYS_MODULE: not in this process's bounding set\n";
        return;
    }
    EXPECT_TRUE(capprof_run(command, {"SETPCAP", "SYS_MODULE"}).process.exited(0));
    EXPECT_FALSE(capprof_run(command, {"SETPCAP"}).process.exited(0));
    EXPECT_FALSE(capprof_run(command, {"SYS_MODULE"}).process.exited(0));
}

TEST(DebianPrograms, SetcapRaisesSetfcapItself) {
    require_root();
    // libcap2-bin's setcap raises CAP_SETFCAP in its effective set with
    // capset() before it writes security.capability: that capset fails.
    TempDir tmp;
    std::string file = tmp.file("tool", 0755);
    auto e = capability_case("setcap", {"setcap", "cap_net_raw+ep", file}, "capset", "EPERM", "SETFCAP");
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, ScanningProcIsOneFindingNotOnePerProcess) {
    require_root();
    // --exec makes start-stop-daemon readlink /proc/N/exe of every process;
    // those of processes holding capabilities (pid 1, kernel threads) fail.
    CapprofRun run = capprof_run({"start-stop-daemon", "--stop", "--quiet", "--exec", "/usr/bin/true"});
    ASSERT_TRUE(run.has_report()) << run;
    auto reads = findings_for(run.report, "readlink");
    ASSERT_EQ(reads.size(), 1u) << run.report.dump(2);
    EXPECT_EQ(reads[0]["capability"], "SYS_PTRACE") << reads[0].dump(2);
    EXPECT_GE(reads[0]["count"].get<int>(), 2) << reads[0].dump(2);
    std::string path = reads[0].value("path", "");
    EXPECT_EQ(path.rfind("/proc/", 0), 0u) << path;

    // ss -p reads /proc/N/fd/M of every process: still one finding.
    CapprofRun ss = capprof_run({"ss", "-tlnp"});
    ASSERT_TRUE(ss.has_report()) << ss;
    auto links = findings_for(ss.report, "readlink");
    ASSERT_EQ(links.size(), 1u) << ss.report.dump(2);
    EXPECT_NE(links[0].value("path", "").find("/fd/"), std::string::npos) << links[0].dump(2);
    EXPECT_GE(links[0]["count"].get<int>(), 2) << links[0].dump(2);
}

TEST(DebianPrograms, NftListRulesetNeedsNetAdmin) {
    require_root();
    // Even reading the ruleset: the nfnetlink reply carries -EPERM.
    auto e = capability_case("nft", {"nft", "list", "ruleset"}, "recvmsg", "EPERM", "NET_ADMIN");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_EQ(f["rule"], "netlink-netfilter") << f.dump(2);
        EXPECT_NE(f.value("args", "").find("NFT_MSG_"), std::string::npos) << f.dump(2);
    }
    expect_fixed_by(e, "NET_ADMIN");
}

TEST(DebianPrograms, OpeningProcKmsgNeedsSyslog) {
    require_root();
    // rsyslogd's imklog opens /proc/kmsg; dd opens it and reads nothing.
    auto e = capability_case("dd", {"dd", "if=/proc/kmsg", "of=/dev/null", "count=0", "status=none"},
                             "openat", "EPERM", "SYSLOG");
    e.path = "/proc/kmsg";
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, LoweringOomScoreAdjNeedsSysResource) {
    require_root();
    // sshd writes -1000 to its own oom_score_adj; the kernel refuses with EACCES.
    auto e = capability_case("sh", {"/bin/sh", "-c", "echo -1000 > /proc/self/oom_score_adj"}, "write", "EACCES",
                             "SYS_RESOURCE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_EQ(f["rule"], "oom-score-adj") << f.dump(2);
        std::string path = f.value("path", "");
        EXPECT_NE(path.find("/oom_score_adj"), std::string::npos) << path;
    }
    // Root's bounding set on some hosts lacks SYS_RESOURCE: only verify the fix where it can be granted.
    if (capprof_can_grant("SYS_RESOURCE")) expect_fixed_by(e, "SYS_RESOURCE");
}

TEST(DebianPrograms, IpLinkSetMtuNeedsNetAdmin) {
    require_root();
    // Set lo's MTU to the value it has: harmless when it succeeds.
    std::string mtu = read_file("/sys/class/net/lo/mtu");
    while (!mtu.empty() && mtu.back() == '\n') mtu.pop_back();
    ASSERT_FALSE(mtu.empty());
    // sendmsg succeeds; the reply carries -EPERM
    auto e = capability_case("ip", {"ip", "link", "set", "lo", "mtu", mtu},
                             "recvmsg", "EPERM", "NET_ADMIN");
    e.exit_code = 2;
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, PingFailsAtExecveBecauseOfFileCapabilities) {
    require_root();
    if (!have_program("ping") || !sh("getcap $(command -v ping) | grep -q cap_net_raw").exited(0))
        GTEST_SKIP() << "ping is missing or has no cap_net_raw file capability here";
    if (!sh("ping -c1 -W2 127.0.0.1 >/dev/null 2>&1").exited(0)) GTEST_SKIP() << "ping 127.0.0.1 fails even as root";
    // The shell's execve of ping fails: the file's capabilities are not all
    // in the new permitted set (KERNEL-NOTES "Failures that are not where you look").
    auto e = capability_case("sh", {"/bin/sh", "-c", "ping -c1 -W2 127.0.0.1"}, "execve", "EPERM", "NET_RAW");
    e.path = "/usr/bin/ping";
    e.exit_code = 126;
    expect_capability_roundtrip(e);
}

TEST(DebianPrograms, PingAsTheWorkloadItself) {
    require_root();
    if (!sh("getcap /usr/bin/ping | grep -q cap_net_raw").exited(0))
        GTEST_SKIP() << "/usr/bin/ping has no cap_net_raw file capability here";
    // Like `docker run --cap-drop ALL image ping`: the workload's own execve
    // is refused; capprof must still say why.
    const std::vector<std::string> command{"/usr/bin/ping", "-c1", "-W2", "127.0.0.1"};
    CapprofRun run = capprof_run(command);
    EXPECT_EQ(run.process.exit_code, 126) << run;
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, "execve");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["capability"], "NET_RAW") << f.dump(2);
    EXPECT_EQ(f["path"], "/usr/bin/ping") << f.dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "NET_RAW")) << run.report.dump(2);
    CapprofRun fixed = capprof_run(command, {"NET_RAW"});
    EXPECT_EQ(fixed.process.exit_code, 0) << fixed;
}

TEST(DebianPrograms, BusyboxHttpdNeedsNetBindService) {
    require_root();
    if (!have_program("busybox")) GTEST_SKIP() << "busybox is not installed";
    if (!port_is_free(80)) GTEST_SKIP() << "port 80 is already in use on this machine";
    TempDir www;
    www.file("index.html", 0644, 0, 0, "hello from capprof\n");
    auto e = capability_case("busybox", {"busybox", "httpd", "-f", "-p", "80", "-h", www.path()},
                             "bind", "EACCES", "NET_BIND_SERVICE");
    e.exe = "/usr/bin/busybox";
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("args", "").find(":80"), std::string::npos) << f.dump(2);
    }

    // With NET_BIND_SERVICE it serves until --duration stops it.
    TempDir tmp;
    std::vector<std::string> argv{capprof_bin(), "run", "--cap-add", "NET_BIND_SERVICE", "--duration", "4",
                                  "--json", tmp / "report.json", "--"};
    argv.insert(argv.end(), e.command.begin(), e.command.end());
    Process capprof(argv);
    bool served = false;
    for (int i = 0; i < 60 && !served; ++i) {
        std::this_thread::sleep_for(50ms);
        CommandResult curl = run_command({"curl", "-sf", "--max-time", "1", "http://127.0.0.1:80/index.html"}, 5s);
        served = curl.exited(0) && curl.out == "hello from capprof\n";
    }
    CommandResult result = capprof.wait(30s);
    EXPECT_TRUE(served) << "busybox httpd with NET_BIND_SERVICE answered on port 80\n" << result;
    EXPECT_FALSE(result.timed_out) << "--duration 4 stops the workload\n" << result;
    EXPECT_TRUE(port_is_free(80)) << "httpd was stopped with capprof, nothing listens on port 80 any more";
    json report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    ASSERT_TRUE(report.is_object()) << result;
    for (const auto& finding : findings_for(report, "bind"))
        EXPECT_NE(finding.value("errno", ""), "EACCES") << finding.dump(2);
}

}  // namespace
}  // namespace capprof::e2e
