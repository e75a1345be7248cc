#pragma once
// capprof's own signal handling while a workload runs, so that capprof is
// transparent (DESIGN.md "run is transparent"):
//  - SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to capprof with kill(2) or
//    sigqueue(3) are forwarded to the workload's main process. A terminal's
//    Ctrl-C (si_code SI_KERNEL) already reached the workload's process group
//    and is not delivered twice.
//  - SIGTSTP/SIGTTIN/SIGTTOU are ignored: capprof stops itself only after the
//    workload's main process entered group-stop (stop_self_like()).
//  - A wake-up signal, installed without SA_RESTART, interrupts the tracer's
//    blocking waitpid() when the stop controller has a request.
// Everything is restored by the destructor; the launched child gets back the
// dispositions and mask capprof itself inherited (restore_in_child()).
#include <sys/types.h>

#include <array>
#include <csignal>

namespace capprof {

class SignalRelay {
public:
    static constexpr int wake_signal = SIGUSR2;

    SignalRelay();  // installs handlers on the calling (tracer) thread
    ~SignalRelay();
    SignalRelay(const SignalRelay&) = delete;
    SignalRelay& operator=(const SignalRelay&) = delete;

    // Where forwarded signals go (0: nowhere yet).
    void forward_to(pid_t pid);
    // A signal was forwarded since construction.
    bool forwarded() const;

    // Stops capprof with the same job-control signal that stopped the
    // workload, so that the shell sees the job stopped; returns when a
    // SIGCONT resumes it. In an orphaned process group the kernel discards
    // SIGTSTP/SIGTTIN/SIGTTOU (signal(7)) and this returns at once, as the
    // workload would not have stopped either.
    void stop_self_like(int signal);

    // Between fork and execve (async-signal-safe): capprof's inherited
    // dispositions of the signals it changed and its inherited signal mask.
    void restore_in_child() const;

    // The signal mask capprof inherited, and the signals it changed (for the
    // probe's posix_spawn attributes).
    const sigset_t& original_mask() const { return original_mask_; }
    sigset_t changed_signals() const;
    bool was_ignored(int signal) const;

private:
    static constexpr std::array<int, 8> handled_ = {SIGINT, SIGTERM, SIGHUP, SIGQUIT,
                                                    SIGTSTP, SIGTTIN, SIGTTOU, wake_signal};
    std::array<struct sigaction, handled_.size()> saved_{};
    sigset_t original_mask_{};
};

}  // namespace capprof
