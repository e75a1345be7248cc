// open_other_uid PATH: open(PATH, O_RDONLY). For a file of another uid without
// read permission for "other" this fails with EACCES: a file-permission
// problem (DAC_READ_SEARCH would work around it).
// Prints one line; exits 0 if open succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: open_other_uid PATH\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    int err = errno;
    printf("open_other_uid pid=%d tid=%d: open(\"%s\", O_RDONLY) = %d %s\n", getpid(), gettid(),
           argv[1], fd, fd >= 0 ? "" : strerrorname_np(err));
    return fd >= 0 ? 0 : 1;
}
