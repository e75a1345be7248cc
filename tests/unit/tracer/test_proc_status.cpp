// parse_proc_status / read_task_info: credentials as /proc/TID/status shows them.
#include <gtest/gtest.h>
#include <unistd.h>

#include "capprof/proc_status.hpp"

namespace capprof {
namespace {

constexpr const char* sample_status =
    "Name:\thttpd\n"
    "Umask:\t0022\n"
    "State:\tS (sleeping)\n"
    "Tgid:\t4242\n"
    "Ngid:\t0\n"
    "Pid:\t4243\n"
    "PPid:\t4200\n"
    "TracerPid:\t4200\n"
    "Uid:\t1000\t0\t0\t1000\n"
    "Gid:\t33\t34\t35\t36\n"
    "FDSize:\t64\n"
    "Groups:\t4 24 27 \n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t0000000000000400\n"
    "CapEff:\t0000000000000400\n"
    "CapBnd:\t000001fffeffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t1\n"
    "Seccomp:\t2\n"
    "Seccomp_filters:\t1\n";

TEST(ParseProcStatus, ReadsIdentityAndCredentials) {
    TaskInfo info = parse_proc_status(sample_status);
    EXPECT_EQ(info.comm, "httpd");
    EXPECT_EQ(info.tid, 4243);
    EXPECT_EQ(info.pid, 4242);
    EXPECT_EQ(info.ppid, 4200);
    EXPECT_EQ(info.uid, 1000u);
    EXPECT_EQ(info.euid, 0u);
    EXPECT_EQ(info.suid, 0u);
    EXPECT_EQ(info.fsuid, 1000u);
    EXPECT_EQ(info.gid, 33u);
    EXPECT_EQ(info.egid, 34u);
    EXPECT_EQ(info.sgid, 35u);
    EXPECT_EQ(info.fsgid, 36u);
    EXPECT_EQ(info.groups, (std::vector<gid_t>{4, 24, 27}));
}

TEST(ParseProcStatus, ReadsCapabilitiesAndSeccomp) {
    TaskInfo info = parse_proc_status(sample_status);
    EXPECT_EQ(info.cap_inh, 0u);
    EXPECT_EQ(info.cap_prm, 0x400u);
    EXPECT_EQ(info.cap_eff, 0x400u);
    EXPECT_EQ(info.cap_bnd, 0x1fffeffffffu);
    EXPECT_EQ(info.cap_amb, 0u);
    EXPECT_EQ(info.seccomp, 2);
    EXPECT_TRUE(info.no_new_privs);
}

TEST(ParseProcStatus, EmptyGroupsAndMissingFields) {
    TaskInfo info = parse_proc_status("Name:\tsh\nGroups:\t \nPid:\t7\n");
    EXPECT_EQ(info.comm, "sh");
    EXPECT_TRUE(info.groups.empty());
    EXPECT_EQ(info.tid, 7);
    EXPECT_EQ(info.pid, 0);
    EXPECT_EQ(info.seccomp, 0);
    EXPECT_FALSE(info.no_new_privs);
}

TEST(ParseProcStatus, GarbageDoesNotCrash) {
    TaskInfo info = parse_proc_status("Uid:\tx y\nCapEff:\tzz\n:\n\n\nPid");
    EXPECT_EQ(info.uid, 0u);
    EXPECT_EQ(info.cap_eff, 0u);
}

TEST(ReadTaskInfo, ReadsOwnProcess) {
    auto info = read_task_info(::getpid());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->pid, ::getpid());
    EXPECT_EQ(info->tid, ::getpid());
    EXPECT_EQ(info->ppid, ::getppid());
    EXPECT_EQ(info->euid, ::geteuid());
    EXPECT_FALSE(info->comm.empty());
    char self_exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", self_exe, sizeof self_exe);
    ASSERT_GT(n, 0);
    EXPECT_EQ(info->exe, std::string(self_exe, static_cast<std::size_t>(n)));
}

TEST(ReadTaskInfo, VanishedTaskIsNullopt) {
    EXPECT_FALSE(read_task_info(0x3ffffff).has_value());
}

}  // namespace
}  // namespace capprof
