// Aggregation of identical failures: bounded memory whatever the workload does.
#include <gtest/gtest.h>

#include "classify/collector.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

using testing::bind_event;
using testing::open_event;

TEST(Collector, SameCallFromManyProcessesIsOneFinding) {
    Collector collector;
    for (pid_t pid = 1000; pid < 11000; ++pid) {
        SyscallEvent e = bind_event(pid);
        if (collector.wants_details(e)) collector.on_failure(e);
    }
    ASSERT_EQ(collector.findings().size(), 1u);
    EXPECT_EQ(collector.findings()[0].count, 10000u);
    EXPECT_EQ(collector.findings()[0].event.task.pid, 1000) << "the first occurrence is kept";
}

TEST(Collector, RepeatNeedsNoDetails) {
    Collector collector;
    SyscallEvent e = bind_event(1);
    ASSERT_TRUE(collector.wants_details(e));
    collector.on_failure(e);
    EXPECT_FALSE(collector.wants_details(bind_event(2)));
    EXPECT_EQ(collector.findings()[0].count, 2u);
}

TEST(Collector, RepeatSeenOnlyWithFullDetailsIsCountedOnce) {
    // The tracer may not know the exe at the first look: then on_failure counts.
    Collector collector;
    for (pid_t pid : {1, 2, 3}) {
        SyscallEvent basic = bind_event(pid);
        basic.task.exe.clear();
        if (collector.wants_details(basic)) collector.on_failure(bind_event(pid));
    }
    ASSERT_EQ(collector.findings().size(), 1u);
    EXPECT_EQ(collector.findings()[0].count, 3u);
}

TEST(Collector, DifferentCallsAreDifferentFindings) {
    Collector collector;
    std::vector<SyscallEvent> events = {bind_event(1, 80), bind_event(1, 443), open_event(1, "/a"),
                                        open_event(1, "/b"), open_event(1, "/a", EPERM)};
    SyscallEvent other_exe = bind_event(1, 80);
    other_exe.task.exe = "/usr/sbin/nginx";
    events.push_back(other_exe);
    SyscallEvent compat = bind_event(1, 80);
    compat.arch = Arch::i386;
    compat.nr = 361;
    events.push_back(compat);
    for (const auto& e : events) {
        if (collector.wants_details(e)) collector.on_failure(e);
    }
    EXPECT_EQ(collector.findings().size(), events.size());
    for (const auto& finding : collector.findings()) EXPECT_EQ(finding.count, 1u);
}

TEST(Collector, KeyUsesTheArgumentsIdentityNotTheirAddresses) {
    SyscallEvent a = open_event(1, "/a"), b = open_event(2, "/a");
    a.name = b.name = "stat";
    a.args_text = "\"/a\", 0x7ffc1000";
    b.args_text = "\"/a\", 0x7ffd2000";
    a.args_identity = b.args_identity = "\"/a\", <address>";
    EXPECT_EQ(Collector::aggregation_key(a), Collector::aggregation_key(b));
    b.args_identity = "\"/a\", NULL";
    EXPECT_NE(Collector::aggregation_key(a), Collector::aggregation_key(b));
}

TEST(Collector, AScanOfOtherProcessesIsOneFinding) {
    // start-stop-daemon --exec reads /proc/N/exe of every process.
    auto readlink_of = [](pid_t target) {
        SyscallEvent e = open_event(50, "/proc/" + std::to_string(target) + "/exe");
        e.name = "readlink";
        e.args_text = e.args_identity = "\"/proc/" + std::to_string(target) + "/exe\", <address>, 256";
        return e;
    };
    EXPECT_EQ(Collector::aggregation_key(readlink_of(1)), Collector::aggregation_key(readlink_of(4321)));
    EXPECT_EQ(Collector::aggregation_key(readlink_of(1)), Collector::aggregation_key(readlink_of(123456789)));
    // ss -p and lsof read every fd of every process.
    auto fd_of = [](pid_t target, int fd) {
        SyscallEvent e = open_event(50, "/proc/" + std::to_string(target) + "/fd/" + std::to_string(fd));
        e.name = "readlink";
        e.args_text = e.args_identity = "\"" + *e.path + "\", <address>, 63";
        return e;
    };
    EXPECT_EQ(Collector::aggregation_key(fd_of(1, 0)), Collector::aggregation_key(fd_of(77, 41)));
    EXPECT_NE(Collector::aggregation_key(fd_of(1, 0)), Collector::aggregation_key(readlink_of(1)));
    // Its own /proc entry is not another process.
    EXPECT_NE(Collector::aggregation_key(readlink_of(1)), Collector::aggregation_key(readlink_of(50)));
    // Other numbers under /proc are not pids.
    SyscallEvent sys = open_event(50, "/proc/sys/kernel/ns_last_pid");
    SyscallEvent irq = open_event(50, "/proc/irq/1/smp_affinity");
    SyscallEvent irq2 = open_event(50, "/proc/irq/2/smp_affinity");
    EXPECT_NE(Collector::aggregation_key(irq), Collector::aggregation_key(irq2));
    EXPECT_NE(Collector::aggregation_key(sys), Collector::aggregation_key(irq));
}

TEST(Collector, KeyIgnoresTaskIdentityButNotExe) {
    SyscallEvent a = bind_event(1), b = bind_event(2);
    b.task.tid = 99;
    b.task.comm = "worker";
    EXPECT_EQ(Collector::aggregation_key(a), Collector::aggregation_key(b));
    b.task.exe = "/other";
    EXPECT_NE(Collector::aggregation_key(a), Collector::aggregation_key(b));
}

