#include "image/trial_container.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include "capprof/error.hpp"

namespace capprof {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> caught_signal{0};

void note_signal(int signal) { caught_signal.store(signal); }

// capprof's termination signals while a container runs: noted, and acted
// on by the loop below (the container is stopped or the signal passed on).
class CaughtSignals {
public:
    CaughtSignals() {
        caught_signal.store(0);
        struct sigaction action {};
        action.sa_handler = note_signal;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < signals.size(); ++i) ::sigaction(signals[i], &action, &old_[i]);
    }
    ~CaughtSignals() {
        for (std::size_t i = 0; i < signals.size(); ++i) ::sigaction(signals[i], &old_[i], nullptr);
    }
    static int take() { return caught_signal.exchange(0); }

private:
    static constexpr std::array<int, 4> signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    std::array<struct sigaction, 4> old_{};
};

// Reads the client's stderr to its end: passes it on (err_fd >= 0) and
// keeps the last bytes for an error message.
void pump_stderr(int from, int to, std::string& tail) {
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(from, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (to >= 0) {
            for (ssize_t done = 0; done < n;) {
                const ssize_t w = ::write(to, buffer + done, n - done);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) break;
                done += w;
            }
        }
        tail.append(buffer, n);
        if (tail.size() > 8192) tail.erase(0, tail.size() - 4096);
    }
    ::close(from);
}

bool exited(pid_t pid, int& status) {
    int raw = 0;
    const pid_t done = ::waitpid(pid, &raw, WNOHANG);
    if (done != pid) return false;
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return true;
}

// One probe attempt, at most `limit` seconds; true when it exited 0.
bool probe_once(const DockerCli& docker, const ContainerPlan& plan, double limit) {
    pid_t pid;
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (plan.probe_inside) {
        pid = docker.spawn({"exec", plan.name, "/bin/sh", "-c", *plan.probe}, null_fd, null_fd);
    } else {
        pid = ::fork();
        if (pid == 0) {
            ::setpgid(0, 0);
            ::dup2(null_fd, STDOUT_FILENO);
            ::dup2(null_fd, STDERR_FILENO);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::execl("/bin/sh", "sh", "-c", plan.probe->c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    if (null_fd >= 0) ::close(null_fd);
    if (pid < 0) return false;
    const auto deadline = Clock::now() + std::chrono::duration<double>(limit);
    int status = -1;
    while (!exited(pid, status)) {
        if (Clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return status == 0;
}

// Waits up to `seconds` for the client to exit; true if it did.
bool wait_for(pid_t pid, double seconds, int& status) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (!exited(pid, status)) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// The probe succeeded (and --duration passed): SIGTERM, which the capprof
// inside passes to the workload, then SIGKILL to the container after the
// grace period (no report then).
void stop(const DockerCli& docker, const ContainerPlan& plan, pid_t pid, ContainerRun& run) {
    run.stopped = true;
    docker.run({"kill", "--signal", "TERM", plan.name}, 30);
    if (wait_for(pid, plan.grace + 5, run.docker_status)) return;
    run.killed = true;
    docker.run({"kill", plan.name}, 30);
}

class Loop {
public:
    Loop(const DockerCli& docker, const ContainerPlan& plan, pid_t pid, ContainerRun& run)
        : docker_(docker), plan_(plan), pid_(pid), run_(run), started_(Clock::now()) {}

    void run() {
        while (!exited(pid_, run_.docker_status)) {
            if (const int signal = CaughtSignals::take()) {
                if (on_signal(signal)) return;
                continue;
            }
            if (plan_.probe && !run_.probe_ok.value_or(false) && probe_step()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(plan_.probe ? 200 : 50));
        }
        if (plan_.probe && !run_.probe_ok) run_.probe_ok = false;
    }

private:
    // true: the loop is over.
    bool on_signal(int signal) {
        if (!plan_.stop_on_interrupt) {
            docker_.run({"kill", "--signal", std::to_string(signal), plan_.name}, 30);
            return false;
        }
        run_.interrupted = signal;
        run_.killed = true;
        docker_.run({"kill", plan_.name}, 30);
        wait_for(pid_, 30, run_.docker_status);
        return true;
    }

    // One probe attempt; true when the loop is over (probe done or timed out).
    bool probe_step() {
        const double waited = std::chrono::duration<double>(Clock::now() - started_).count();
        if (waited >= plan_.ready_timeout) {
            run_.probe_ok = false;
            stop(docker_, plan_, pid_, run_);
            return true;
        }
        if (!probe_once(docker_, plan_, std::max(1.0, plan_.ready_timeout - waited))) return false;
        run_.probe_ok = true;
        if (plan_.duration && !wait_for(pid_, *plan_.duration, run_.docker_status)) stop(docker_, plan_, pid_, run_);
        else if (!plan_.duration) stop(docker_, plan_, pid_, run_);
        return true;
    }

    const DockerCli& docker_;
    const ContainerPlan& plan_;
    pid_t pid_;
    ContainerRun& run_;
    Clock::time_point started_;
};

}  // namespace

ContainerRun run_container(const DockerCli& docker, const ContainerPlan& plan) {
    ContainerRun run;
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) < 0) throw UserError("cannot start the trial container: pipe failed");
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    CaughtSignals signals;
    pid_t pid = -1;
    try {
        pid = docker.spawn(plan.run_args, plan.out_fd >= 0 ? plan.out_fd : null_fd, err_pipe[1]);
    } catch (...) {
        ::close(err_pipe[0]);
        ::close(err_pipe[1]);
        if (null_fd >= 0) ::close(null_fd);
        throw;
    }
    ::close(err_pipe[1]);
    if (null_fd >= 0) ::close(null_fd);
    std::thread pump(pump_stderr, err_pipe[0], plan.err_fd, std::ref(run.stderr_tail));
    Loop(docker, plan, pid, run).run();
    if (run.docker_status < 0) run.docker_status = wait_status(pid);
    pump.join();
    return run;
}

}  // namespace capprof
