// fowner_chmod PATH: chmod(PATH, 0644). Changing the mode of a file owned by
// another uid needs FOWNER (EPERM).
// Prints one line; exits 0 if chmod succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fowner_chmod PATH\n");
        return 2;
    }
    int rc = chmod(argv[1], 0644);
    int err = errno;
    printf("fowner_chmod pid=%d tid=%d: chmod(\"%s\", 0644) = %d %s\n", getpid(), gettid(),
           argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
