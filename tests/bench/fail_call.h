// One syscall that fails with EACCES for every user, root included, and
// changes nothing: access(2) asking X_OK of a file without any execute bit
// (path_resolution(7): even root needs one x bit to execute). The file is
// /proc/self/status: procfs refuses chmod (proc_setattr returns EPERM for a
// mode change), so nothing on the machine can give it an execute bit.
#pragma once
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#define FAIL_CALL_PATH "/proc/self/status"

static inline bool make_failing_call(void) {
    return access(FAIL_CALL_PATH, X_OK) == -1 && errno == EACCES;
}

// The same failure for a different path each time: access(2) of DIR/N, where
// DIR is a directory uid 0 without DAC_READ_SEARCH cannot search (another
// owner, mode 0700). Distinct calls are distinct findings until capprof
// folds them: the memory check of distinct failures.
static inline bool make_distinct_failing_call(const char* dir, long n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%ld", dir, n);
    return access(path, F_OK) == -1 && errno == EACCES;
}
