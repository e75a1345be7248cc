// linux_immutable PATH: ioctl(FS_IOC_SETFLAGS) adding FS_IMMUTABLE_FL to PATH
// (what `chattr +i` does). Needs LINUX_IMMUTABLE (EPERM, ioctl_iflags(2)).
// When it succeeds the flag is cleared again so PATH can be removed.
// Prints one line; exits 0 if the ioctl succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: linux_immutable PATH\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_NONBLOCK);
    int flags = 0;  // FS_IOC_*FLAGS take an int despite the long in their name
    if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
        perror("linux_immutable: FS_IOC_GETFLAGS");
        return 2;
    }
    int immutable = flags | FS_IMMUTABLE_FL;
    int rc = ioctl(fd, FS_IOC_SETFLAGS, &immutable);
    int err = errno;
    printf("linux_immutable pid=%d tid=%d: ioctl(%d, FS_IOC_SETFLAGS, FS_IMMUTABLE_FL) = %d %s\n",
           getpid(), gettid(), fd, rc, rc == 0 ? "" : strerrorname_np(err));
    if (rc == 0 && ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
        perror("linux_immutable: clearing FS_IMMUTABLE_FL");
    return rc == 0 ? 0 : 1;
}
