// memlock_limit [mlock|mlock2|map_locked|future|mremap|shm|uring]: one call
// that goes over RLIMIT_MEMLOCK (lowered to 8 MiB, Debian's default, if it
// was higher) by locking 16 MiB. Without CAP_IPC_LOCK the kernel refuses
// with ENOMEM (mlock, mlock2: mm/mlock.c; SHM_LOCK: ipc/shm.c; io_uring
// registered buffers: io_uring/rsrc.c) or EAGAIN (a locked mapping:
// MAP_LOCKED, any mmap after mlockall(MCL_FUTURE), mremap growing a locked
// mapping: mm/mmap.c mlock_future_ok), not with EPERM.
// Prints one line; exits 0 if the call succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define LIMIT (8UL << 20)
#define BIG (16UL << 20)

static void *anonymous(size_t size, int flags) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static long attempt(const char *mode, char *call, size_t size) {
    if (!strcmp(mode, "mlock2")) {
        snprintf(call, size, "mlock2(16 MiB)");
        return syscall(SYS_mlock2, anonymous(BIG, 0), BIG, 0);
    }
    if (!strcmp(mode, "map_locked")) {
        snprintf(call, size, "mmap(16 MiB, MAP_LOCKED)");
        return anonymous(BIG, MAP_LOCKED) ? 0 : -1;
    }
    if (!strcmp(mode, "future")) {
        if (mlockall(MCL_FUTURE) != 0) return -2;
        snprintf(call, size, "mmap(16 MiB) after mlockall(MCL_FUTURE)");
        return anonymous(BIG, 0) ? 0 : -1;
    }
    if (!strcmp(mode, "mremap")) {
        void *p = anonymous(4096, MAP_LOCKED);
        if (!p) return -2;
        snprintf(call, size, "mremap(locked page -> 16 MiB)");
        return mremap(p, 4096, BIG, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0;
    }
    if (!strcmp(mode, "shm")) {
        int id = shmget(IPC_PRIVATE, BIG, IPC_CREAT | 0600);
        if (id < 0) return -2;
        snprintf(call, size, "shmctl(%d, SHM_LOCK)", id);
        long rc = shmctl(id, SHM_LOCK, NULL);
        int err = errno;
        shmctl(id, IPC_RMID, NULL);
        errno = err;
        return rc;
    }
    if (!strcmp(mode, "uring")) {
        struct io_uring_params params = {0};
        int ring = (int)syscall(SYS_io_uring_setup, 4, &params);
        if (ring < 0) return -2;
        struct iovec buffer = {anonymous(BIG, 0), BIG};
        snprintf(call, size, "io_uring_register(IORING_REGISTER_BUFFERS, 16 MiB)");
        return syscall(SYS_io_uring_register, ring, IORING_REGISTER_BUFFERS, &buffer, 1);
    }
    snprintf(call, size, "mlock(16 MiB)");
    return mlock(anonymous(BIG, 0), BIG);
}

int main(int argc, char **argv) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur > LIMIT) {
        limit.rlim_cur = LIMIT;
        setrlimit(RLIMIT_MEMLOCK, &limit);
    }
    char call[96] = "setup";
    long rc = attempt(argc > 1 ? argv[1] : "mlock", call, sizeof call);
    int err = errno;
    if (rc == -2) {
        printf("memlock_limit pid=%d: setup failed: %s\n", getpid(), strerrorname_np(err));
        return 2;
    }
    printf("memlock_limit pid=%d tid=%d: %s = %ld %s\n", getpid(), gettid(), call, rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
