// proc_environ [PID]: open("/proc/PID/environ", O_RDONLY) (default PID 1).
// For a process holding capabilities we lack, ptrace_may_access refuses
// with EACCES although the file mode allows it (proc(5)): needs SYS_PTRACE.
// Prints one line; exits 0 if open succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/environ", argc > 1 ? argv[1] : "1");
    int fd = open(path, O_RDONLY);
    int err = errno;
    printf("proc_environ pid=%d tid=%d: open(\"%s\", O_RDONLY) = %d %s\n", getpid(), gettid(), path,
           fd, fd >= 0 ? "" : strerrorname_np(err));
    return fd >= 0 ? 0 : 1;
}
