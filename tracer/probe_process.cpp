#include "probe_process.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "reaper.hpp"
#include "signal_relay.hpp"

extern char** environ;

namespace capprof {

namespace {

// Between fork and execve: async-signal-safe calls only (capprof has threads).
[[noreturn]] void run_probe_child(char* const* argv, pid_t parent, const SignalRelay& signals,
                                  int cgroup_procs_fd) {
    if (!die_with_parent(parent)) ::_exit(127);
    ::setpgid(0, 0);
    if (cgroup_procs_fd >= 0) {
        [[maybe_unused]] auto n = ::write(cgroup_procs_fd, "0", 1);
    }
    signals.restore_in_child();
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        for (int fd = 0; fd <= 2; ++fd) ::dup2(null_fd, fd);
        if (null_fd > 2) ::close(null_fd);
    }
    ::execve("/bin/sh", argv, environ);
    ::_exit(127);
}

}  // namespace

pid_t spawn_probe(const std::string& command, const SignalRelay& signals, int cgroup_procs_fd) {
    std::string text = command;
    char* argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"), text.data(), nullptr};
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) return -errno;
    if (pid == 0) run_probe_child(argv, parent, signals, cgroup_procs_fd);
    // As the shell does for a job: set the group from both sides, so it is
    // in place whichever runs first.
    ::setpgid(pid, pid);
    return pid;
}

}  // namespace capprof
