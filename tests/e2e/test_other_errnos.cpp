// Capability checks that fail with another errno than EPERM/EACCES: each
// test program (and python3, a real program) makes one such call, capprof
// must name the call, its errno and the capability, and granting that
// capability must make the call succeed (setpriv checks the same outside
// capprof). Also: a write to a read-only /proc/sys is no capability, and a
// uid_map that maps uid 0 needs SETFCAP (Linux 5.12+).
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

Expected memlock_case(const std::string& mode, const std::string& syscall, const std::string& err) {
    Expected e = capability_case("memlock_limit", {prog("memlock_limit"), mode}, syscall, err, "IPC_LOCK");
    e.exe = prog("memlock_limit");
    return e;
}

// `setpriv` as `docker run --cap-drop ALL --cap-add CAPS` (KERNEL-NOTES.md).
CommandResult drop_all_but(const std::string& caps, const std::vector<std::string>& command) {
    std::vector<std::string> argv{"setpriv", "--bounding-set=-all" + (caps.empty() ? "" : "," + caps),
                                  "--inh-caps=-all", "--ambient-caps=-all", "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    return run_command(argv);
}

TEST(OtherErrnos, MlockOverTheLimitSaysEnomemAndNeedsIpcLock) {
    require_root();
    expect_capability_roundtrip(memlock_case("mlock", "mlock", "ENOMEM"));
}

TEST(OtherErrnos, Mlock2OverTheLimitNeedsIpcLock) {
    require_root();
    expect_capability_roundtrip(memlock_case("mlock2", "mlock2", "ENOMEM"));
}

TEST(OtherErrnos, LockedMappingOverTheLimitSaysEagain) {
    require_root();
    expect_capability_roundtrip(memlock_case("map_locked", "mmap", "EAGAIN"));
}

TEST(OtherErrnos, MappingAfterMlockallFutureSaysEagain) {
    require_root();
    expect_capability_roundtrip(memlock_case("future", "mmap", "EAGAIN"));
}

TEST(OtherErrnos, GrowingALockedMappingSaysEagain) {
    require_root();
    expect_capability_roundtrip(memlock_case("mremap", "mremap", "EAGAIN"));
}

TEST(OtherErrnos, ShmLockOverTheLimitSaysEnomem) {
    require_root();
    expect_capability_roundtrip(memlock_case("shm", "shmctl", "ENOMEM"));
}

TEST(OtherErrnos, IoUringBuffersOverTheLimitSayEnomem) {
    require_root();
    if (!drop_all_but("", {prog("memlock_limit"), "uring"}).exited(1))
        GTEST_SKIP() << "io_uring is not available here (kernel.io_uring_disabled or a seccomp filter)";
    expect_capability_roundtrip(memlock_case("uring", "io_uring_register", "ENOMEM"));
}

TEST(OtherErrnos, SetprivAgreesThatIpcLockLiftsEachMemlockLimit) {
    require_root();
    for (const char* mode : {"mlock", "mlock2", "map_locked", "future", "mremap", "shm"}) {
        EXPECT_TRUE(drop_all_but("", {prog("memlock_limit"), mode}).exited(1)) << mode << " without IPC_LOCK";
        EXPECT_TRUE(drop_all_but("+ipc_lock", {prog("memlock_limit"), mode}).exited(0)) << mode << " with IPC_LOCK";
    }
}

TEST(OtherErrnos, MlockOfAnUnmappedRangeIsNoFinding) {
    require_root();
    // ENOMEM that no capability explains: python3 locks an address nothing is mapped at.
    CapprofRun run = capprof_run({"/usr/bin/python3", "-c",
                                  "import ctypes, sys\n"
                                  "libc = ctypes.CDLL(None, use_errno=True)\n"
                                  "libc.mlock.argtypes = [ctypes.c_void_p, ctypes.c_size_t]\n"
                                  "sys.exit(0 if libc.mlock(0x10000, 4096) else 1)"});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 0) << "mlock of an unmapped range failed\n" << run;
    EXPECT_TRUE(findings_for(run.report, "mlock").empty()) << run.report.dump(2);
    EXPECT_EQ(run.report.value("failures", -1), 0) << "no call was denied\n" << run.report.dump(2);
}

