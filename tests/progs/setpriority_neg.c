// setpriority_neg: setpriority(PRIO_PROCESS, 0, -5). Lowering the nice value
// needs SYS_NICE and fails with EACCES, not EPERM (setpriority(2)).
// Prints one line; exits 0 if setpriority succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    int rc = setpriority(PRIO_PROCESS, 0, -5);
    int err = errno;
    printf("setpriority_neg pid=%d tid=%d: setpriority(PRIO_PROCESS, 0, -5) = %d %s\n", getpid(),
           gettid(), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
