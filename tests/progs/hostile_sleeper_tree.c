// Builds a small tree (3 children, each with a thread, one grandchild), all
// sleeping, so that a test can kill capprof with SIGKILL and check that
// PTRACE_O_EXITKILL took every traced task with it.
// Usage: hostile_sleeper_tree SECONDS
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned seconds;

static void* sleeper(void* unused) {
    (void)unused;
    sleep(seconds);
    return NULL;
}

int main(int argc, char** argv) {
    seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
    for (int i = 0; i < 3; ++i) {
        if (fork() == 0) {
            if (i == 0 && fork() == 0) {
                sleep(seconds);
                _exit(0);
            }
            pthread_t thread;
            pthread_create(&thread, NULL, sleeper, NULL);
            sleep(seconds);
            _exit(0);
        }
    }
    write(1, "ready\n", 6);
    sleep(seconds);
    return 0;
}
