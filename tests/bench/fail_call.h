// One syscall that fails with EACCES for every user, root included, and
// changes nothing: access(2) asking X_OK of a file without any execute bit
// (path_resolution(7): even root needs one x bit to execute). The file is
// /proc/self/status: procfs refuses chmod (proc_setattr returns EPERM for a
// mode change), so nothing on the machine can give it an execute bit.
#pragma once
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#define FAIL_CALL_PATH "/proc/self/status"

static inline bool make_failing_call(void) {
    return access(FAIL_CALL_PATH, X_OK) == -1 && errno == EACCES;
}
