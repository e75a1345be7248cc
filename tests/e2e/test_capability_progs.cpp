// Each test program of tests/progs makes one call that needs one capability.
// capprof must name the call, the capability, the process, and re-running
// with --cap-add of that capability must make the failure go away.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

Expected prog_case(const std::string& name, std::vector<std::string> args, const std::string& syscall,
                   const std::string& err, const std::string& capability) {
    std::vector<std::string> command = {prog(name)};
    command.insert(command.end(), args.begin(), args.end());
    Expected e = capability_case(name, std::move(command), syscall, err, capability);
    e.exe = prog(name);
    return e;
}

// One program, one call, one capability: the finding names them, and the
// program works with that capability added.
struct ProgRow {
    const char* name;
    const char* program;
    std::vector<std::string> args;
    const char* syscall;
    const char* err;
    const char* capability;
};

std::ostream& operator<<(std::ostream& out, const ProgRow& row) { return out << row.name; }

const ProgRow one_call_programs[] = {
    {"RawSocketNeedsNetRaw", "raw_socket", {}, "socket", "EPERM", "NET_RAW"},
    {"PacketSocketNeedsNetRaw", "packet_socket", {}, "socket", "EPERM", "NET_RAW"},
    {"SetuidNeedsSetuid", "setuid_1000", {}, "setuid", "EPERM", "SETUID"},
    {"SetgidNeedsSetgid", "setgid", {}, "setgid", "EPERM", "SETGID"},
    {"SetgroupsNeedsSetgid", "setgroups", {}, "setgroups", "EPERM", "SETGID"},
    {"ChrootNeedsSysChroot", "chroot_dot", {}, "chroot", "EPERM", "SYS_CHROOT"},
    {"SethostnameNeedsSysAdmin", "sethostname", {}, "sethostname", "EPERM", "SYS_ADMIN"},
    {"UnshareMountNamespaceNeedsSysAdmin", "unshare_ns", {}, "unshare", "EPERM", "SYS_ADMIN"},
    {"UnshareUtsNamespaceNeedsSysAdmin", "unshare_ns", {"uts"}, "unshare", "EPERM", "SYS_ADMIN"},
    {"NegativeNiceNeedsSysNiceAndFailsWithEacces", "setpriority_neg", {}, "setpriority", "EACCES", "SYS_NICE"},
    {"SchedFifoNeedsSysNice", "sched_fifo", {}, "sched_setscheduler", "EPERM", "SYS_NICE"},
    {"ClockSettimeNeedsSysTime", "settime", {}, "clock_settime", "EPERM", "SYS_TIME"},
    {"MlockWithoutMemlockLimitNeedsIpcLock", "mlock_big", {}, "mlock", "EPERM", "IPC_LOCK"},
    {"ShmLockWithoutMemlockLimitNeedsIpcLock", "shm_lock", {}, "shmctl", "EPERM", "IPC_LOCK"},
    {"AcctNeedsSysPacct", "acct", {}, "acct", "EPERM", "SYS_PACCT"},
    // sendmsg succeeds; the refusal is the NLMSG_ERROR that recvmsg returns.
    {"RtnetlinkSetlinkNeedsNetAdminFromTheReply", "netlink_setlink", {}, "recvmsg", "EPERM", "NET_ADMIN"},
};

class OneCallProgram : public ::testing::TestWithParam<ProgRow> {};

TEST_P(OneCallProgram, NamesTheCapabilityThatFixesIt) {
    require_root();
    const ProgRow& row = GetParam();
    expect_capability_roundtrip(prog_case(row.program, row.args, row.syscall, row.err, row.capability));
}

INSTANTIATE_TEST_SUITE_P(CapabilityProgs, OneCallProgram, ::testing::ValuesIn(one_call_programs),
                         [](const ::testing::TestParamInfo<ProgRow>& info) { return info.param.name; });

TEST(CapabilityProgs, BindPort80NeedsNetBindService) {
    require_root();
    auto e = prog_case("bind_port80", {}, "bind", "EACCES", "NET_BIND_SERVICE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("args", "").find("0.0.0.0:80"), std::string::npos) << f.dump(2);
    }
    expect_fixed_by(e, "NET_BIND_SERVICE");
}

TEST(CapabilityProgs, BindPort80Inet6NeedsNetBindService) {
    require_root();
    auto e = prog_case("bind_port80", {"-6"}, "bind", "EACCES", "NET_BIND_SERVICE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("args", "").find("AF_INET6"), std::string::npos) << f.dump(2);
    }
    expect_fixed_by(e, "NET_BIND_SERVICE");
}

TEST(CapabilityProgs, BindHighPortNeedsNothing) {
    require_root();
    CapprofRun run = capprof_run({prog("bind_port80"), "", "28080"});
    EXPECT_EQ(run.process.exit_code, 0) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(findings_for(run.report, "bind").empty()) << run.report.dump(2);
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
}

TEST(CapabilityProgs, ChownNeedsChown) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("owned-by-root");
    auto e = prog_case("chown_file", {file}, "chown", "EPERM", "CHOWN");
    e.path = file;
    expect_capability_roundtrip(e);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 1000u) << "the chown with CHOWN granted really happened";
}

