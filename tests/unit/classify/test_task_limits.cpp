// /proc/TID/limits and /proc/TID/status figures the memory-lock rules compare.
#include <gtest/gtest.h>

#include <limits>

#include "classify/task_limits.hpp"

namespace capprof {
namespace {

constexpr const char* limits_text =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max open files            1024                 524288               files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n";

TEST(TaskLimits, SoftLimits) {
    EXPECT_EQ(soft_limit(limits_text, "Max locked memory"), 8388608u);
    EXPECT_EQ(soft_limit(limits_text, "Max open files"), 1024u);
    EXPECT_EQ(soft_limit(limits_text, "Max address space"), std::numeric_limits<std::uint64_t>::max());
    EXPECT_FALSE(soft_limit(limits_text, "Max locked"));
    EXPECT_FALSE(soft_limit(limits_text, "Max msgqueue size"));
}

TEST(TaskLimits, StatusFigures) {
    constexpr const char* status = "Name:\tpython3\nNStgid:\t4242\t7\nNSpid:\t4243\t8\nVmSize:\t   40960 kB\n"
                                   "VmLck:\t       4 kB\n";
    EXPECT_EQ(status_bytes(status, "VmSize"), 40960u * 1024);
    EXPECT_EQ(status_bytes(status, "VmLck"), 4096u);
    EXPECT_FALSE(status_bytes(status, "VmPin"));
    EXPECT_EQ(innermost_id(status, "NStgid"), 7);
    EXPECT_EQ(innermost_id(status, "NSpid"), 8);
}

TEST(TaskLimits, OwnMemlockState) {
    auto state = read_memlock_state(::getpid());
    ASSERT_TRUE(state);
    EXPECT_GT(state->mapped, 0u);
}

}  // namespace
}  // namespace capprof
