// thread_fail PATH: a second thread (not the thread-group leader) makes a
// failing chown(PATH, 1000, -1). Prints the leader's pid and the failing
// thread's tid; exits 0 if chown succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *path;

static void *chown_in_thread(void *result) {
    int rc = chown(path, 1000, (gid_t)-1);
    int err = errno;
    printf("thread_fail pid=%d tid=%d: chown(\"%s\", 1000, -1) = %d %s\n", getpid(), gettid(),
           path, rc, rc == 0 ? "" : strerrorname_np(err));
    *(int *)result = rc;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: thread_fail PATH\n");
        return 2;
    }
    path = argv[1];
    int rc = -1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, chown_in_thread, &rc) != 0) {
        perror("thread_fail: pthread_create");
        return 2;
    }
    pthread_join(thread, NULL);
    return rc == 0 ? 0 : 1;
}
