// setgid: setgid(1000) from gid 0 without SETGID fails with EPERM.
// Prints one line; exits 0 if setgid succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int rc = setgid(1000);
    int err = errno;
    printf("setgid pid=%d tid=%d: setgid(1000) = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
