// fail_loop: makes COUNT failing calls (EACCES, see fail_call.h) and OTHER
// cheap successful syscalls; the lost-event and memory checks of the
// benchmark count them in capprof's report. With DIR, each failing call
// names a different path below DIR (make_distinct_failing_call). Exit 0 when
// every failing call failed as expected, 1 otherwise.
//   usage: fail_loop [COUNT=1] [OTHER=0] [DIR]
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fail_call.h"

int main(int argc, char** argv) {
    long count = argc > 1 ? atol(argv[1]) : 1;
    long other = argc > 2 ? atol(argv[2]) : 0;
    const char* dir = argc > 3 ? argv[3] : NULL;
    long unexpected = 0;
    for (long i = 0; i < count; ++i)
        if (!(dir ? make_distinct_failing_call(dir, i) : make_failing_call())) ++unexpected;
    for (long i = 0; i < other; ++i) syscall(SYS_getppid);
    if (unexpected) fprintf(stderr, "fail_loop: %ld calls did not fail with EACCES\n", unexpected);
    return unexpected ? 1 : 0;
}
