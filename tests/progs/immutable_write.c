// immutable_write PATH: open(PATH, O_WRONLY) of a file marked immutable
// (chattr +i) fails with EPERM. No capability lets a process write it: the
// fix is `chattr -i` (LINUX_IMMUTABLE only allows changing the flag).
// Prints one line; exits 0 if open succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: immutable_write PATH\n");
        return 2;
    }
    int fd = open(argv[1], O_WRONLY);
    int err = errno;
    printf("immutable_write pid=%d tid=%d: open(\"%s\", O_WRONLY) = %d %s\n", getpid(), gettid(),
           argv[1], fd, fd >= 0 ? "" : strerrorname_np(err));
    return fd >= 0 ? 0 : 1;
}