TEST(CapabilityProgs, KillOfAnotherUidNeedsKill) {
    require_root();
    // The target is the workload's own child running as uid 65534: capprof,
    // like a container, refuses signals to processes it did not start
    // (test_hostile_containment.cpp).
    auto e = prog_case("kill_other", {"--child"}, "kill", "EPERM", "KILL");
    expect_finding(e, {"SETUID", "SETGID"});
    CapprofRun run = capprof_run(e.command, {"SETUID", "SETGID", "KILL"}, e.limit);
    EXPECT_TRUE(run.process.exited(0)) << "with KILL the SIGTERM reached the child\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    for (const auto& f : findings_for(run.report, "kill"))
        EXPECT_NE(f.value("errno", ""), "EPERM") << "still failing with --cap-add KILL: " << f.dump(2);
}

TEST(CapabilityProgs, MknodCharDeviceNeedsMknod) {
    require_root();
    TempDir tmp;
    auto e = prog_case("mknod_dev", {tmp / "null"}, "mknodat", "EPERM", "MKNOD");
    e.path = tmp / "null";
    expect_capability_roundtrip(e);
    struct stat st {};
    ASSERT_EQ(::stat((tmp / "null").c_str(), &st), 0) << "with MKNOD the device node exists";
    EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(CapabilityProgs, MountTmpfsNeedsSysAdmin) {
    require_root();
    TempDir tmp;
    std::string dir = tmp.dir("mnt");
    auto e = prog_case("mount_tmpfs", {dir}, "mount", "EPERM", "SYS_ADMIN");
    expect_capability_roundtrip(e);
}

TEST(CapabilityProgs, PtraceOfMorePrivilegedProcessNeedsSysPtrace) {
    require_root();
    Background target({"sleep", "30"});
    ASSERT_TRUE(wait_for_exec(target.pid(), "sleep"));
    expect_capability_roundtrip(
        prog_case("ptrace_attach", {std::to_string(target.pid())}, "ptrace", "EPERM", "SYS_PTRACE"));
}

TEST(CapabilityProgs, ProcEnvironOfMorePrivilegedProcessNeedsSysPtrace) {
    require_root();
    Background target({"sleep", "30"});
    ASSERT_TRUE(wait_for_exec(target.pid(), "sleep"));
    std::string path = "/proc/" + std::to_string(target.pid()) + "/environ";
    auto e = prog_case("proc_environ", {std::to_string(target.pid())}, "openat", "EACCES", "SYS_PTRACE");
    e.path = path;
    expect_capability_roundtrip(e);
}

TEST(CapabilityProgs, RealtimeIoPriorityNeedsSysNiceNotSysAdmin) {
    require_root();
    auto e = prog_case("ioprio_rt", {}, "ioprio_set", "EPERM", "SYS_NICE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_TRUE(json_array_contains(f["alternatives"], "SYS_ADMIN")) << f.dump(2);
    }
    expect_fixed_by(e, "SYS_NICE");
}

TEST(CapabilityProgs, SyslogReadNeedsSyslog) {
    require_root();
    if (read_file("/proc/sys/kernel/dmesg_restrict").rfind("1", 0) != 0)
        GTEST_SKIP() << "kernel.dmesg_restrict is not 1: reading the kernel log needs no capability here";
    expect_capability_roundtrip(prog_case("syslog_read", {}, "syslog", "EPERM", "SYSLOG"));
}

TEST(CapabilityProgs, SettingFileCapabilitiesNeedsSetfcap) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("binary", 0755);
    auto e = prog_case("setxattr_cap", {file}, "setxattr", "EPERM", "SETFCAP");
    e.path = file;
    expect_capability_roundtrip(e);
}

TEST(CapabilityProgs, ChmodOfAnotherUsersFileNeedsFowner) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("theirs", 0600, 1000, 1000);
    auto e = prog_case("fowner_chmod", {file}, "chmod", "EPERM", "FOWNER");
    e.path = file;
    expect_capability_roundtrip(e);
}

TEST(CapabilityProgs, SettingImmutableFlagNeedsLinuxImmutable) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("plain");
    if (!sh("chattr +i '" + file + "' && chattr -i '" + file + "'").exited(0))
        GTEST_SKIP() << "the filesystem of " << tmp.path() << " does not support chattr +i";
    auto e = prog_case("linux_immutable", {file}, "ioctl", "EPERM", "LINUX_IMMUTABLE");
    expect_capability_roundtrip(e);
    sh("chattr -i '" + file + "'");
}

TEST(CapabilityProgs, CapsetOfInheritableIsFixedByTheNamedCapability) {
    require_root();
    // A new inheritable capability must be in the bounding set, so SETPCAP
    // alone never fixes this (security/commoncap.c cap_capset): whatever
    // capprof names must really make the call succeed.
    Expected e;
    e.program = "capset_inh";
    e.command = {prog("capset_inh")};
    e.syscall = "capset";
    e.err = "EPERM";
    e.exe = prog("capset_inh");
    json f = expect_finding(e);
    ASSERT_FALSE(f.is_null());
    ASSERT_TRUE(f["capability"].is_string()) << f.dump(2);
    std::string cap = f["capability"];
    EXPECT_EQ(cap, "NET_BIND_SERVICE") << f.dump(2);
    if (capprof_can_grant(cap)) expect_fixed_by(e, cap);
}

TEST(CapabilityProgs, RaisingAHardLimitNeedsSysResource) {
    require_root();
    auto e = prog_case("rlimit_raise", {}, "prlimit64", "EPERM", "SYS_RESOURCE");
    expect_finding(e);
    // Root on some machines lacks SYS_RESOURCE in its bounding set: then
    // capprof cannot grant it, and neither can docker (KERNEL-NOTES.md).
    CAPPROF_REQUIRE_GRANTABLE("SYS_RESOURCE");
    expect_fixed_by(e, "SYS_RESOURCE");
}

}  // namespace
}  // namespace capprof::e2e
