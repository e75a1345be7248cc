// chown_file PATH: chown(PATH, 1000, -1). Giving a file away needs CHOWN (EPERM).
// Prints one line; exits 0 if chown succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: chown_file PATH\n");
        return 2;
    }
    int rc = chown(argv[1], 1000, (gid_t)-1);
    int err = errno;
    printf("chown_file pid=%d tid=%d: chown(\"%s\", 1000, -1) = %d %s\n", getpid(), gettid(),
           argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
