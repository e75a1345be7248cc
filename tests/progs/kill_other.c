// kill_other PID [SIG]: kill(PID, SIG) (default SIGTERM). Signalling a process
// of another uid needs KILL (EPERM). Under drop-all this program cannot change
// its own uid, so the caller starts the target (e.g. `setpriv --reuid 65534 sleep`).
// Prints one line; exits 0 if kill succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: kill_other PID [SIG]\n");
        return 2;
    }
    pid_t target = (pid_t)atoi(argv[1]);
    int sig = argc > 2 ? atoi(argv[2]) : SIGTERM;
    int rc = kill(target, sig);
    int err = errno;
    printf("kill_other pid=%d tid=%d: kill(%d, %d) = %d %s\n", getpid(), gettid(), target, sig,
           rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
