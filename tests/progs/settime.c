// settime: clock_settime(CLOCK_REALTIME) needs SYS_TIME (EPERM). The time
// set is the current time (read just before, advanced by the monotonic time
// elapsed since), so a successful call does not move the clock noticeably.
// Prints one line; exits 0 if it succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec real, mono_then, mono_now;
    clock_gettime(CLOCK_MONOTONIC, &mono_then);
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono_now);
    long long ns = (long long)real.tv_nsec + (mono_now.tv_sec - mono_then.tv_sec) * 1000000000LL +
                   (mono_now.tv_nsec - mono_then.tv_nsec);
    real.tv_sec += ns / 1000000000LL;
    real.tv_nsec = ns % 1000000000LL;
    int rc = clock_settime(CLOCK_REALTIME, &real);
    int err = errno;
    printf("settime pid=%d tid=%d: clock_settime(CLOCK_REALTIME, now) = %d %s\n", getpid(),
           gettid(), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
