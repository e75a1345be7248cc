// One syscall that fails with EACCES for every user, root included, and
// changes nothing: access(2) asking X_OK on a file that has no execute bit
// (path_resolution(7): root needs at least one x bit to execute).
#pragma once
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#define FAIL_CALL_PATH "/etc/passwd"

static inline bool make_failing_call(void) {
    return access(FAIL_CALL_PATH, X_OK) == -1 && errno == EACCES;
}
