// proc_self_access: access("/proc/self/environ", W_OK). The file belongs to
// the task's user with mode 0400, so the owner lacks write permission
// (EACCES). /proc/self means the caller: a profiler that resolves it itself
// would judge its own /proc entry instead.
// Prints one line; exits 0 if access succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int rc = access("/proc/self/environ", W_OK);
    int err = errno;
    printf("proc_self_access pid=%d tid=%d uid=%d: access(\"/proc/self/environ\", W_OK) = %d %s\n", getpid(),
           gettid(), getuid(), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
