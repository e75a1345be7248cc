// lease_hold FILE: takes a write lease on FILE (its owner may, fcntl(2)
// F_SETLEASE), then makes one failing call on it: chown(FILE, 1000) (EPERM
// without CHOWN). Whoever opens FILE meanwhile -- even read-only and
// non-blocking -- breaks the lease: the kernel sends SIGIO and waits to
// downgrade it. A profiler must inspect FILE without opening it.
// Prints one line; exits 0 if the lease survived, 3 if it was broken.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t breaks;

static void on_sigio(int signal) {
    (void)signal;
    ++breaks;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: lease_hold FILE\n");
        return 2;
    }
    signal(SIGIO, on_sigio);
    int fd = open(argv[1], O_RDWR);
    if (fd < 0 || fcntl(fd, F_SETLEASE, F_WRLCK) != 0) {
        perror("lease_hold: F_SETLEASE");
        return 2;
    }
    int rc = chown(argv[1], 1000, -1);
    int err = errno;
    usleep(200 * 1000);  // a lease break is signalled at once
    int lease = fcntl(fd, F_GETLEASE);
    printf("lease_hold pid=%d tid=%d: chown = %d %s; SIGIO %d, lease %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err), (int)breaks, lease == F_WRLCK ? "F_WRLCK" : "broken");
    return breaks == 0 && lease == F_WRLCK ? 0 : 3;
}
