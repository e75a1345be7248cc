// kill_other PID [SIG]: kill(PID, SIG) (default SIGTERM).
// kill_other --child [SIG]: the same at a child of its own that first became
// uid/gid 65534 (which needs SETUID and SETGID), since under capprof, as in
// a container, only the workload's own processes can be signalled at all.
// Signalling a process of another uid needs KILL (EPERM).
// Prints one line; exits 0 if kill succeeded, 1 if it failed, 3 if the
// child could not change its uid.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// A child running as uid/gid 65534, or -1.
static pid_t child_of_other_uid(void) {
    int ready[2];
    if (pipe(ready) != 0) return -1;
    pid_t child = fork();
    if (child == 0) {
        char ok = setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0 ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1) _exit(2);
        sleep(30);
        _exit(0);
    }
    char ok = 'n';
    if (child < 0 || read(ready[0], &ok, 1) != 1 || ok != 'y') return -1;
    return child;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: kill_other PID|--child [SIG]\n");
        return 2;
    }
    pid_t target;
    if (strcmp(argv[1], "--child") == 0) {
        target = child_of_other_uid();
        if (target < 0) {
            printf("kill_other pid=%d: the child cannot become uid 65534\n", getpid());
            return 3;
        }
    } else {
        target = (pid_t)atoi(argv[1]);
    }
    int sig = argc > 2 ? atoi(argv[2]) : SIGTERM;
    int rc = kill(target, sig);
    int err = errno;
    printf("kill_other pid=%d tid=%d: kill(%d, %d) = %d %s\n", getpid(), gettid(), target, sig,
           rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
