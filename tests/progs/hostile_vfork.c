// vfork(2): the parent is suspended until the child execs; the child's exec
// and a failing call in it must be traced and the parent must resume.
// Exits with the child's status (the child runs `sh -c 'exit 3'` after a
// failing chown).
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    pid_t child = vfork();
    if (child == 0) {
        execl("/bin/sh", "sh", "-c", "chown 1:1 /proc/self/comm 2>/dev/null; exit 3",
              (char*)NULL);
        _exit(127);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) return 100;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}
