// mount_tmpfs DIR: mount("none", DIR, "tmpfs", 0, "size=1m") needs SYS_ADMIN
// (EPERM). When it succeeds the tmpfs is unmounted again at once.
// Prints one line; exits 0 if mount succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: mount_tmpfs DIR\n");
        return 2;
    }
    int rc = mount("none", argv[1], "tmpfs", 0, "size=1m");
    int err = errno;
    printf("mount_tmpfs pid=%d tid=%d: mount(\"none\", \"%s\", \"tmpfs\", 0, \"size=1m\") = %d %s\n",
           getpid(), gettid(), argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
    if (rc == 0 && umount(argv[1]) != 0) perror("mount_tmpfs: umount");
    return rc == 0 ? 0 : 1;
}
