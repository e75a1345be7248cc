// A workload that asks to be traced itself (anti-debugging). Under capprof
// PTRACE_TRACEME fails with EPERM because the task already has a tracer, which
// no capability would change. Exits 5 when the call failed, 6 when it worked.
#include <sys/ptrace.h>

int main(void) {
    return ptrace(PTRACE_TRACEME, 0, 0, 0) == -1 ? 5 : 6;
}
