// capset_inh [CAP]: capset(2) adding capability number CAP (default
// CAP_NET_BIND_SERVICE) to the inheritable set, keeping the other sets.
// The kernel (security/commoncap.c cap_capset) refuses with EPERM a new
// inheritable capability that is outside permitted (unless SETPCAP) and
// outside the bounding set (always).
// Prints one line; exits 0 if capset succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int cap = argc > 1 ? atoi(argv[1]) : CAP_NET_BIND_SERVICE;
    // Raw syscalls: glibc has no capget/capset wrappers (libcap has).
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    if (syscall(SYS_capget, &header, data) != 0) {
        perror("capset_inh: capget");
        return 2;
    }
    data[cap / 32].inheritable |= 1u << (cap % 32);
    long rc = syscall(SYS_capset, &header, data);
    int err = errno;
    printf("capset_inh pid=%d tid=%d: capset(inheritable += %d) = %ld %s\n", getpid(), gettid(),
           cap, rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
