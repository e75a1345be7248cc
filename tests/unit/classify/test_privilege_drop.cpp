// Which denied identity changes are privilege drops (required whatever the
// program does next), and how the classifier and the reports treat them.
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <cerrno>

#include "classify/classifier.hpp"
#include "classify/privilege_drop.hpp"
#include "run/session.hpp"
#include "support/classify_fixture.hpp"

namespace capprof {
namespace {

using testing::Ev;

constexpr std::uint64_t unchanged = 0xffffffffu;

TEST(PrivilegeDrop, RootSwitchingToAnotherUserOrGroup) {
    EXPECT_TRUE(is_privilege_drop(Ev("setuid", EPERM).arg(0, 33).get()));
    EXPECT_TRUE(is_privilege_drop(Ev("setgid", EPERM).arg(0, 33).get()));
    EXPECT_TRUE(is_privilege_drop(Ev("setresuid", EPERM).arg(0, 33).arg(1, 33).arg(2, 33).get()));
    // seteuid(33) as glibc makes it: setresuid(-1, 33, -1).
    EXPECT_TRUE(is_privilege_drop(Ev("setresuid", EPERM).arg(0, unchanged).arg(1, 33).arg(2, unchanged).get()));
    EXPECT_TRUE(is_privilege_drop(Ev("setregid32", EPERM).arg(0, unchanged).arg(1, 33).get()));
    // setfsuid never fails: its silent denial is a drop too.
    EXPECT_TRUE(is_privilege_drop(Ev("setfsuid", 0).arg(0, 33).get()));
}

TEST(PrivilegeDrop, NotADropWhenNothingMovesAwayFromRoot) {
    EXPECT_FALSE(is_privilege_drop(Ev("setuid", EPERM).arg(0, 0).get()));
    EXPECT_FALSE(is_privilege_drop(
        Ev("setresuid", EPERM).arg(0, unchanged).arg(1, unchanged).arg(2, unchanged).get()));
    // A task that is not root switching between other users asks for
    // privilege it does not have; that is no drop.
    SyscallEvent other_user = Ev("setuid", EPERM).arg(0, 1000).get();
    other_user.task.uid = other_user.task.euid = other_user.task.suid = other_user.task.fsuid = 33;
    EXPECT_FALSE(is_privilege_drop(other_user));
    EXPECT_FALSE(is_privilege_drop(Ev("bind", EACCES).get()));
}

TEST(PrivilegeDrop, I386SixteenBitIdsUseTheirOwnMinusOne) {
    SyscallEvent keep = Ev("setreuid", EPERM).arg(0, 0xffff).arg(1, 0xffff).get();
    keep.arch = Arch::i386;
    EXPECT_FALSE(is_privilege_drop(keep));
    SyscallEvent drop = Ev("setreuid", EPERM).arg(0, 0xffff).arg(1, 33).get();
    drop.arch = Arch::i386;
    EXPECT_TRUE(is_privilege_drop(drop));
}

TEST(PrivilegeDrop, SetgroupsThatTakesAwayAHeldGroup) {
    SyscallEvent clear = Ev("setgroups", EPERM).arg(0, 0).get();
    clear.task.groups = {0, 4};
    EXPECT_TRUE(is_privilege_drop(clear)) << "setgroups(0, NULL) by a process in groups 0 and 4";

    SyscallEvent www = Ev("setgroups", EPERM).arg(0, 1).get();
    www.task.groups = {0};
    www.groups_requested = {33};
    EXPECT_TRUE(is_privilege_drop(www)) << "initgroups for www-data leaves group 0";

    SyscallEvent keeps = Ev("setgroups", EPERM).arg(0, 2).get();
    keeps.task.groups = {4};
    keeps.groups_requested = {4, 33};
    EXPECT_FALSE(is_privilege_drop(keeps)) << "only adds a group";

    SyscallEvent none_held = Ev("setgroups", EPERM).arg(0, 0).get();
    EXPECT_FALSE(is_privilege_drop(none_held)) << "nothing to take away";

    SyscallEvent too_long = Ev("setgroups", EPERM).arg(0, 1000).get();
    too_long.task.groups = {4};
    too_long.groups_requested = {4};
    too_long.groups_truncated = true;
    EXPECT_TRUE(is_privilege_drop(too_long)) << "more groups than capprof read: it cannot rule it out";
}

TEST(PrivilegeDrop, TheClassifierMarksAndExplainsIt) {
    Finding drop = classify(Ev("setuid", EPERM).arg(0, 33).text("33").get(), ClassifyContext{});
    ASSERT_EQ(drop.capability, "SETUID");
    EXPECT_TRUE(drop.privilege_drop);
    EXPECT_NE(drop.explanation.find("keeps running as root"), std::string::npos) << drop.explanation;

    Finding group = classify(Ev("setgid", EPERM).arg(0, 33).text("33").get(), ClassifyContext{});
    EXPECT_TRUE(group.privilege_drop);
    EXPECT_NE(group.explanation.find("in group 0"), std::string::npos) << group.explanation;

    Finding silent = classify(Ev("setfsuid", 0).arg(0, 33).text("33").get(), ClassifyContext{});
    EXPECT_EQ(silent.rule, "setfsuid-silent");
    EXPECT_EQ(silent.capability, "SETUID");
    EXPECT_TRUE(silent.privilege_drop);

    Finding not_a_drop = classify(Ev("setuid", EPERM).arg(0, 0).text("0").get(), ClassifyContext{});
    EXPECT_FALSE(not_a_drop.privilege_drop);
}

TEST(PrivilegeDrop, ASilentEventMatchesOnlySilentRows) {
    // A silent (errno 0) event of a call with no silent row is no finding of
    // any ordinary row: it stays unknown rather than borrowing EPERM's answer.
    Finding f = classify(Ev("setuid", 0).arg(0, 33).get(), ClassifyContext{});
    EXPECT_EQ(f.verdict, Verdict::unknown) << f.rule;
}

Finding drop_finding(const char* capability) {
    Finding f;
    f.verdict = Verdict::capability;
    f.capability = capability;
    f.privilege_drop = true;
    f.event = Ev("setuid", EPERM).arg(0, 33).get();
    return f;
}

TEST(PrivilegeDrop, ARunThatWorkedStillRecommendsTheDrop) {
    RunSpec spec;
    spec.argv = {"server"};
    RunOutcome outcome;
    outcome.result.exit = ExitStatus::exited(0);
    outcome.workload_ok = true;
    outcome.success = false;
    Finding nice;
    nice.verdict = Verdict::capability;
    nice.capability = "SYS_NICE";
    nice.event = Ev("setpriority", EACCES).get();
    outcome.findings = {drop_finding("SETUID"), nice};

    Report report = make_report(spec.argv, spec, outcome);
    EXPECT_EQ(report.cap_add, cap_bit(CAP_SETUID)) << "the drop is needed whatever the program did next";
    EXPECT_EQ(report.optional, cap_bit(CAP_SYS_NICE));
    EXPECT_TRUE(report.findings[0].required);
    EXPECT_FALSE(report.findings[1].required);
    EXPECT_EQ(privilege_drops_asked(report.findings), cap_bit(CAP_SETUID));
}

}  // namespace
}  // namespace capprof
