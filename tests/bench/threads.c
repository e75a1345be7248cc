// threads: a thread-heavy workload for the benchmark. Starts THREADS threads
// in WAVES waves; each thread makes CALLS cheap syscalls (getppid) and FAILS
// calls that fail with EACCES for every user, root included (access(2) with
// X_OK on a file without any execute bit: path_resolution(7)).
// Exit 0 when every failing call failed as expected, 1 otherwise.
//   usage: threads [THREADS=64] [CALLS=2000] [FAILS=1] [WAVES=4]
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fail_call.h"

static long calls = 2000, fails = 1;
static atomic_long unexpected;

static void* work(void* arg) {
    (void)arg;
    for (long i = 0; i < calls; ++i) syscall(SYS_getppid);
    for (long i = 0; i < fails; ++i)
        if (!make_failing_call()) atomic_fetch_add(&unexpected, 1);
    return NULL;
}

int main(int argc, char** argv) {
    long threads = argc > 1 ? atol(argv[1]) : 64;
    calls = argc > 2 ? atol(argv[2]) : 2000;
    fails = argc > 3 ? atol(argv[3]) : 1;
    long waves = argc > 4 ? atol(argv[4]) : 4;
    if (threads < 1 || waves < 1 || calls < 0 || fails < 0) {
        fprintf(stderr, "usage: threads [THREADS] [CALLS] [FAILS] [WAVES]\n");
        return 2;
    }
    pthread_t* ids = calloc((size_t)threads, sizeof *ids);
    long per_wave = (threads + waves - 1) / waves;
    for (long first = 0; first < threads; first += per_wave) {
        long last = first + per_wave < threads ? first + per_wave : threads;
        for (long t = first; t < last; ++t)
            if (pthread_create(&ids[t], NULL, work, NULL) != 0) return 2;
        for (long t = first; t < last; ++t) pthread_join(ids[t], NULL);
    }
    free(ids);
    if (unexpected) fprintf(stderr, "threads: %ld calls did not fail with EACCES\n", (long)unexpected);
    return unexpected ? 1 : 0;
}
