#pragma once
// What one waitpid() said about a traced task, as a value type with named
// factories (rr's WaitStatus). Under PTRACE_SEIZE (ptrace(2)):
//   syscall stop        WSTOPSIG == SIGTRAP|0x80 (PTRACE_O_TRACESYSGOOD)
//   ptrace event stop   status >> 8 == SIGTRAP | event << 8
//   group-stop          PTRACE_EVENT_STOP with SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU
//   interrupt stop      PTRACE_EVENT_STOP with another signal (SIGTRAP): the
//                       first stop of an auto-attached child, or a wake-up
//                       from PTRACE_LISTEN by SIGCONT
//   signal-delivery     any other stop
namespace capprof {

class WaitStatus {
public:
    enum class Kind { exited, killed, syscall_stop, ptrace_event, group_stop, signal_stop, other };

    explicit WaitStatus(int raw = 0) : raw_(raw) {}

    static WaitStatus for_exit_code(int code);
    static WaitStatus for_fatal_signal(int signal);
    static WaitStatus for_syscall_stop();
    static WaitStatus for_ptrace_event(int event, int signal = 5 /* SIGTRAP */);
    static WaitStatus for_group_stop(int signal);
    static WaitStatus for_signal_stop(int signal);

    Kind kind() const;
    int raw() const { return raw_; }
    int exit_code() const;       // kind() == exited
    int fatal_signal() const;    // kind() == killed
    int stop_signal() const;     // group_stop, signal_stop, ptrace_event
    int ptrace_event() const;    // PTRACE_EVENT_* (0 if none)

private:
    int raw_;
};

}  // namespace capprof
