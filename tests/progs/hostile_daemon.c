// The classic double fork: the parent exits 0 at once, the grandchild
// (session leader gone, reparented to init or a subreaper) lives on for
// SECONDS. capprof must report the parent's status and leave no descendant
// running once it returns.
// Usage: hostile_daemon SECONDS
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
    pid_t child = fork();
    if (child < 0) return 2;
    if (child == 0) {
        setsid();
        if (fork() != 0) _exit(0);
        close(0);
        close(1);
        close(2);
        sleep(seconds);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    return 0;
}
