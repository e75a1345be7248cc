// chroot_dot: chroot(".") needs SYS_CHROOT (EPERM).
// Prints one line; exits 0 if chroot succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int rc = chroot(".");
    int err = errno;
    printf("chroot_dot pid=%d tid=%d: chroot(\".\") = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