TEST(OtherErrnos, Python3MlockallNeedsIpcLock) {
    require_root();
    // A real program locking its memory, as key stores and real-time daemons
    // do: python3 is bigger than RLIMIT_MEMLOCK (8 MiB by default).
    const std::vector<std::string> python = {
        "/usr/bin/python3", "-c",
        "import ctypes, resource, sys\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_MEMLOCK)\n"
        "if soft == resource.RLIM_INFINITY or soft > 8 << 20:\n"
        "    resource.setrlimit(resource.RLIMIT_MEMLOCK, (8 << 20, hard))\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "if libc.mlockall(3) != 0:\n"
        "    print('python3: mlockall:', ctypes.get_errno())\n"
        "    sys.exit(1)\n"};
    Expected e = capability_case("python3", python, "mlockall", "ENOMEM", "IPC_LOCK");
    e.exe = "/usr/bin/python3.11";
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("explanation", "").find("RLIMIT_MEMLOCK"), std::string::npos) << f.dump(2);
    }
    expect_fixed_by(e, "IPC_LOCK");
    EXPECT_TRUE(drop_all_but("", python).exited(1)) << "setpriv without capabilities: mlockall fails";
    EXPECT_TRUE(drop_all_but("+ipc_lock", python).exited(0)) << "setpriv with +ipc_lock: mlockall works";
}

TEST(OtherErrnos, MessageQueueBeyondMsgMaxSaysEinvalAndNeedsSysResource) {
    require_root();
    Expected e = capability_case("mq_open_big", {prog("mq_open_big")}, "mq_open", "EINVAL", "SYS_RESOURCE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("fix", "").find("--sysctl fs.mqueue.msg_max="), std::string::npos) << f.dump(2);
    }
    CAPPROF_REQUIRE_GRANTABLE("SYS_RESOURCE");
    expect_fixed_by(e, "SYS_RESOURCE");
}

TEST(OtherErrnos, FdsInFlightBeyondNofileSayEtoomanyrefs) {
    require_root();
    Expected e = capability_case("unix_fds_inflight", {prog("unix_fds_inflight")}, "sendmsg", "ETOOMANYREFS",
                                 "SYS_RESOURCE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_TRUE(json_array_contains(f["alternatives"], "SYS_ADMIN")) << f.dump(2);
    }
    // SYS_ADMIN, the alternative, is grantable here where SYS_RESOURCE may not be.
    expect_fixed_by(e, "SYS_ADMIN");
    EXPECT_TRUE(drop_all_but("", {prog("unix_fds_inflight")}).exited(1));
    EXPECT_TRUE(drop_all_but("+sys_admin", {prog("unix_fds_inflight")}).exited(0));
}

TEST(OtherErrnos, UidMapOfRootNeedsSetfcap) {
    require_root();
    // unshare -U -r writes "0 0 1" to /proc/self/uid_map: since Linux 5.12
    // mapping uid 0 needs CAP_SETFCAP in the parent namespace.
    Expected e = capability_case("unshare", {"unshare", "-U", "-r", "true"}, "write", "EPERM", "SETFCAP");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("path", "").find("/uid_map"), std::string::npos) << f.dump(2);
        EXPECT_EQ(f.value("rule", ""), "userns-map-root") << f.dump(2);
    }
    expect_fixed_by(e, "SETFCAP");
    EXPECT_TRUE(drop_all_but("", {"unshare", "-U", "-r", "true"}).exited(1));
    EXPECT_TRUE(drop_all_but("+setfcap", {"unshare", "-U", "-r", "true"}).exited(0));
}

std::string sysctl_value(const std::string& path) {
    std::string value = read_file(path);
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

// capprof run in a private mount (and network) namespace where /proc/sys is
// bind-mounted read-only, as Docker mounts it in a container.
CapprofRun run_with_read_only_proc_sys(const std::string& script) {
    TempDir tmp;
    const std::string report = tmp / "report.json";
    CommandResult result = run_command(
        {"unshare", "-m", "-n", "--", "/bin/sh", "-c",
         "mount -o bind,ro /proc/sys /proc/sys && exec \"$0\" run --json \"$1\" -- /bin/sh -c \"$2\"",
         capprof_bin(), report, script});
    CapprofRun run;
    run.process = result;
    run.report = json::parse(read_file(report), nullptr, false);
    if (!run.report.is_object()) run.json_error = "no JSON in " + report;
    return run;
}

TEST(OtherErrnos, ReadOnlyProcSysIsNoCapability) {
    require_root();
    const std::string path = "/proc/sys/net/ipv4/ip_forward";
    const std::string before = sysctl_value(path);
    CapprofRun run = run_with_read_only_proc_sys("sysctl -w net.ipv4.ip_forward=0");
    EXPECT_EQ(sysctl_value(path), before) << "the host's value is unchanged";
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 1) << run;
    json f = find_finding(run.report, {"openat", "open"});
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f.value("errno", ""), "EROFS") << f.dump(2);
    EXPECT_EQ(f.value("verdict", ""), "not-capability") << f.dump(2);
    EXPECT_EQ(f.value("path", ""), path) << f.dump(2);
    EXPECT_NE(f.value("fix", "").find("docker run --sysctl net.ipv4.ip_forward=VALUE"), std::string::npos)
        << f.dump(2);
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
}

