// A child started with clone(CLONE_UNTRACED): without care a tracer neither
// sees its calls nor kills it when the workload ends. The child makes one
// failing call (setuid(1000): EPERM without CAP_SETUID), says so, and sleeps
// SECONDS; the parent exits 0 once the child has made its call.
// Usage: hostile_untraced_clone SECONDS
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int pipe_fds[2];
static unsigned seconds;

static int child_main(void* unused) {
    (void)unused;
    int rc = setuid(1000);
    char line[64];
    int n = snprintf(line, sizeof line, "child pid=%d setuid=%d\n", (int)getpid(), rc);
    if (write(1, line, (size_t)n) != n) _exit(3);
    if (write(pipe_fds[1], "x", 1) != 1) _exit(3);
    sleep(seconds);
    _exit(0);
}

int main(int argc, char** argv) {
    seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 30;
    if (pipe(pipe_fds) != 0) return 2;
    static char stack[256 * 1024];
    pid_t child = clone(child_main, stack + sizeof stack, CLONE_UNTRACED | SIGCHLD, NULL);
    if (child < 0) {
        perror("clone");
        return 2;
    }
    char c;
    if (read(pipe_fds[0], &c, 1) != 1) return 2;
    return 0;
}
