#include "ptrace_ops.hpp"

#include <linux/audit.h>
#include <sys/user.h>

#include <cerrno>
#include <cstddef>

namespace capprof::ptrace_ops {

namespace {
int result(long rc) { return rc == -1 ? errno : 0; }
}  // namespace

int seize(pid_t tid, unsigned options) {
    return result(::ptrace(PTRACE_SEIZE, tid, nullptr, options));
}

int resume_syscall(pid_t tid, int signal) {
    return result(::ptrace(PTRACE_SYSCALL, tid, nullptr, signal));
}

int listen(pid_t tid) { return result(::ptrace(PTRACE_LISTEN, tid, nullptr, nullptr)); }

int event_message(pid_t tid, unsigned long& message) {
    return result(::ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &message));
}

int signal_info(pid_t tid, siginfo_t& info) {
    return result(::ptrace(PTRACE_GETSIGINFO, tid, nullptr, &info));
}

int syscall_info(pid_t tid, SyscallInfo& info) {
    // Returns the number of bytes the kernel could fill, or -1.
    long rc = ::ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
    return rc < 0 ? errno : 0;
}

int peek_word(pid_t tid, std::uint64_t address, long& word) {
    // PTRACE_PEEKDATA returns the word itself: -1 is ambiguous, so check errno.
    errno = 0;
    long value = ::ptrace(PTRACE_PEEKDATA, tid, address, nullptr);
    if (value == -1 && errno != 0) return errno;
    word = value;
    return 0;
}

namespace {

int poke_register(pid_t tid, std::size_t offset, std::uint64_t value) {
    return result(::ptrace(PTRACE_POKEUSER, tid, offset, value));
}

// Where the syscall arguments live (syscall(2), "Architecture calling conventions").
constexpr std::size_t x86_64_arguments[6] = {
    offsetof(user_regs_struct, rdi), offsetof(user_regs_struct, rsi), offsetof(user_regs_struct, rdx),
    offsetof(user_regs_struct, r10), offsetof(user_regs_struct, r8),  offsetof(user_regs_struct, r9)};
constexpr std::size_t i386_arguments[6] = {
    offsetof(user_regs_struct, rbx), offsetof(user_regs_struct, rcx), offsetof(user_regs_struct, rdx),
    offsetof(user_regs_struct, rsi), offsetof(user_regs_struct, rdi), offsetof(user_regs_struct, rbp)};

}  // namespace

int skip_syscall(pid_t tid) { return set_syscall_number(tid, ~std::uint64_t{0}); }

int set_syscall_number(pid_t tid, std::uint64_t nr) {
    return poke_register(tid, offsetof(user_regs_struct, orig_rax), nr);
}

int set_syscall_argument(pid_t tid, std::uint32_t audit_arch, int index, std::uint64_t value) {
    if (index < 0 || index > 5) return EINVAL;
    const std::size_t* registers = audit_arch == AUDIT_ARCH_I386 ? i386_arguments : x86_64_arguments;
    return poke_register(tid, registers[index], value);
}

int set_return_value(pid_t tid, long value) {
    return poke_register(tid, offsetof(user_regs_struct, rax), static_cast<std::uint64_t>(value));
}

}  // namespace capprof::ptrace_ops
