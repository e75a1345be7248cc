#include "signal_relay.hpp"

#include <pthread.h>

#include <atomic>
#include <cerrno>

namespace capprof {

namespace {

std::atomic<pid_t> forward_pid{0};
std::atomic<bool> forwarded_signal{false};

void forward_handler(int signal, siginfo_t* info, void*) {
    int saved_errno = errno;
    // si_code <= 0: sent from user space (SI_USER, SI_QUEUE, SI_TKILL);
    // SI_KERNEL (0x80): the terminal driver, which signals the whole
    // foreground process group, workload included.
    if (info && info->si_code <= 0) {
        pid_t pid = forward_pid.load();
        if (pid > 0) {
            ::kill(pid, signal);
            forwarded_signal = true;
        }
    }
    errno = saved_errno;
}

void wake_handler(int) {}  // only interrupts waitpid (no SA_RESTART)

bool is_job_control(int signal) {
    return signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

}  // namespace

SignalRelay::SignalRelay() {
    forwarded_signal = false;
    sigset_t unblock;
    sigemptyset(&unblock);
    for (std::size_t i = 0; i < handled_.size(); ++i) {
        int signal = handled_[i];
        struct sigaction action {};
        sigemptyset(&action.sa_mask);
        if (is_job_control(signal)) {
            action.sa_handler = SIG_IGN;
        } else if (signal == wake_signal) {
            action.sa_handler = wake_handler;
        } else {
            action.sa_sigaction = forward_handler;
            action.sa_flags = SA_SIGINFO;  // no SA_RESTART: waitpid returns EINTR
        }
        ::sigaction(signal, &action, &saved_[i]);
        sigaddset(&unblock, signal);
    }
    ::pthread_sigmask(SIG_UNBLOCK, &unblock, &original_mask_);
}

SignalRelay::~SignalRelay() {
    forward_pid = 0;
    for (std::size_t i = 0; i < handled_.size(); ++i) ::sigaction(handled_[i], &saved_[i], nullptr);
    ::pthread_sigmask(SIG_SETMASK, &original_mask_, nullptr);
}

void SignalRelay::forward_to(pid_t pid) { forward_pid = pid; }

bool SignalRelay::forwarded() const { return forwarded_signal; }

void SignalRelay::stop_self_like(int signal) {
    struct sigaction default_action {}, ignore {};
    default_action.sa_handler = SIG_DFL;
    ignore.sa_handler = SIG_IGN;
    ::sigaction(signal, &default_action, nullptr);
    ::raise(signal);
    ::sigaction(signal, &ignore, nullptr);
}

bool SignalRelay::was_ignored(int signal) const {
    for (std::size_t i = 0; i < handled_.size(); ++i) {
        if (handled_[i] == signal) return saved_[i].sa_handler == SIG_IGN;
    }
    return false;
}

void SignalRelay::restore_in_child() const {
    for (std::size_t i = 0; i < handled_.size(); ++i) {
        struct sigaction action {};
        // A handler of capprof's caller means nothing after execve: default.
        action.sa_handler = saved_[i].sa_handler == SIG_IGN ? SIG_IGN : SIG_DFL;
        ::sigaction(handled_[i], &action, nullptr);
    }
    ::sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

sigset_t SignalRelay::changed_signals() const {
    sigset_t set;
    sigemptyset(&set);
    for (std::size_t i = 0; i < handled_.size(); ++i) {
        if (saved_[i].sa_handler != SIG_IGN) sigaddset(&set, handled_[i]);
    }
    return set;
}

}  // namespace capprof
