// sched_fifo: sched_setscheduler(0, SCHED_FIFO, {priority 1}) needs SYS_NICE
// (EPERM) when RLIMIT_RTPRIO is 0.
// Prints one line; exits 0 if it succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    struct sched_param param = {.sched_priority = 1};
    int rc = sched_setscheduler(0, SCHED_FIFO, &param);
    int err = errno;
    printf("sched_fifo pid=%d tid=%d: sched_setscheduler(0, SCHED_FIFO, [1]) = %d %s\n", getpid(),
           gettid(), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
