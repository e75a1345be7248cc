// shm_lock: shmctl(SHM_LOCK) of a fresh System V segment after lowering
// RLIMIT_MEMLOCK to 0: the kernel (ipc/shm.c shmctl_do_lock) then refuses
// with EPERM unless the task has IPC_LOCK. 32-bit builds make the call
// through the ipc(2) multiplexer, as glibc does on i386.
// Prints one line; exits 0 if SHM_LOCK succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_MEMLOCK, &none) != 0) {
        perror("shm_lock: setrlimit");
        return 2;
    }
    int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    if (id < 0) {
        perror("shm_lock: shmget");
        return 2;
    }
    int rc = shmctl(id, SHM_LOCK, NULL);
    int err = errno;
    printf("shm_lock pid=%d tid=%d: shmctl(%d, SHM_LOCK, NULL) = %d %s\n", getpid(), gettid(), id, rc,
           rc == 0 ? "" : strerrorname_np(err));
    shmctl(id, IPC_RMID, NULL);
    return rc == 0 ? 0 : 1;
}
