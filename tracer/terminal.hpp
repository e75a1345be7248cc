#pragma once
// The controlling terminal, handed to the workload's process group the way a
// job-control shell hands it to a foreground job (bash(1), "JOB
// CONTROL"): the workload runs in a process group of its own (so that
// kill(0) and kill(-pgrp) stay inside it), and when capprof's group is the
// terminal's foreground, the workload's group becomes it instead, so Ctrl-C
// and Ctrl-Z reach the workload as they would without capprof, and its reads
// of the terminal work. capprof takes the terminal back at the end.
//
// Without a controlling terminal, or when capprof runs in the background,
// nothing is handed over.
#include <sys/types.h>

namespace capprof {

class TerminalHandover {
public:
    TerminalHandover();   // opens /dev/tty if capprof has a controlling terminal
    ~TerminalHandover();  // take_back()
    TerminalHandover(const TerminalHandover&) = delete;
    TerminalHandover& operator=(const TerminalHandover&) = delete;

    // The workload's process group; the terminal goes to it when capprof is
    // in the foreground.
    void hand_to(pid_t workload_group);
    // capprof is about to stop itself (the shell takes the terminal).
    void before_stop();
    // capprof was continued: with the terminal again (`fg`), hand it on.
    void after_continue();
    // The terminal's foreground back to capprof's group, if it was handed.
    void take_back();

    pid_t workload_group() const { return workload_group_; }

private:
    bool capprof_in_foreground() const;
    void set_foreground(pid_t group);

    int fd_ = -1;
    pid_t workload_group_ = 0;
    bool handed_ = false;
};

}  // namespace capprof
