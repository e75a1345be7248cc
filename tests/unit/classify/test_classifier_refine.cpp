// What the task already held, its namespaces and its seccomp filter change
// the answer a rule gives.
#include <sched.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "classify/classifier.hpp"
#include "support/classify_fixture.hpp"

namespace capprof {
namespace {

using testing::Ev;
using testing::host_context;

constexpr std::uint64_t net_bind_service = 1ull << 10, sys_admin = 1ull << 21;

TEST(ClassifyRefine, CapabilityAlreadyHeldIsNotTheAnswer) {
    Finding f = classify(Ev("bind", EACCES).inet(80).cap_eff(net_bind_service), host_context());
    EXPECT_EQ(f.verdict, Verdict::not_capability);
    EXPECT_FALSE(f.capability);
    EXPECT_NE(f.explanation.find("although the task held NET_BIND_SERVICE"), std::string::npos) << f.explanation;
}

TEST(ClassifyRefine, HeldCapabilityUnderSeccompBlamesTheFilter) {
    Finding f = classify(Ev("mount", EPERM).cap_eff(sys_admin).seccomp(2), host_context());
    EXPECT_EQ(f.verdict, Verdict::not_capability);
    EXPECT_NE(f.explanation.find("seccomp filter"), std::string::npos) << f.explanation;
    EXPECT_NE(f.fix.find("allow mount in the seccomp profile"), std::string::npos) << f.fix;
}

TEST(ClassifyRefine, SeccompIsNotedWhenTheCapabilityMayStillBeMissing) {
    Finding f = classify(Ev("unshare", EPERM).arg(0, CLONE_NEWNS).seccomp(2), host_context());
    EXPECT_EQ(f.verdict, Verdict::capability);
    EXPECT_EQ(f.capability, "SYS_ADMIN");
    bool noted = false;
    for (const auto& n : f.notes) noted |= n.find("seccomp filter (Seccomp: 2)") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(ClassifyRefine, ForeignUserNamespaceTurnsACapabilityIntoNotCapability) {
    ClassifyContext c = host_context();
    c.same_userns = false;
    Finding f = classify(Ev("sethostname", EPERM), c);
    EXPECT_EQ(f.verdict, Verdict::not_capability);
    EXPECT_FALSE(f.capability);
    EXPECT_NE(f.explanation.find("user namespace of its own"), std::string::npos);
    EXPECT_NE(f.explanation.find("CAP_SYS_ADMIN"), std::string::npos) << "the original reason is kept";
}

TEST(ClassifyRefine, OwnNetworkNamespaceIsNotedForLowPorts) {
    ClassifyContext c = host_context();
    c.same_netns = false;
    Finding f = classify(Ev("bind", EACCES).inet(80), c);
    EXPECT_EQ(f.capability, "NET_BIND_SERVICE");
    bool noted = false;
    for (const auto& n : f.notes) noted |= n.find("own network namespace") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(ClassifyRefine, AmbientRaiseIsJudgedByPermittedAndInheritable) {
    // NET_ADMIN effective but not inheritable: the raise still needs it granted the Docker way.
    Finding f = classify(Ev("prctl", EPERM).sarg(0, 47).sarg(1, 2).sarg(2, 12).cap_eff(1ull << 12), host_context());
    EXPECT_EQ(f.verdict, Verdict::capability);
    EXPECT_EQ(f.capability, "NET_ADMIN");
}

TEST(ClassifyRefine, ExecNeedingSeveralFileCapabilitiesSaysSo) {
    ClassifyContext c = host_context();
    c.file_caps_permitted = (1ull << 12) | (1ull << 25);
    c.file_caps_effective = true;
    Finding f = classify(Ev("execve", EPERM).path("/usr/local/bin/tool"), c);
    EXPECT_EQ(f.capability, "NET_ADMIN");
    EXPECT_EQ(f.together, std::vector<std::string>{"SYS_TIME"});
    EXPECT_NE(f.fix.find("NET_ADMIN, SYS_TIME"), std::string::npos) << f.fix;
    EXPECT_TRUE(f.notes.empty()) << "the ping note is for ping only";
}

TEST(ClassifyRefine, PingsFileCapabilityGetsThePingGroupRangeNote) {
    ClassifyContext c = host_context();
    c.file_caps_permitted = 1ull << 13;
    c.file_caps_effective = true;
    Finding f = classify(Ev("execve", EPERM).path("/usr/bin/ping"), c);
    EXPECT_EQ(f.capability, "NET_RAW");
    EXPECT_TRUE(f.together.empty());
    ASSERT_EQ(f.notes.size(), 1u);
    EXPECT_NE(f.notes[0].find("ping_group_range"), std::string::npos) << f.notes[0];
}

TEST(ClassifyRefine, CapsetRaisingSeveralPermittedNeedsThemTogether) {
    ClassifyContext c = host_context();
    c.capset_request = CapsetRequest{0, (1ull << 12) | (1ull << 13), 0};
    Finding f = classify(Ev("capset", EPERM), c);
    EXPECT_EQ(f.rule, "capset-permitted");
    EXPECT_EQ(f.capability, "NET_ADMIN");
    EXPECT_EQ(f.together, std::vector<std::string>{"NET_RAW"});
}

TEST(ClassifyRefine, FileCapabilitiesWithinTheBoundingSetAreNotBlamed) {
    ClassifyContext c = host_context();
    c.file_caps_permitted = 1ull << 13;
    c.file_caps_effective = true;
    Ev e = Ev("execve", EPERM).path("/usr/bin/ping");
    SyscallEvent ev = e;
    ev.task.cap_bnd = 1ull << 13;
    Finding f = classify(ev, c);
    EXPECT_NE(f.rule, "exec-file-caps");
}

TEST(ClassifyRefine, ModeBitsOverriddenByAHeldCapabilityAreNotBlamed) {
    // /proc/PID/environ of another user: with DAC_READ_SEARCH held the mode
    // check passes and ptrace_may_access() is what refuses.
    ClassifyContext c = host_context();
    c.components = {testing::dir("/", 0, 0, 0755), testing::dir("/proc", 0, 0, 0555),
                    testing::dir("/proc/1234", 65534, 65534, 0555),
                    testing::file("/proc/1234/environ", 65534, 65534, 0400)};
    Finding without = classify(Ev("openat", EACCES).path("/proc/1234/environ"), c);
    EXPECT_EQ(without.capability, "DAC_READ_SEARCH");
    Finding with = classify(Ev("openat", EACCES).path("/proc/1234/environ").cap_eff(1ull << 2), c);
    EXPECT_EQ(with.verdict, Verdict::capability);
    EXPECT_EQ(with.capability, "SYS_PTRACE");
}

TEST(ClassifyRefine, UnknownKeepsWhatWasSeen) {
    Finding f = classify(Ev("frobnicate", EPERM).text("1, 2, 3"), host_context());
    EXPECT_EQ(f.verdict, Verdict::unknown);
    EXPECT_NE(f.explanation.find("frobnicate(1, 2, 3)"), std::string::npos) << f.explanation;
    EXPECT_NE(f.explanation.find("EPERM"), std::string::npos);
}

}  // namespace
}  // namespace capprof
