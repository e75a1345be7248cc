// Time-of-check/time-of-use: while the main thread opens DIR/target (EACCES
// when it is the mode-000 file), another thread keeps swapping that name
// between the unreadable file, a symlink to DIR/victim, a FIFO (opening it
// for reading would block forever) and a symlink to /dev/zero. capprof's
// analysis of the path must not hang, follow the swap to act on a file, or
// open anything for writing.
// Usage: hostile_toctou DIR [ITERATIONS]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* dir;
static atomic_int done;
static atomic_int swaps;

static void path_of(char* out, size_t size, const char* name) {
    snprintf(out, size, "%s/%s", dir, name);
}

static void* swapper(void* unused) {
    (void)unused;
    const char* sources[] = {"file", "link-victim", "fifo", "link-zero"};
    char src[4096], stage[4096], target[4096];
    path_of(target, sizeof target, "target");
    path_of(stage, sizeof stage, "stage");
    unsigned i = 0;
    while (!atomic_load(&done)) {
        const char* name = sources[i++ % 4];
        path_of(src, sizeof src, name);
        // Recreate the entry under a staging name, then rename it over target
        // (rename(2) replaces atomically).
        unlink(stage);
        if (name[0] == 'f' && name[1] == 'i' && name[2] == 'l') {
            int fd = open(stage, O_CREAT | O_WRONLY, 0);
            if (fd >= 0) close(fd);
            chmod(stage, 0);
        } else if (name[0] == 'f') {
            mkfifo(stage, 0);
        } else if (name[5] == 'v') {
            char victim[4096];
            path_of(victim, sizeof victim, "victim");
            symlink(victim, stage);
        } else {
            symlink("/dev/zero", stage);
        }
        rename(stage, target);
        atomic_fetch_add(&swaps, 1);
    }
    return NULL;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: hostile_toctou DIR [ITERATIONS]\n");
        return 2;
    }
    dir = argv[1];
    int iterations = argc > 2 ? atoi(argv[2]) : 3000;
    char target[4096];
    path_of(target, sizeof target, "target");
    int fd = open(target, O_CREAT | O_WRONLY, 0);
    if (fd >= 0) close(fd);
    chmod(target, 0);

    pthread_t thread;
    if (pthread_create(&thread, NULL, swapper, NULL) != 0) return 3;
    // Start racing only once every kind of entry has been swapped in.
    while (atomic_load(&swaps) < 4) usleep(100);
    int denied = 0;
    for (int i = 0; i < iterations; ++i) {
        // O_NONBLOCK: the workload itself must not block on the FIFO.
        int f = open(target, O_RDONLY | O_NONBLOCK);
        if (f >= 0) close(f);
        else if (errno == EACCES) ++denied;
        struct stat st;
        stat(target, &st);
        // Let the swapper run: the tracer may pin both threads to one CPU.
        if (i % 4 == 0) usleep(50);
    }
    atomic_store(&done, 1);
    pthread_join(thread, NULL);
    // The mode-000 entries were opened at least once (EACCES), or the run
    // proves nothing.
    return denied > 0 ? 0 : 4;
}
