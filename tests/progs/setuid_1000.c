// setuid_1000: setuid(1000) from uid 0 without SETUID fails with EPERM.
// Prints one line; exits 0 if setuid succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int rc = setuid(1000);
    int err = errno;
    printf("setuid_1000 pid=%d tid=%d: setuid(1000) = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
