// Forks N children one after another (default 10000), each exiting at once
// with a status the parent checks. The tracer's per-task table must not grow
// without bound or lose an exit. Exits 0 when every child was reaped with the
// right status.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    for (int i = 0; i < n; ++i) {
        pid_t child = fork();
        if (child < 0) return 2;
        if (child == 0) _exit(i & 0x7f);
        int status = 0;
        if (waitpid(child, &status, 0) != child) return 3;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != (i & 0x7f)) return 4;
    }
    return 0;
}
