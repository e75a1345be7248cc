#pragma once
// Tests that need root skip with a message that says why, never pass silently.
#include <unistd.h>

#include <gtest/gtest.h>

#define CAPPROF_SKIP_UNLESS_ROOT(why)                 \
    do {                                              \
        if (::geteuid() != 0) GTEST_SKIP() << why;    \
    } while (0)