TEST(Collector, KeyCannotBeForgedBySeparators) {
    SyscallEvent a = open_event(1, "/a"), b = open_event(1, "/a");
    a.path2 = "b";
    b.path = std::string("/a\0b", 4);  // a different split of the same bytes
    b.path2.reset();
    EXPECT_NE(Collector::aggregation_key(a), Collector::aggregation_key(b));
    SyscallEvent c = open_event(1, "/x"), d = open_event(1, "/x");
    d.path.reset();
    d.netlink = NetlinkError{0, 16, 5};
    EXPECT_NE(Collector::aggregation_key(c), Collector::aggregation_key(d));
}

TEST(Collector, EveryFindingIsClassifiedWithItsEvent) {
    Collector collector;
    SyscallEvent e = bind_event(4242);
    collector.on_failure(e);
    ASSERT_EQ(collector.findings().size(), 1u);
    const Finding& f = collector.findings()[0];
    EXPECT_EQ(f.event.name, "bind");
    EXPECT_EQ(f.event.task.pid, 4242);
    EXPECT_FALSE(f.explanation.empty());
}

// Feeds `e` as the tracer does.
void feed(Collector& collector, const SyscallEvent& e) {
    if (collector.wants_details(e)) collector.on_failure(e);
}

std::uint64_t total(const std::vector<Finding>& findings, std::uint64_t Finding::*field) {
    std::uint64_t sum = 0;
    for (const auto& f : findings) sum += f.*field;
    return sum;
}

TEST(CollectorBounds, DistinctFailuresBeyondTheLimitAreFoldedIntoCounts) {
    Collector collector;
    // A scan of 100 ports below 1024: one rule, one capability.
    for (int port = 1; port <= 100; ++port) feed(collector, bind_event(7, port));
    const auto& findings = collector.findings();
    ASSERT_EQ(findings.size(), Collector::max_findings_per_rule + 1) << "the limit, plus one folded finding";
    EXPECT_EQ(total(findings, &Finding::count), 100u) << "every call is counted";
    const Finding& folded = findings.back();
    EXPECT_EQ(folded.folded, 100u - Collector::max_findings_per_rule - 1);
    EXPECT_EQ(folded.capability, "NET_BIND_SERVICE") << "the folded calls still ask for it";
    ASSERT_FALSE(folded.notes.empty());
    EXPECT_NE(folded.notes.back().find("at most 32 findings per rule"), std::string::npos) << folded.notes.back();
    for (std::size_t i = 0; i + 1 < findings.size(); ++i) EXPECT_EQ(findings[i].folded, 0u);
}

TEST(CollectorBounds, EveryCapabilityKeepsAFindingBeyondTheLimits) {
    Collector collector;
    for (int port = 1; port <= 40; ++port) feed(collector, bind_event(7, port));
    // Past the limit of the bind rule, a call of another capability.
    SyscallEvent hostname = bind_event(7);
    hostname.name = "sethostname";
    hostname.nr = 170;
    hostname.sockaddr.reset();
    hostname.args_text = "\"box\", 3";
    hostname.err = EPERM;
    hostname.ret = -EPERM;
    feed(collector, hostname);
    bool bind_service = false, sys_admin = false;
    for (const auto& f : collector.findings()) {
        bind_service = bind_service || f.capability == "NET_BIND_SERVICE";
        sys_admin = sys_admin || f.capability == "SYS_ADMIN";
    }
    EXPECT_TRUE(bind_service);
    EXPECT_TRUE(sys_admin) << "a rule with room keeps its finding";
}

TEST(CollectorBounds, RepeatsOfAFoldedCallAreCountedWithoutDetails) {
    Collector collector;
    for (int port = 1; port <= 40; ++port) feed(collector, bind_event(7, port));
    const std::size_t findings = collector.findings().size();
    const std::uint64_t folded = collector.findings().back().folded;
    EXPECT_FALSE(collector.wants_details(bind_event(8, 39))) << "a folded call seen again is a repeat";
    EXPECT_EQ(collector.findings().size(), findings);
    EXPECT_EQ(collector.findings().back().folded, folded + 1);
    EXPECT_EQ(total(collector.findings(), &Finding::count), 41u);
}

TEST(CollectorBounds, StoredStringsAreShortButKeysStayExact) {
    Collector collector;
    const std::string deep = "/nonexistent-capprof/" + std::string(5000, 'd');
    feed(collector, open_event(7, deep + "/a"));
    feed(collector, open_event(7, deep + "/b"));
    const auto& findings = collector.findings();
    ASSERT_EQ(findings.size(), 2u) << "paths that differ only after the cut are different calls";
    for (const auto& f : findings) {
        ASSERT_TRUE(f.event.path);
        EXPECT_LE(f.event.path->size(), Collector::max_string + 3);
        EXPECT_EQ(f.event.path->substr(f.event.path->size() - 3), "...");
        EXPECT_LE(f.event.args_text.size(), Collector::max_string + 3);
        EXPECT_LE(f.explanation.size(), Collector::max_string + 3);
    }
    EXPECT_FALSE(collector.wants_details(open_event(8, deep + "/b")));
    EXPECT_EQ(findings[1].count, 2u);
}

TEST(CollectorBounds, ShortenCutsBetweenCharacters) {
    std::string text = "ab\xc3\xa9" "cd";  // "abécd"
    shorten(text, 3);                     // inside é
    EXPECT_EQ(text, "ab...");
    std::string ascii = "abcdef";
    shorten(ascii, 6);
    EXPECT_EQ(ascii, "abcdef");
    shorten(ascii, 4);
    EXPECT_EQ(ascii, "abcd...");
}

}  // namespace
}  // namespace capprof
