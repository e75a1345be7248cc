// unshare_ns [mnt|uts]: unshare(CLONE_NEWNS) (default) or unshare(CLONE_NEWUTS)
// needs SYS_ADMIN (EPERM).
// Prints one line; exits 0 if unshare succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int uts = argc > 1 && strcmp(argv[1], "uts") == 0;
    int rc = unshare(uts ? CLONE_NEWUTS : CLONE_NEWNS);
    int err = errno;
    printf("unshare_ns pid=%d tid=%d: unshare(%s) = %d %s\n", getpid(), gettid(),
           uts ? "CLONE_NEWUTS" : "CLONE_NEWNS", rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
