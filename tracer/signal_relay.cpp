#include "signal_relay.hpp"

#include <pthread.h>

#include <atomic>
#include <cerrno>

namespace capprof {

namespace {

// Shared with the handlers (async-signal-safe: lock-free atomics only).
std::atomic<pid_t> forward_pid{0};
std::atomic<bool> stop_on_interrupt{false};
std::atomic<int> interrupt_signal{0};
std::atomic<int> pending_signal{0};  // arrived before there was a workload to forward it to
std::atomic<bool> continued{false};

constexpr int termination_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void termination_handler(int signal, siginfo_t*, void*) {
    int saved_errno = errno;
    pid_t pid = forward_pid.load();
    if (stop_on_interrupt.load()) {
        int none = 0;
        interrupt_signal.compare_exchange_strong(none, signal);
        // The trial's result is thrown away: end it now, whatever the
        // workload does with SIGTERM (the tracer then kills the rest).
        if (pid > 0) ::kill(pid, SIGKILL);
    } else if (pid > 0) {
        // The workload runs in a process group of its own: a terminal's
        // signal to capprof's group did not reach it either.
        ::kill(pid, signal);
    } else {
        pending_signal = signal;  // forward_to() delivers it
    }
    errno = saved_errno;
}

void continue_handler(int) { continued = true; }
void wake_handler(int) {}  // only interrupts waitpid (no SA_RESTART)

bool is_termination(int signal) {
    for (int s : termination_signals)
        if (s == signal) return true;
    return false;
}

// Signals that report a fault of capprof itself, or whose default is to do
// nothing: left alone while tracing.
bool keeps_default(int signal) {
    switch (signal) {
        case SIGKILL: case SIGSTOP:
        case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP: case SIGSYS: case SIGABRT:
        case SIGCHLD: case SIGWINCH: case SIGURG:
            return true;
        default:
            return false;
    }
}

}  // namespace

SignalRelay::SignalRelay() {
    forward_pid = 0;
    stop_on_interrupt = false;
    interrupt_signal = 0;
    pending_signal = 0;
    continued = false;
    for (int signal = 1; signal <= max_signal; ++signal) ::sigaction(signal, nullptr, &saved_[signal]);
    sigemptyset(&held_);
    for (int signal : termination_signals) sigaddset(&held_, signal);

    struct sigaction forward {};
    sigemptyset(&forward.sa_mask);
    forward.sa_sigaction = termination_handler;
    forward.sa_flags = SA_SIGINFO;  // no SA_RESTART: waitpid returns EINTR
    for (int signal : termination_signals) install(signal, forward);
    struct sigaction wake {};
    sigemptyset(&wake.sa_mask);
    wake.sa_handler = wake_handler;
    install(wake_signal, wake);

    sigset_t unblock = held_;
    sigaddset(&unblock, wake_signal);
    ::pthread_sigmask(SIG_UNBLOCK, &unblock, &original_mask_);
}

SignalRelay::~SignalRelay() {
    forward_pid = 0;
    end_run();
    for (int signal = 1; signal <= max_signal; ++signal) restore(signal);
    ::pthread_sigmask(SIG_SETMASK, &original_mask_, nullptr);
}

void SignalRelay::install(int signal, const struct sigaction& action) {
    if (::sigaction(signal, &action, nullptr) == 0) changed_[signal] = true;
}

void SignalRelay::restore(int signal) {
    if (!changed_[signal]) return;
    ::sigaction(signal, &saved_[signal], nullptr);
    changed_[signal] = false;
}

void SignalRelay::begin_run(bool stop) {
    stop_on_interrupt = stop;
    continued = false;
    struct sigaction ignore {};
    sigemptyset(&ignore.sa_mask);
    ignore.sa_handler = SIG_IGN;
    struct sigaction cont {};
    sigemptyset(&cont.sa_mask);
    cont.sa_handler = continue_handler;  // no SA_RESTART: waitpid returns EINTR
    for (int signal = 1; signal <= max_signal; ++signal) {
        if (keeps_default(signal) || is_termination(signal) || signal == wake_signal) continue;
        // glibc keeps two real-time signals for itself: sigaction refuses them.
        install(signal, signal == SIGCONT ? cont : ignore);
    }
}

void SignalRelay::end_run() {
    for (int signal = 1; signal <= max_signal; ++signal) {
        if (keeps_default(signal) || is_termination(signal) || signal == wake_signal) continue;
        restore(signal);
    }
}

void SignalRelay::hold() { ::pthread_sigmask(SIG_BLOCK, &held_, nullptr); }

void SignalRelay::release() { ::pthread_sigmask(SIG_UNBLOCK, &held_, nullptr); }

void SignalRelay::forward_to(pid_t pid) {
    forward_pid = pid;
    if (pid <= 0) return;
    // A latched interrupt ends a trial that starts after it; a signal that
    // came while the workload was being started is forwarded now.
    if (stop_on_interrupt && interrupt_signal) ::kill(pid, SIGKILL);
    if (int signal = pending_signal.exchange(0); signal && !stop_on_interrupt) ::kill(pid, signal);
}

int SignalRelay::interrupted() const { return interrupt_signal; }

void SignalRelay::note_interrupt(int signal) {
    int none = 0;
    interrupt_signal.compare_exchange_strong(none, signal);
}

bool SignalRelay::take_continued() { return continued.exchange(false); }

void SignalRelay::stop_self_like(int signal) {
    struct sigaction default_action {}, previous {};
    default_action.sa_handler = SIG_DFL;
    ::sigaction(signal, &default_action, &previous);
    ::raise(signal);
    ::sigaction(signal, &previous, nullptr);
}

void SignalRelay::restore_in_child() const {
    for (int signal = 1; signal <= max_signal; ++signal) {
        if (!changed_[signal]) continue;
        struct sigaction action {};
        // A handler of capprof's caller means nothing after execve: default.
        action.sa_handler = saved_[signal].sa_handler == SIG_IGN ? SIG_IGN : SIG_DFL;
        ::sigaction(signal, &action, nullptr);
    }
    ::sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

}  // namespace capprof
