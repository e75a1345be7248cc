// fork_fail PATH: the child of fork(2) makes a failing chown(PATH, 1000, -1).
// The child prints its pid and its parent's; the parent exits with the
// child's status (0 if chown succeeded, 1 if it failed).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fork_fail PATH\n");
        return 2;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("fork_fail: fork");
        return 2;
    }
    if (child == 0) {
        int rc = chown(argv[1], 1000, (gid_t)-1);
        int err = errno;
        printf("fork_fail pid=%d tid=%d ppid=%d: chown(\"%s\", 1000, -1) = %d %s\n", getpid(),
               gettid(), getppid(), argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
        return rc == 0 ? 0 : 1;
    }
    int status = 0;
    if (waitpid(child, &status, 0) < 0) {
        perror("fork_fail: waitpid");
        return 2;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
