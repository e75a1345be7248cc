// Runs a command where ptrace(2) is not permitted, as under Yama
// kernel.yama.ptrace_scope=3 or a container runtime's seccomp profile: installs
// a seccomp filter that makes every ptrace(2) call fail with EPERM, then execs
// the command (capprof under test).
// Usage: hostile_noptrace_launcher COMMAND [ARG...]
//
// The filter is written as raw classic BPF rather than with libseccomp so that
// this test program has no dependencies (seccomp(2), "Examples").
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: hostile_noptrace_launcher COMMAND [ARG...]\n");
        return 2;
    }
    struct sock_filter filter[] = {
        // Only x86_64 calls are judged; others (i386 compat) are allowed.
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ptrace, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {sizeof filter / sizeof filter[0], filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("hostile_noptrace_launcher: seccomp");
        return 2;
    }
    execvp(argv[1], argv + 1);
    perror("hostile_noptrace_launcher: exec");
    return 127;
}
