// unix_fds_inflight: with RLIMIT_NOFILE lowered to 16, sends one file
// descriptor per message over a unix socket pair without receiving them.
// Once the user has more descriptors in flight than RLIMIT_NOFILE, sendmsg
// fails with ETOOMANYREFS unless the task has CAP_SYS_RESOURCE or
// CAP_SYS_ADMIN (net/unix too_many_unix_fds). Root processes share the
// count: others in flight on this host make it fail sooner.
// Prints one line; exits 0 if all 64 sends succeeded, 1 if one failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    struct rlimit few = {16, 16};
    int pair[2];
    if (setrlimit(RLIMIT_NOFILE, &few) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0) {
        perror("unix_fds_inflight: setup");
        return 2;
    }
    int fd = open("/dev/null", O_RDONLY);
    int sent = 0, err = 0;
    for (; sent < 64; ++sent) {
        char byte = 'x';
        struct iovec io = {&byte, 1};
        char control[CMSG_SPACE(sizeof fd)];
        struct msghdr msg = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control,
                             .msg_controllen = sizeof control};
        struct cmsghdr *header = CMSG_FIRSTHDR(&msg);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof fd);
        memcpy(CMSG_DATA(header), &fd, sizeof fd);
        if (sendmsg(pair[0], &msg, MSG_DONTWAIT) < 0) {
            err = errno;
            break;
        }
    }
    printf("unix_fds_inflight pid=%d tid=%d: sendmsg(SCM_RIGHTS) #%d = %s\n", getpid(), gettid(), sent + 1,
           err ? strerrorname_np(err) : "0 (all 64 sent)");
    return err ? 1 : 0;
}
