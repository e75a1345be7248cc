// exec_thread PROGRAM [ARG...]: a thread that is not the thread-group leader
// calls execve(PROGRAM). The kernel (de_thread, execve(2) "All threads other
// than the calling thread are destroyed") gives the exec'ing thread the
// leader's pid, so PROGRAM runs with the pid printed here, and its failing
// call must be reported with that pid. Exits with PROGRAM's status; 2 if the
// exec itself failed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char **program;

static void *exec_in_thread(void *unused) {
    (void)unused;
    printf("exec_thread pid=%d tid=%d: execve(\"%s\") from a non-leader thread\n", getpid(),
           gettid(), program[0]);
    fflush(stdout);
    execv(program[0], program);
    fprintf(stderr, "exec_thread: execv %s: %s\n", program[0], strerror(errno));
    _exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: exec_thread PROGRAM [ARG...]\n");
        return 2;
    }
    program = argv + 1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, exec_in_thread, NULL) != 0) {
        perror("exec_thread: pthread_create");
        return 2;
    }
    pthread_join(thread, NULL);  // never returns: the exec replaces this thread group
    return 2;
}
