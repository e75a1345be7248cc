// The rule table itself: every name is a real capability in Docker's
// spelling, verdicts and capabilities agree, templates expand.
#include <cerrno>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "common/cap_names.hpp"
#include "classify/rules.hpp"

namespace capprof {
namespace {

bool is_placeholder(std::string_view s) { return !s.empty() && s.front() == '{' && s.back() == '}'; }

TEST(RulesTable, CapabilitiesAreRealDockerNames) {
    for (const Rule& r : rules()) {
        if (!r.capability.empty() && !is_placeholder(r.capability)) {
            auto cap = cap_from_name(r.capability);
            ASSERT_TRUE(cap) << r.id << ": " << r.capability;
            EXPECT_EQ(cap_name(*cap), r.capability) << r.id;
        }
        for (auto alt : r.alternatives) {
            if (is_placeholder(alt)) continue;
            auto cap = cap_from_name(alt);
            ASSERT_TRUE(cap) << r.id << ": " << alt;
            EXPECT_EQ(cap_name(*cap), alt) << r.id;
            EXPECT_NE(alt, r.capability) << r.id << " lists its capability as an alternative";
        }
    }
}

TEST(RulesTable, VerdictAndCapabilityAgree) {
    for (const Rule& r : rules()) {
        if (r.verdict == Verdict::not_capability) EXPECT_TRUE(r.capability.empty()) << r.id;
        else EXPECT_FALSE(r.capability.empty()) << r.id;
        EXPECT_FALSE(r.explanation.empty()) << r.id;
        EXPECT_FALSE(r.fix.empty()) << r.id;
        EXPECT_FALSE(r.condition.empty()) << r.id;
        EXPECT_GE(r.err, 0) << r.id;
        EXPECT_FALSE(errno_name(r.err == 0 ? EPERM : r.err).empty()) << r.id;
    }
}

TEST(RulesTable, RowsWithAnotherErrnoNameTheirSyscalls) {
    // The tracer watches (syscall, errno) pairs by name: "*" cannot be watched.
    for (const Rule& r : rules()) {
        if (r.err == 0 || is_denial_errno(r.err)) continue;
        EXPECT_EQ(r.syscalls.find('*'), std::string_view::npos) << r.id;
        EXPECT_FALSE(r.syscalls.empty()) << r.id;
    }
}

TEST(RulesTable, WatchedFailuresComeFromTheRowsWithAnotherErrno) {
    auto watched = watched_failures();
    auto has = [&](const std::string& name, int err) {
        for (const auto& w : watched)
            if (w.syscall == name && w.err == err) return true;
        return false;
    };
    EXPECT_TRUE(has("mlock", ENOMEM));
    EXPECT_TRUE(has("mlockall", ENOMEM));
    EXPECT_TRUE(has("mmap", EAGAIN));
    EXPECT_TRUE(has("shmctl", ENOMEM));
    EXPECT_TRUE(has("mq_open", EINVAL));
    EXPECT_TRUE(has("openat", EROFS));
    EXPECT_FALSE(has("mmap", ENOMEM));
    for (const auto& w : watched) {
        EXPECT_FALSE(is_denial_errno(w.err)) << w.syscall << " is watched with a denial errno";
        int copies = 0;
        for (const auto& other : watched) copies += other.syscall == w.syscall && other.err == w.err;
        EXPECT_EQ(copies, 1) << w.syscall << " " << errno_name(w.err);
    }
}

TEST(RulesTable, ErrnoNames) {
    EXPECT_EQ(errno_name(EPERM), "EPERM");
    EXPECT_EQ(errno_name(ENOMEM), "ENOMEM");
    EXPECT_EQ(errno_name(EROFS), "EROFS");
    EXPECT_EQ(errno_name(4095), "4095");
}

TEST(RulesTable, EveryCapabilityThatCanFailACallHasARule) {
    // capabilities(7) names that a syscall can need; the rest are listed as silent.
    std::set<std::string> named;
    for (const Rule& r : rules()) {
        named.insert(std::string(r.capability));
        if (r.capability == "{dac_cap}") named.insert({"DAC_OVERRIDE", "DAC_READ_SEARCH"});
        for (auto alt : r.alternatives) named.insert(std::string(alt));
    }
    for (const auto& s : silent_capabilities()) named.insert(std::string(s.capability));
    for (int cap = 0; cap <= cap_last_cap(); ++cap)
        EXPECT_TRUE(named.count(cap_name(cap))) << cap_name(cap) << " appears in no rule";
}

TEST(RulesTable, CoversSyscallsAndErrno) {
    const Rule* bind = nullptr;
    for (const Rule& r : rules())
        if (r.id == "bind-low-port") bind = &r;
    ASSERT_NE(bind, nullptr);
    EXPECT_TRUE(rule_covers(*bind, "bind", EACCES));
    EXPECT_FALSE(rule_covers(*bind, "bind", EPERM));
    EXPECT_FALSE(rule_covers(*bind, "bindx", EACCES));
    EXPECT_FALSE(rule_covers(*bind, "connect", EACCES));
    Rule any;
    any.id = "any";
    any.syscalls = "*";
    any.condition = "always";
    EXPECT_TRUE(rule_covers(any, "whatever", EPERM));
    EXPECT_TRUE(rule_covers(any, "whatever", EACCES));
    EXPECT_FALSE(rule_covers(any, "whatever", ENOMEM)) << "errno 0 stands for EPERM or EACCES only";
    any.err = ENOMEM;
    EXPECT_TRUE(rule_covers(any, "whatever", ENOMEM));
    EXPECT_FALSE(rule_covers(any, "whatever", EPERM));
}

TEST(RulesTable, TemplatesExpandKnownNamesOnly) {
    std::map<std::string, std::string> facts = {{"port", "80"}, {"port_start", "1024"}};
    EXPECT_EQ(expand_template("port {port} < {port_start}", facts), "port 80 < 1024");
    EXPECT_EQ(expand_template("{unknown} {port}", facts), "{unknown} 80");
    EXPECT_EQ(expand_template("unterminated {port", facts), "unterminated {port");
}

}  // namespace
}  // namespace capprof
