#include "ptrace_ops.hpp"

#include <cerrno>

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

}  // namespace capprof::ptrace_ops
