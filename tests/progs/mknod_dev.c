// mknod_dev PATH: mknod(PATH, S_IFCHR|0600, makedev(1, 3)) (a /dev/null twin).
// Creating a device node needs MKNOD (EPERM).
// Prints one line; exits 0 if mknod succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: mknod_dev PATH\n");
        return 2;
    }
    int rc = mknod(argv[1], S_IFCHR | 0600, makedev(1, 3));
    int err = errno;
    printf("mknod_dev pid=%d tid=%d: mknod(\"%s\", S_IFCHR|0600, makedev(1, 3)) = %d %s\n",
           getpid(), gettid(), argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
