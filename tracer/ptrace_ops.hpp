#pragma once
// The only door to ptrace(2). Every call returns 0 or an errno value (never
// throws): ESRCH means the task is gone or not stopped, and its exit status is
// still coming through waitpid (ptrace(2), "Death under ptrace").
#include <sys/ptrace.h>
#include <sys/types.h>

#include <csignal>
#include <cstdint>

namespace capprof::ptrace_ops {

using SyscallInfo = __ptrace_syscall_info;

// Options capprof traces with (strace's set, plus EXITKILL so the workload
// dies with capprof).
constexpr unsigned trace_options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
                                   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                                   PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

int seize(pid_t tid, unsigned options);
// Resume to the next syscall entry/exit, delivering `signal` (0 = none).
int resume_syscall(pid_t tid, int signal = 0);
// Leave a task in group-stop but let it report SIGCONT (PTRACE_LISTEN).
int listen(pid_t tid);
int event_message(pid_t tid, unsigned long& message);
int signal_info(pid_t tid, siginfo_t& info);
// PTRACE_GET_SYSCALL_INFO (Linux 5.3+). `info.op` tells entry/exit/none.
int syscall_info(pid_t tid, SyscallInfo& info);
// One word of the task's memory (the fallback when process_vm_readv fails).
int peek_word(pid_t tid, std::uint64_t address, long& word);

// Register writes at a syscall stop, for strace's syscall tampering
// (src/syscall.c, tamper_with_syscall_entering/exiting). x86_64 only: the
// tracer is 64-bit, so an i386 compat task's registers are written through
// the 64-bit user_regs_struct too (the kernel uses their low 32 bits).
//
// At syscall entry: the number -1 makes the kernel skip the call (it then
// returns -ENOSYS unless the exit stop sets another value).
int skip_syscall(pid_t tid);
// At syscall entry: the syscall number (to turn one call into another).
int set_syscall_number(pid_t tid, std::uint64_t nr);
// At syscall entry: argument `index` (0..5) of a task of `audit_arch`
// (AUDIT_ARCH_X86_64 or AUDIT_ARCH_I386: the registers differ).
int set_syscall_argument(pid_t tid, std::uint32_t audit_arch, int index, std::uint64_t value);
// At syscall exit: the value the task sees returned (-errno for an error).
int set_return_value(pid_t tid, long value);

}  // namespace capprof::ptrace_ops
