#include "stop_controller.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "notify_socket.hpp"
#include "probe_process.hpp"
#include "signal_relay.hpp"

namespace capprof {

namespace {

using clock = std::chrono::steady_clock;
constexpr double probe_interval = 0.2;
constexpr double probe_attempt_limit = 5.0;

std::chrono::nanoseconds seconds_to_duration(double seconds) {
    return std::chrono::nanoseconds(static_cast<long long>(seconds * 1e9));
}

double seconds_since(clock::time_point start) {
    return std::chrono::duration<double>(clock::now() - start).count();
}

}  // namespace

StopController::StopController(const RunSpec& spec, const SignalRelay& signals)
    : spec_(spec), signals_(signals) {}

StopController::~StopController() { join(); }

void StopController::start(pthread_t tracer) {
    if (!spec_.probe && !spec_.duration && spec_.readiness == Readiness::exit) return;
    tracer_ = tracer;
    // The thread blocks every signal: capprof's handlers and the wake-up
    // signal must run on the tracer thread.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    thread_ = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void StopController::join() {
    if (!thread_.joinable()) return;
    workload_exited();
    thread_.join();
}

void StopController::workload_exited() {
    {
        std::lock_guard lock(mutex_);
        exited_ = true;
    }
    changed_.notify_all();
}

void StopController::process_stopped_by_denial() {
    long long expected = 0;
    const long long now = clock::now().time_since_epoch().count();
    stopped_by_denial_at_.compare_exchange_strong(expected, now > 0 ? now : 1);
}

bool StopController::gave_up() const {
    const long long at = stopped_by_denial_at_.load();
    if (!spec_.give_up_after_denial || at == 0) return false;
    const auto since = clock::now() - clock::time_point(clock::duration(at));
    return std::chrono::duration<double>(since).count() >= spec_.give_up_grace;
}

void StopController::start_command_done() {
    {
        std::lock_guard lock(mutex_);
        start_done_ = true;
    }
    changed_.notify_all();
}

bool StopController::pid_file_names_a_process() const {
    std::ifstream in(*spec_.pid_file);
    long pid = 0;
    if (!(in >> pid) || pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// true when the workload has exited; `started`: the forking start is done.
bool StopController::finished_or_started(bool& started) {
    std::lock_guard lock(mutex_);
    started = start_done_;
    return exited_;
}

bool StopController::wait_service_ready() {
    const auto start = clock::now();
    const bool in_place = !enter_probe_place_ || enter_probe_place_();
    while (seconds_since(start) < spec_.ready_timeout) {
        bool started = false;
        if (finished_or_started(started)) return false;
        if (spec_.readiness == Readiness::notify) {
            if (notify_ && notify_->wait_ready(100, notify_main_pid_)) return true;
            if (!notify_ && wait_or_exited(0.1)) return false;
            continue;
        }
        // Type=forking: systemd reads PIDFile= once the start command exited.
        if (started && (!spec_.pid_file || (in_place && pid_file_names_a_process()))) return true;
        if (wait_or_exited(0.05)) return false;
    }
    return false;
}

void StopController::acknowledge(StopLevel level) {
    {
        std::lock_guard lock(mutex_);
        acknowledged_ = static_cast<int>(level);
    }
    changed_.notify_all();
}

std::optional<bool> StopController::probe_ok() const {
    std::lock_guard lock(mutex_);
    return probe_ok_;
}

bool StopController::wait_or_exited(double seconds) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, seconds_to_duration(seconds), [this] { return exited_; });
}

void StopController::request(StopLevel level) {
    level_ = static_cast<int>(level);
    spdlog::debug("stopping the workload: {}", level == StopLevel::kill ? "SIGKILL" : "SIGTERM");
    std::unique_lock lock(mutex_);
    while (!exited_ && acknowledged_.load() < static_cast<int>(level)) {
        ::pthread_kill(tracer_, SignalRelay::wake_signal);
        changed_.wait_for(lock, std::chrono::milliseconds(50));
    }
}

bool StopController::run_probe_once(double max_seconds) {
    pid_t pid = spawn_probe(*spec_.probe, signals_, probe_cgroup_fd_);
    if (pid < 0) {
        spdlog::debug("probe: cannot start /bin/sh: {}", std::strerror(-pid));
        return false;
    }
    auto start = clock::now();
    int status = 0;
    while (true) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) return false;
        bool exited = wait_or_exited(0.02);
        if (exited || seconds_since(start) > max_seconds) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return false;
        }
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void StopController::run() {
    auto start = clock::now();
    if (spec_.probe) {
        bool ok = false;
        const bool can_probe = !enter_probe_place_ || enter_probe_place_();
        if (!can_probe) spdlog::warn("cannot enter the trial's mount namespace: the probe does not run");
        while (!ok && can_probe) {
            {
                std::lock_guard lock(mutex_);
                if (exited_) break;
            }
            double left = spec_.ready_timeout - seconds_since(start);
            if (left <= 0) break;
            if (gave_up()) {
                // A process of it was stopped by a denial and the probe has
                // kept failing since: it will not serve in this trial.
                spdlog::debug("probe: a process was stopped by a denial {:.1f} s ago; giving up",
                              spec_.give_up_grace);
                break;
            }
            ok = run_probe_once(std::min(left, probe_attempt_limit));
            if (!ok && wait_or_exited(probe_interval)) break;
        }
        {
            std::lock_guard lock(mutex_);
            probe_ok_ = ok;
            if (exited_) return;
        }
        spdlog::debug("probe {} after {:.2f} s", ok ? "succeeded" : "failed", seconds_since(start));
        if (ok && spec_.duration && wait_or_exited(*spec_.duration)) return;
    } else if (spec_.readiness != Readiness::exit) {
        const bool ok = wait_service_ready();
        {
            std::lock_guard lock(mutex_);
            probe_ok_ = ok;
            if (exited_) return;
        }
        spdlog::debug("service {} after {:.2f} s", ok ? "ready" : "not ready", seconds_since(start));
        if (ok && spec_.duration && wait_or_exited(*spec_.duration)) return;
    } else if (wait_or_exited(*spec_.duration)) {
        return;
    }
    request(StopLevel::terminate);
    if (wait_or_exited(spec_.grace)) return;
    request(StopLevel::kill);
}

}  // namespace capprof
