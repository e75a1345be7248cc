// acct: acct(NULL) (switch process accounting off) needs SYS_PACCT (EPERM).
// Prints one line; exits 0 if acct succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int rc = acct(NULL);
    int err = errno;
    printf("acct pid=%d tid=%d: acct(NULL) = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