TEST(OtherErrnos, ReadOnlyHostWideSysctlIsSetOnTheHost) {
    require_root();
    const std::string path = "/proc/sys/kernel/printk_ratelimit_burst";
    const std::string value = sysctl_value(path);
    if (value.empty()) GTEST_SKIP() << path << " does not exist here";
    CapprofRun run = run_with_read_only_proc_sys("echo " + value + " > " + path);
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, {"openat", "open"});
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f.value("errno", ""), "EROFS") << f.dump(2);
    EXPECT_EQ(f.value("verdict", ""), "not-capability") << f.dump(2);
    EXPECT_NE(f.value("fix", "").find("on the host"), std::string::npos) << f.dump(2);
    EXPECT_EQ(f.value("fix", "").find("docker run --sysctl kernel."), std::string::npos) << f.dump(2);
}

TEST(OtherErrnos, InspectingAFileDoesNotBreakTheWorkloadsLease) {
    require_root();
    // lease_hold takes a write lease, then its chown fails (CHOWN): capprof
    // inspects the file while the lease is held and must not open it.
    TempDir tmp;
    const std::string file = tmp.file("leased", 0644);
    CapprofRun run = capprof_run({prog("lease_hold"), file});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.process.exit_code, 0) << "the lease was broken (SIGIO, or no longer F_WRLCK)\n" << run;
    json f = find_finding(run.report, {"chown", "fchownat"});
    ASSERT_FALSE(f.is_null()) << "the failing chown was analysed\n" << run;
    EXPECT_EQ(f.value("capability", ""), "CHOWN") << f.dump(2);
    EXPECT_EQ(f.value("path", ""), file) << f.dump(2);
}

TEST(OtherErrnos, ProcSelfIsTheTasksOwnEntry) {
    require_root();
    // As uid 1000, /proc/self/environ belongs to uid 1000 (mode 0400): the
    // owner lacks write permission. capprof's own entry belongs to root.
    CapprofRun run = capprof_run({"setpriv", "--reuid=1000", "--regid=1000", "--clear-groups",
                                  prog("proc_self_access")},
                                 {"SETUID", "SETGID"});
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, {"access", "faccessat", "faccessat2"});
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f.value("verdict", ""), "file-permission") << f.dump(2);
    EXPECT_NE(f.value("explanation", "").find("uid 1000 owns it (1000:1000, mode 0400)"), std::string::npos)
        << f.dump(2);
    EXPECT_TRUE(f["capability"].is_null()) << "uid 1000 could not use DAC_OVERRIDE\n" << f.dump(2);
}

TEST(OtherErrnos, RulesShowTheErrnoOfEachRow) {
    CommandResult text = run_command({capprof_bin(), "rules", "--syscall", "mlock"});
    ASSERT_TRUE(text.exited(0)) << text;
    EXPECT_NE(text.out.find("ERRNO"), std::string::npos) << text.out;
    std::regex mlock_row(R"((^|\n)mlock mlock2 +ENOMEM +VmLck plus the request)");
    EXPECT_TRUE(std::regex_search(text.out, mlock_row)) << text.out;
    CommandResult as_json = run_command({capprof_bin(), "rules", "--syscall", "openat", "--json"});
    ASSERT_TRUE(as_json.exited(0)) << as_json;
    json rows = json::parse(as_json.out, nullptr, false);
    ASSERT_TRUE(rows.is_array()) << as_json.out;
    bool erofs = false;
    for (const auto& row : rows) erofs |= row.value("id", "") == "read-only-kernel-interface" && row.value("errno", "") == "EROFS";
    EXPECT_TRUE(erofs) << rows.dump(2);
}

}  // namespace
}  // namespace capprof::e2e
