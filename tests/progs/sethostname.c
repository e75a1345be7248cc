// sethostname: sethostname() to the current host name (a no-op when it
// succeeds) needs SYS_ADMIN (EPERM).
// Prints one line; exits 0 if sethostname succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char name[256] = "";
    if (gethostname(name, sizeof name - 1) != 0) {
        perror("sethostname: gethostname");
        return 2;
    }
    int rc = sethostname(name, strlen(name));
    int err = errno;
    printf("sethostname pid=%d tid=%d: sethostname(\"%s\", %zu) = %d %s\n", getpid(), gettid(),
           name, strlen(name), rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
