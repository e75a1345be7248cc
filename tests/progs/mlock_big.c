// mlock_big: mlock(2) of 64 KiB after lowering RLIMIT_MEMLOCK to 0. Over a
// non-zero limit mlock fails with ENOMEM, which no capability report sees;
// with a zero limit the kernel (mm/mlock.c can_do_mlock) refuses with EPERM
// unless the task has IPC_LOCK, which also lifts the limit.
// Prints one line; exits 0 if mlock succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_MEMLOCK, &none) != 0) {
        perror("mlock_big: setrlimit");
        return 2;
    }
    static char buffer[64 * 1024] __attribute__((aligned(4096)));
    int rc = mlock(buffer, sizeof buffer);
    int err = errno;
    printf("mlock_big pid=%d tid=%d: mlock(%p, %zu) = %d %s\n", getpid(), gettid(),
           (void *)buffer, sizeof buffer, rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
