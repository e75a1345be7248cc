#pragma once
// An interactive bash on a pseudo-terminal of its own, for the tests of job
// control (Ctrl-C, Ctrl-Z, fg) under capprof: the test types as a user
// would and waits for what bash and the programs print.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace capprof::e2e {

class PtySession {
public:
    PtySession() {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
            throw std::runtime_error("no pseudo-terminal");
        std::string slave = ::ptsname(master_);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork");
        if (pid_ == 0) {
            ::setsid();  // a session whose controlling terminal is the pty
            int fd = ::open(slave.c_str(), O_RDWR);
            if (fd < 0 || ::ioctl(fd, TIOCSCTTY, 0) != 0) _exit(120);
            for (int i = 0; i <= 2; ++i) ::dup2(fd, i);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
            ::setenv("PS1", "pty$ ", 1);
            ::execlp("bash", "bash", "--norc", "--noprofile", "-i", static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    PtySession(const PtySession&) = delete;
    PtySession& operator=(const PtySession&) = delete;
    ~PtySession() {
        ::kill(-pid_, SIGKILL);  // bash and the foreground job of its session
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        ::close(master_);
    }

    // What the user types ("\x03" is Ctrl-C, "\x1a" Ctrl-Z).
    void type(const std::string& keys) {
        if (::write(master_, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size()))
            throw std::runtime_error("cannot write to the pty");
    }

    // Reads until `text` appears after what was already waited for; false on time-out.
    bool wait_for(const std::string& text, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (true) {
            auto at = screen_.find(text, seen_);
            if (at != std::string::npos) {
                seen_ = at + text.size();
                return true;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd fd{master_, POLLIN, 0};
            if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
            char buffer[4096];
            ssize_t n = ::read(master_, buffer, sizeof buffer);
            if (n <= 0) return false;  // bash is gone
            screen_.append(buffer, static_cast<std::size_t>(n));
        }
    }

    const std::string& screen() const { return screen_; }

private:
    int master_ = -1;
    pid_t pid_ = -1;
    std::string screen_;
    std::size_t seen_ = 0;
};

}  // namespace capprof::e2e
