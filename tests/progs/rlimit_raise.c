// rlimit_raise: lowers the hard RLIMIT_NOFILE by one (allowed to anyone),
// then raises it back. Raising a hard limit needs SYS_RESOURCE (EPERM,
// setrlimit(2)).
// Prints one line; exits 0 if the raise succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    struct rlimit original;
    if (getrlimit(RLIMIT_NOFILE, &original) != 0) {
        perror("rlimit_raise: getrlimit");
        return 2;
    }
    struct rlimit lowered = {original.rlim_cur < original.rlim_max ? original.rlim_cur : original.rlim_max - 1,
                             original.rlim_max - 1};
    if (setrlimit(RLIMIT_NOFILE, &lowered) != 0) {
        perror("rlimit_raise: lowering the hard limit");
        return 2;
    }
    int rc = setrlimit(RLIMIT_NOFILE, &original);
    int err = errno;
    printf("rlimit_raise pid=%d tid=%d: setrlimit(RLIMIT_NOFILE, {%llu, %llu}) = %d %s\n", getpid(),
           gettid(), (unsigned long long)original.rlim_cur, (unsigned long long)original.rlim_max, rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
