// many_tasks PATH [PROCESSES THREADS]: PROCESSES forked children and THREADS
// threads (default 100 each, 200 tasks) each make exactly one
// chown(PATH, 1000, -1) at about the same time. Exits 0 once every task has
// finished, whatever chown returned; prints how many calls failed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *path;
static pthread_barrier_t start;

static void *chown_once(void *failed) {
    pthread_barrier_wait(&start);
    *(int *)failed = chown(path, 1000, (gid_t)-1) != 0;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: many_tasks PATH [PROCESSES THREADS]\n");
        return 2;
    }
    path = argv[1];
    int processes = argc > 3 ? atoi(argv[2]) : 100;
    int threads = argc > 3 ? atoi(argv[3]) : 100;

    int failed = 0;
    for (int i = 0; i < processes; i++) {
        pid_t child = fork();
        if (child < 0) {
            perror("many_tasks: fork");
            return 2;
        }
        if (child == 0) _exit(chown(path, 1000, (gid_t)-1) != 0);
    }

    pthread_t *ids = calloc(threads, sizeof *ids);
    int *thread_failed = calloc(threads, sizeof *thread_failed);
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&ids[i], NULL, chown_once, &thread_failed[i]) != 0) {
            perror("many_tasks: pthread_create");
            return 2;
        }
    }
    pthread_barrier_wait(&start);
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        failed += thread_failed[i];
    }

    int status;
    pid_t child;
    while ((child = wait(&status)) > 0) failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("many_tasks pid=%d tid=%d: %d processes + %d threads, %d chown calls failed\n",
           getpid(), gettid(), processes, threads, failed);
    return 0;
}
