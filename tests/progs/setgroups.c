// setgroups: setgroups(1, [1000]) without SETGID fails with EPERM.
// Prints one line; exits 0 if setgroups succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    gid_t groups[] = {1000};
    int rc = setgroups(1, groups);
    int err = errno;
    printf("setgroups pid=%d tid=%d: setgroups(1, [1000]) = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
