// seccomp_deny: installs a seccomp filter that makes uname(2) fail with
// EPERM, then calls uname. No capability fixes that: the filter does.
// The filter is raw classic BPF (seccomp(2) example) so that the test
// programs need no library.
// Prints one line; exits 0 if uname succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__x86_64__)
#define AUDIT_ARCH_SELF AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define AUDIT_ARCH_SELF AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define AUDIT_ARCH_SELF AUDIT_ARCH_AARCH64
#else
#error "unknown architecture"
#endif

int main(void) {
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_SELF, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_uname, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    // Without SYS_ADMIN a filter may only be installed with no_new_privs set.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("seccomp_deny: installing the filter");
        return 2;
    }
    struct utsname names;
    int rc = uname(&names);
    int err = errno;
    printf("seccomp_deny pid=%d tid=%d: uname() = %d %s\n", getpid(), gettid(), rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
