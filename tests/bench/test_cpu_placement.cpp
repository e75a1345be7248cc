// CpuPlacement: what a user of `pin` and `none` can check from the outside,
// the affinity masks of capprof and of a process it forks.
#include <gtest/gtest.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu_placement.hpp"

namespace capprof {
namespace {

cpu_set_t own_mask() {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    EXPECT_EQ(sched_getaffinity(0, sizeof mask, &mask), 0);
    return mask;
}

// The number of CPUs a freshly forked child may run on (its exit status).
int child_cpu_count() {
    pid_t pid = fork();
    if (pid == 0) {
        cpu_set_t mask;
        _exit(sched_getaffinity(0, sizeof mask, &mask) == 0 ? CPU_COUNT(&mask) : 0);
    }
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(CpuPlacement, NamesRoundTrip) {
    EXPECT_EQ(parse_cpu_placement("pin"), CpuPlacementMode::pin);
    EXPECT_EQ(parse_cpu_placement("none"), CpuPlacementMode::none);
    EXPECT_FALSE(parse_cpu_placement("keep-awake"));
    EXPECT_FALSE(parse_cpu_placement(""));
    EXPECT_STREQ(cpu_placement_name(CpuPlacementMode::pin), "pin");
    EXPECT_STREQ(cpu_placement_name(CpuPlacementMode::none), "none");
}

TEST(CpuPlacement, EnvironmentOverridesTheDefault) {
    ::setenv("CAPPROF_CPU_PLACEMENT", "none", 1);
    EXPECT_EQ(cpu_placement_from_env(), CpuPlacementMode::none);
    ::setenv("CAPPROF_CPU_PLACEMENT", "bogus", 1);
    EXPECT_EQ(cpu_placement_from_env(CpuPlacementMode::none), CpuPlacementMode::none);
    ::unsetenv("CAPPROF_CPU_PLACEMENT");
    EXPECT_EQ(cpu_placement_from_env(), CpuPlacementMode::pin);
}

TEST(CpuPlacement, PinPutsCapprofAndTheWorkloadOnOneAllowedCpu) {
    const cpu_set_t before = own_mask();
    {
        CpuPlacement placement(CpuPlacementMode::pin);
        ASSERT_GE(placement.pinned_cpu(), 0);
        EXPECT_TRUE(CPU_ISSET(placement.pinned_cpu(), &before));
        cpu_set_t now = own_mask();
        EXPECT_EQ(CPU_COUNT(&now), 1);
        EXPECT_TRUE(CPU_ISSET(placement.pinned_cpu(), &now));
        EXPECT_EQ(child_cpu_count(), 1);
    }
    cpu_set_t after = own_mask();
    EXPECT_TRUE(CPU_EQUAL(&before, &after)) << "capprof's own mask is restored";
}

TEST(CpuPlacement, NoneChangesNothing) {
    const cpu_set_t before = own_mask();
    CpuPlacement placement(CpuPlacementMode::none);
    EXPECT_EQ(placement.pinned_cpu(), -1);
    cpu_set_t now = own_mask();
    EXPECT_TRUE(CPU_EQUAL(&before, &now));
    EXPECT_EQ(child_cpu_count(), CPU_COUNT(&before));
}

}  // namespace
}  // namespace capprof
