// clone3() keeps its flags in memory (struct clone_args). A sibling thread
// rewrites them right after the kernel read them (it watches for the child's
// tid that CLONE_PARENT_SETTID writes), so that a tracer that reads the flags
// afterwards takes the new process for a thread. Like glibc, the program
// falls back to clone() when clone3 fails with ENOSYS. The child sleeps
// SECONDS; the parent exits 0 at once.
// Usage: hostile_clone3_race SECONDS
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct clone_args args;
static volatile pid_t child_tid;

static void* rewriter(void* unused) {
    (void)unused;
    while (child_tid == 0) {
    }
    args.flags |= CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
    return NULL;
}

int main(int argc, char** argv) {
    unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 30;
    pthread_t thread;
    pthread_create(&thread, NULL, rewriter, NULL);
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PARENT_SETTID;
    args.parent_tid = (uint64_t)(uintptr_t)&child_tid;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
        sleep(seconds);
        _exit(0);
    }
    if (pid < 0 && errno == ENOSYS) {
        printf("clone3: ENOSYS, falling back to clone\n");
        fflush(stdout);
        pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
        if (pid == 0) {
            sleep(seconds);
            _exit(0);
        }
        child_tid = (pid_t)pid;
    } else {
        printf("clone3: %s\n", pid > 0 ? "process started" : strerror(errno));
        fflush(stdout);
    }
    pthread_join(thread, NULL);
    return pid > 0 ? 0 : 2;
}
