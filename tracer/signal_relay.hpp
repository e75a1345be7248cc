#pragma once
// capprof's own signal handling, so that capprof is transparent (docs/ARCHITECTURE.md
// "run is transparent") and nothing but SIGKILL/SIGSTOP ends or stops it
// while it traces. Two tiers:
//
// For as long as the relay lives (the runner's lifetime, across runs):
//  - SIGINT/SIGTERM/SIGHUP/SIGQUIT: in a `run`, forwarded to the workload's
//    main process (which decides, as it would without capprof); in a trial
//    of minimize/check (begin_run(true)), they end the trial at once (the
//    main process gets SIGKILL) and stay latched in interrupted(), so no
//    further trial starts. Held (blocked) between hold() and release(), so
//    that one arriving before the workload is seized is acted on, not lost.
//  - A wake-up signal, installed without SA_RESTART, interrupts the tracer's
//    blocking waitpid() when the stop controller has a request.
// While a run is traced (begin_run() .. end_run()):
//  - SIGTSTP/SIGTTIN/SIGTTOU are ignored: capprof stops itself only when the
//    terminal stopped the workload (stop_self_like()).
//  - SIGCONT is noted (take_continued()): the terminal goes back to the
//    workload when capprof is in the foreground again.
//  - Every other signal whose default would end capprof (SIGUSR1, SIGALRM,
//    SIGPIPE, SIGIO, SIGXCPU, SIGXFSZ, SIGPWR, real-time signals...) is
//    ignored. Signals that report capprof's own faults (SIGSEGV, SIGBUS,
//    SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT) keep their default: a crash
//    must stay a crash (PTRACE_O_EXITKILL then ends the workload).
// Everything is restored by the destructor; the launched child and the probe
// get back the dispositions and mask capprof itself inherited.
#include <sys/types.h>

#include <array>
#include <csignal>

namespace capprof {

class SignalRelay {
public:
    static constexpr int wake_signal = SIGUSR2;

    SignalRelay();  // installs the lasting tier on the calling (tracer) thread
    ~SignalRelay();
    SignalRelay(const SignalRelay&) = delete;
    SignalRelay& operator=(const SignalRelay&) = delete;

    // One traced run. `stop_on_interrupt`: a termination signal ends the run
    // (minimize/check) instead of being forwarded (run).
    void begin_run(bool stop_on_interrupt);
    void end_run();

    // Blocks the termination signals (from before the fork until the
    // workload is seized); release() unblocks them, and pending ones act.
    void hold();
    void release();

    // Where termination signals go (0: nowhere).
    void forward_to(pid_t pid);
    // The termination signal that interrupted a trial, 0 if none. It stays
    // set: every later run is refused.
    int interrupted() const;
    // The tracer saw the terminal interrupt the workload (Ctrl-C: SIGINT
    // from the kernel) during a trial: the same as a signal to capprof.
    void note_interrupt(int signal);
    // A SIGCONT arrived since the last call.
    bool take_continued();

    // Stops capprof with the same job-control signal that stopped the
    // workload, so that the shell sees the job stopped; returns when a
    // SIGCONT resumes it. In an orphaned process group the kernel discards
    // SIGTSTP/SIGTTIN/SIGTTOU (signal(7)) and this returns at once.
    void stop_self_like(int signal);

    // Between fork and execve (async-signal-safe): capprof's inherited
    // dispositions of the signals it changed and its inherited signal mask
    // (for the workload and the probe).
    void restore_in_child() const;

private:
    static constexpr int max_signal = 64;  // _NSIG - 1 on x86_64
    void install(int signal, const struct sigaction& action);
    void restore(int signal);

    std::array<struct sigaction, max_signal + 1> saved_{};
    std::array<bool, max_signal + 1> changed_{};
    sigset_t original_mask_{};
    sigset_t held_{};
};

}  // namespace capprof
