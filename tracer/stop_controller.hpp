#pragma once
// Ends server workloads (RunSpec.probe / ready_timeout / duration / grace).
// A thread, started only when a probe or a duration is given, runs the probe
// untraced (`/bin/sh -c PROBE`) every ~200 ms until it succeeds, the ready
// timeout passes or the workload exits; then waits `duration`, and asks the
// tracer thread to terminate the workload (SIGTERM), and after `grace`
// seconds to kill it (SIGKILL). Requests reach the tracer through an atomic
// and a wake-up signal that interrupts its waitpid(); the signal is repeated
// until the tracer acknowledges, so a request that races with the tracer
// entering waitpid() is not lost.
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "capprof/runner.hpp"

namespace capprof {

class NotifySocket;
class SignalRelay;

enum class StopLevel : int { none = 0, terminate = 1, kill = 2 };

class StopController {
public:
    StopController(const RunSpec& spec, const SignalRelay& signals);
    ~StopController();  // joins

    // Starts the thread if the spec needs one. `tracer` receives wake-ups.
    void start(pthread_t tracer);
    // Probes move themselves into this cgroup (its cgroup.procs fd; -1: none).
    void place_probes_in(int cgroup_procs_fd) { probe_cgroup_fd_ = cgroup_procs_fd; }
    // Before start(): run by the thread before its first probe (--probe-inside
    // enters the trial's mount namespace there); false: no probe can run.
    void probe_from(std::function<bool()> enter) { enter_probe_place_ = std::move(enter); }

    // Tracer side: the level asked for (cheap atomic load) and its receipt.
    StopLevel requested() const { return static_cast<StopLevel>(level_.load(std::memory_order_relaxed)); }
    void acknowledge(StopLevel level);
    // Tracer side: the workload's main process has ended.
    void workload_exited();
    // Tracer side: a process exited unsuccessfully after a denial. With
    // RunSpec::give_up_after_denial the probe loop gives up once the probe
    // has kept failing for RunSpec::give_up_grace seconds after this.
    void process_stopped_by_denial();
    // Type=notify without a probe: READY=1 on this socket means ready.
    // `main_pid`: the only sender heard (NotifyAccess=main), or 0 for any.
    void notify_from(NotifySocket* socket, pid_t main_pid) {
        notify_ = socket;
        notify_main_pid_ = main_pid;
    }
    // Tracer side, Type=forking: the start command exited 0 and left a daemon.
    void start_command_done();
    void join();

    std::optional<bool> probe_ok() const;

private:
    void run();
    bool run_probe_once(double max_seconds);
    void request(StopLevel level);
    // Sleeps up to `seconds`; true if the workload exited meanwhile.
    bool wait_or_exited(double seconds);
    // With give_up_after_denial: a process was stopped by a denial at least
    // give_up_grace seconds ago.
    bool gave_up() const;
    // Without a probe, for RunSpec::readiness notify/forking: until the
    // service is ready, the ready timeout passes or the workload exits.
    bool wait_service_ready();
    bool pid_file_names_a_process() const;
    bool finished_or_started(bool& started);

    const RunSpec& spec_;
    const SignalRelay& signals_;
    pthread_t tracer_{};
    std::thread thread_;
    std::atomic<int> level_{0};
    std::atomic<int> acknowledged_{0};
    // steady_clock nanoseconds of the first process_stopped_by_denial(); 0: none.
    std::atomic<long long> stopped_by_denial_at_{0};
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool exited_ = false;
    std::optional<bool> probe_ok_;
    int probe_cgroup_fd_ = -1;
    std::function<bool()> enter_probe_place_;
    NotifySocket* notify_ = nullptr;
    pid_t notify_main_pid_ = 0;
    bool start_done_ = false;  // Type=forking: the start command left its daemon
};

}  // namespace capprof
