// ptrace_attach PID: ptrace(PTRACE_SEIZE, PID). Tracing a process whose
// permitted set is not a subset of ours needs SYS_PTRACE (EPERM, see
// ptrace(2) "Ptrace access mode checking"). SEIZE does not stop the target;
// it is detached again when this program exits.
// Prints one line; exits 0 if the seize succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: ptrace_attach PID\n");
        return 2;
    }
    pid_t target = (pid_t)atoi(argv[1]);
    long rc = ptrace(PTRACE_SEIZE, target, NULL, NULL);
    int err = errno;
    printf("ptrace_attach pid=%d tid=%d: ptrace(PTRACE_SEIZE, %d) = %ld %s\n", getpid(), gettid(),
           target, rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
