// The task table: processes, threads, exec from a non-leader thread.
#include <gtest/gtest.h>

#include "task_table.hpp"

namespace capprof {
namespace {

TEST(TaskTable, ProcessesAndThreads) {
    TaskTable table;
    TaskState& leader = table.add_process(100);
    table.add_thread(101, leader);
    ProcessState netlink_parent;
    netlink_parent.uses_netlink = true;
    table.add_process(200, &netlink_parent);
    EXPECT_EQ(table.size(), 3u);
    EXPECT_EQ(table.processes_seen(), 2u);
    EXPECT_EQ(table.threads_seen(), 3u);
    ASSERT_NE(table.find(101), nullptr);
    EXPECT_EQ(table.find(101)->process->tgid, 100);
    EXPECT_EQ(table.find(101)->process, table.find(100)->process);
    EXPECT_TRUE(table.find(200)->process->uses_netlink);
    EXPECT_EQ(table.find(300), nullptr);
}

TEST(TaskTable, ForkedChildStartsWithItsParentsExecutableAndOwnTgid) {
    TaskTable table;
    TaskState& parent = table.add_process(100);
    parent.process->exe = "/usr/bin/ping";
    TaskState& child = table.add_process(200, parent.process.get());
    EXPECT_EQ(child.process->tgid, 200);
    EXPECT_EQ(child.process->exe, "/usr/bin/ping");
    EXPECT_NE(child.process, parent.process);
    child.process->exe.reset();  // the child exec'd
    EXPECT_EQ(table.find(100)->process->exe, "/usr/bin/ping");
}

TEST(TaskTable, EraseKeepsCountsAndInvalidatesLookup) {
    TaskTable table;
    table.add_process(100);
    ASSERT_NE(table.find(100), nullptr);  // now cached
    table.erase(100);
    EXPECT_EQ(table.find(100), nullptr);
    EXPECT_TRUE(table.empty());
    EXPECT_EQ(table.threads_seen(), 1u);
}

TEST(TaskTable, NetlinkFlagIsSharedByThreads) {
    TaskTable table;
    TaskState& leader = table.add_process(100);
    TaskState& thread = table.add_thread(101, leader);
    thread.process->uses_netlink = true;
    EXPECT_TRUE(table.find(100)->process->uses_netlink);
}

TEST(TaskTable, ExecFromNonLeaderThreadTakesOverTheLeaderTid) {
    TaskTable table;
    TaskState& leader = table.add_process(100);
    TaskState& thread = table.add_thread(101, leader);
    thread.entry.nr = 59;  // execve, entered by the thread
    table.exec_took_over(100, 101);
    EXPECT_EQ(table.find(101), nullptr);
    ASSERT_NE(table.find(100), nullptr);
    EXPECT_EQ(table.find(100)->entry.nr, 59u);
    EXPECT_EQ(table.size(), 1u);
    EXPECT_EQ(table.threads_seen(), 2u);
}

}  // namespace
}  // namespace capprof
