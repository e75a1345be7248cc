#include "wait_status.hpp"

#include <sys/ptrace.h>
#include <sys/wait.h>

#include <csignal>

namespace capprof {

WaitStatus WaitStatus::for_exit_code(int code) { return WaitStatus((code & 0xff) << 8); }
WaitStatus WaitStatus::for_fatal_signal(int signal) { return WaitStatus(signal & 0x7f); }
WaitStatus WaitStatus::for_syscall_stop() { return WaitStatus(((SIGTRAP | 0x80) << 8) | 0x7f); }
WaitStatus WaitStatus::for_ptrace_event(int event, int signal) {
    return WaitStatus((event << 16) | (signal << 8) | 0x7f);
}
WaitStatus WaitStatus::for_group_stop(int signal) {
    return for_ptrace_event(PTRACE_EVENT_STOP, signal);
}
WaitStatus WaitStatus::for_signal_stop(int signal) { return WaitStatus((signal << 8) | 0x7f); }

int WaitStatus::exit_code() const { return WEXITSTATUS(raw_); }
int WaitStatus::fatal_signal() const { return WTERMSIG(raw_); }
int WaitStatus::stop_signal() const { return WSTOPSIG(raw_) & 0x7f; }
int WaitStatus::ptrace_event() const { return WIFSTOPPED(raw_) ? (raw_ >> 16) & 0xff : 0; }

WaitStatus::Kind WaitStatus::kind() const {
    if (WIFEXITED(raw_)) return Kind::exited;
    if (WIFSIGNALED(raw_)) return Kind::killed;
    if (!WIFSTOPPED(raw_)) return Kind::other;
    if (WSTOPSIG(raw_) == (SIGTRAP | 0x80)) return Kind::syscall_stop;
    int event = ptrace_event();
    if (event == PTRACE_EVENT_STOP) {
        switch (stop_signal()) {
            case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return Kind::group_stop;
            default: return Kind::ptrace_event;
        }
    }
    if (event != 0) return Kind::ptrace_event;
    return Kind::signal_stop;
}

}  // namespace capprof
