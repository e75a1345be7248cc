// Aims a signal at the process's parent (capprof, when run under it) one way
// or another. A container's process cannot reach anything outside the
// container; under capprof the call must fail with ESRCH as it would there.
// Usage: hostile_signal_parent MODE [SIGNAL]
//   kill tkill tgkill sigqueue tgsigqueue   the signal calls, at getppid()
//   group                                   kill(-pgrp of the parent)
//   pidfd_open                              pidfd_open(getppid())
//   pidfd                                   pidfd_send_signal on an fd of /proc/PPID
//   setown setown_ex setown_group fiosetown the parent as the owner of a
//                                           pipe (a socket for fiosetown) that
//                                           then signals it (F_SETSIG SIGNAL)
// Prints "MODE: ESRCH" (exit 0) when refused, "MODE: done" (exit 1) when the
// call went through, "MODE: <errno>" (exit 2) for another error.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int owner_of(int fd, const char* mode, pid_t parent, int sig) {
    int rc;
    if (strcmp(mode, "setown") == 0) {
        rc = fcntl(fd, F_SETOWN, parent);
    } else if (strcmp(mode, "setown_group") == 0) {
        rc = fcntl(fd, F_SETOWN, -getpgid(parent));
    } else if (strcmp(mode, "setown_ex") == 0) {
        struct f_owner_ex owner = {F_OWNER_PID, parent};
        rc = fcntl(fd, F_SETOWN_EX, &owner);
    } else {
        int value = parent;
        rc = ioctl(fd, FIOSETOWN, &value);
    }
    if (rc != 0) return rc;
    // Let the kernel signal the owner: I/O on an O_ASYNC file sends F_SETSIG's signal.
    fcntl(fd, F_SETSIG, sig);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: hostile_signal_parent MODE [SIGNAL]\n");
        return 3;
    }
    const char* mode = argv[1];
    int sig = argc > 2 ? atoi(argv[2]) : SIGUSR1;
    pid_t parent = getppid();
    int rc = -1;
    if (strcmp(mode, "kill") == 0) {
        rc = kill(parent, sig);
    } else if (strcmp(mode, "tkill") == 0) {
        rc = (int)syscall(SYS_tkill, parent, sig);
    } else if (strcmp(mode, "tgkill") == 0) {
        rc = (int)syscall(SYS_tgkill, parent, parent, sig);
    } else if (strcmp(mode, "sigqueue") == 0) {
        union sigval value = {0};
        rc = sigqueue(parent, sig, value);
    } else if (strcmp(mode, "tgsigqueue") == 0) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        info.si_signo = sig;
        info.si_code = SI_QUEUE;
        info.si_pid = getpid();
        rc = (int)syscall(SYS_rt_tgsigqueueinfo, parent, parent, sig, &info);
    } else if (strcmp(mode, "group") == 0) {
        rc = kill(-getpgid(parent), sig);
    } else if (strcmp(mode, "pidfd_open") == 0) {
        rc = (int)syscall(SYS_pidfd_open, parent, 0);
        if (rc >= 0) rc = (int)syscall(SYS_pidfd_send_signal, rc, sig, NULL, 0);
    } else if (strcmp(mode, "pidfd") == 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d", (int)parent);
        int fd = open(path, O_RDONLY | O_DIRECTORY);
        rc = fd < 0 ? -1 : (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
    } else if (strcmp(mode, "fiosetown") == 0) {
        int pair[2];
        rc = socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
        if (rc == 0 && (rc = owner_of(pair[0], mode, parent, sig)) == 0) {
            if (write(pair[1], "x", 1) != 1) rc = -1;
        }
    } else if (strncmp(mode, "setown", 6) == 0) {
        int pipe_fds[2];
        rc = pipe(pipe_fds);
        if (rc == 0 && (rc = owner_of(pipe_fds[0], mode, parent, sig)) == 0) {
            if (write(pipe_fds[1], "x", 1) != 1) rc = -1;
        }
    } else {
        fprintf(stderr, "hostile_signal_parent: unknown mode %s\n", mode);
        return 3;
    }
    if (rc >= 0) {
        printf("%s: done\n", mode);
        return 1;
    }
    printf("%s: %s\n", mode, strerrorname_np(errno));
    return errno == ESRCH ? 0 : 2;
}
