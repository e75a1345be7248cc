// kill(-1, SIGNAL): every process the caller may signal, the caller excepted
// (kill(2)). In a container that is the container's processes; under
// capprof, the workload's. A child with a handler for SIGNAL tells whether
// the workload's own processes still get it.
// Usage: hostile_kill_all [SIGNAL]   (default SIGURG, which no one dies of)
// Prints "kill(-1) = RC, child got it: yes|no"; exits 0 when kill succeeded
// and the child got the signal, 1 otherwise.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int report_fd = -1;
static void on_signal(int sig) {
    (void)sig;
    if (write(report_fd, "y", 1) != 1) _exit(4);
    _exit(0);
}

int main(int argc, char** argv) {
    int sig = argc > 1 ? atoi(argv[1]) : SIGURG;
    int ready[2], got[2];
    if (pipe(ready) != 0 || pipe(got) != 0) return 2;
    pid_t child = fork();
    if (child == 0) {
        report_fd = got[1];
        signal(sig, on_signal);
        if (write(ready[1], "r", 1) != 1) _exit(3);
        sleep(10);
        _exit(1);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 2;
    signal(sig, SIG_IGN);  // the caller is excepted anyway
    int rc = kill(-1, sig);
    int error = errno;
    close(got[1]);
    char answer = 'n';
    if (read(got[0], &answer, 1) != 1) answer = 'n';
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("kill(-1) = %d%s%s, child got it: %s\n", rc, rc ? " " : "", rc ? strerrorname_np(error) : "",
           answer == 'y' ? "yes" : "no");
    return rc == 0 && answer == 'y' ? 0 : 1;
}
