// mq_open_big: creates a POSIX message queue of 100 messages, more than
// fs.mqueue.msg_max (10 by default). Without CAP_SYS_RESOURCE the kernel
// refuses with EINVAL (ipc/mqueue.c mq_attr_ok), not EPERM. The queue is
// removed again when it could be created.
// Prints one line; exits 0 if mq_open succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char name[64];
    snprintf(name, sizeof name, "/capprof-mq-%d", getpid());
    struct mq_attr attr = {.mq_maxmsg = 100, .mq_msgsize = 64};
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    int err = errno;
    printf("mq_open_big pid=%d tid=%d: mq_open(\"%s\", mq_maxmsg=100) = %d %s\n", getpid(), gettid(), name,
           (int)q, q >= 0 ? "" : strerrorname_np(err));
    if (q >= 0) mq_unlink(name);
    return q >= 0 ? 0 : 1;
}
