// ioprio_rt: ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(RT, 4)).
// The realtime I/O class needs SYS_NICE or SYS_ADMIN (EPERM; the kernel asks
// for SYS_ADMIN first, block/ioprio.c ioprio_check_cap); SYS_NICE is narrower.
// Prints one line; exits 0 if it succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/ioprio.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    // glibc has no ioprio_set wrapper (ioprio_set(2)).
    long rc = syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
                      IOPRIO_PRIO_VALUE(IOPRIO_CLASS_RT, 4));
    int err = errno;
    printf("ioprio_rt pid=%d tid=%d: ioprio_set(IOPRIO_WHO_PROCESS, 0, "
           "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_RT, 4)) = %ld %s\n",
           getpid(), gettid(), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
