// Aggregation of identical failures: bounded memory whatever the workload does.
#include <gtest/gtest.h>

#include "collector.hpp"
#include "test_session_canned_runner.hpp"

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

}  // namespace
}  // namespace capprof
