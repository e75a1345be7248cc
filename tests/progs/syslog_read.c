// syslog_read: syslog(SYSLOG_ACTION_READ_ALL) (what dmesg does). With
// kernel.dmesg_restrict=1 this needs SYSLOG (EPERM, syslog(2)).
// Prints one line; exits 0 if it succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL 3

int main(void) {
    static char buffer[16384];
    int rc = klogctl(SYSLOG_ACTION_READ_ALL, buffer, sizeof buffer);
    int err = errno;
    printf("syslog_read pid=%d tid=%d: syslog(SYSLOG_ACTION_READ_ALL) = %d %s\n", getpid(),
           gettid(), rc, rc >= 0 ? "" : strerrorname_np(err));
    return rc >= 0 ? 0 : 1;
}
