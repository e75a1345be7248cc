#include "terminal.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <termios.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>

namespace capprof {

TerminalHandover::TerminalHandover() {
    // /dev/tty is the process's controlling terminal, whatever fds 0-2 are
    // (tty(4)); ENXIO without one.
    // Read-only is enough: tcgetpgrp/tcsetpgrp are ioctls on the terminal.
    fd_ = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
}

TerminalHandover::~TerminalHandover() {
    take_back();
    if (fd_ >= 0) ::close(fd_);
}

bool TerminalHandover::capprof_in_foreground() const {
    return fd_ >= 0 && ::tcgetpgrp(fd_) == ::getpgrp();
}

void TerminalHandover::set_foreground(pid_t group) {
    // tcsetpgrp from a background group raises SIGTTOU unless it is blocked
    // (tcsetpgrp(3)): capprof may be in the background when it takes the
    // terminal back.
    sigset_t ttou, previous;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    ::pthread_sigmask(SIG_BLOCK, &ttou, &previous);
    if (::tcsetpgrp(fd_, group) != 0)
        spdlog::debug("terminal: cannot make process group {} the foreground: {}", group, std::strerror(errno));
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void TerminalHandover::hand_to(pid_t workload_group) {
    workload_group_ = workload_group;
    if (!capprof_in_foreground()) return;
    set_foreground(workload_group);
    handed_ = true;
    spdlog::debug("terminal: the workload's process group {} is the foreground", workload_group);
}

void TerminalHandover::before_stop() { handed_ = false; }

void TerminalHandover::after_continue() {
    if (workload_group_ > 0 && !handed_) hand_to(workload_group_);
}

void TerminalHandover::take_back() {
    if (!handed_ || fd_ < 0) return;
    handed_ = false;
    if (::tcgetpgrp(fd_) != ::getpgrp()) set_foreground(::getpgrp());
}

}  // namespace capprof
