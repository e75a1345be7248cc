#include "traced_runner.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>

#include "capprof/error.hpp"
#include "cpu_placement.hpp"
#include "identity_log.hpp"
#include "launcher.hpp"
#include "run_containment.hpp"
#include "signal_relay.hpp"
#include "stop_controller.hpp"
#include "syscall_names.hpp"
#include "tracer.hpp"

namespace capprof {

namespace {

// capprof's signal handling for the time of one run (signal_relay.hpp).
class RunSignals {
public:
    RunSignals(SignalRelay& signals, bool stop_on_interrupt) : signals_(signals) {
        signals_.begin_run(stop_on_interrupt);
        signals_.hold();  // until the workload is seized
    }
    ~RunSignals() {
        signals_.forward_to(0);
        signals_.release();
        signals_.end_run();
    }
    void workload_seized(pid_t pid) {
        signals_.forward_to(pid);
        signals_.release();  // a signal that arrived meanwhile acts now
    }

private:
    SignalRelay& signals_;
};

RunResult interrupted_before_start(int signal) {
    RunResult result;
    result.started = false;
    result.interrupted = signal;
    return result;
}

}  // namespace

TracedRunner::TracedRunner() = default;
TracedRunner::~TracedRunner() = default;

RunResult TracedRunner::run(const RunSpec& spec, EventSink& sink) {
    if (spec.argv.empty()) throw UserError("no command given", exit_usage);
    const std::string path = resolve_command(spec.argv[0]);
    if (!signals_) signals_ = std::make_unique<SignalRelay>();
    SignalRelay& signals = *signals_;
    RunSignals run_signals(signals, spec.stop_on_interrupt);
    if (spec.stop_on_interrupt && signals.interrupted()) return interrupted_before_start(signals.interrupted());
    RunResult result;
    // Destroyed last: the layers go once the trial's processes are gone.
    std::unique_ptr<TrialSandbox> sandbox = isolation_.prepare(spec, result.not_isolated);

    // Before the fork: the workload inherits the placement (cpu_placement.hpp).
    CpuPlacement placement(cpu_placement_from_env(spec.pin_cpu ? CpuPlacementMode::pin
                                                               : CpuPlacementMode::none));
    RunContainment containment(spec.probe.has_value());
    LaunchedWorkload workload = launch_workload(spec, path, signals, sandbox.get(),
                                                [&](pid_t pid) { containment.place(pid); });
    // The traced time starts here: the trial's setup is not the workload's.
    const auto start = std::chrono::steady_clock::now();
    run_signals.workload_seized(workload.pid());

    // Held until the teardown: the workload's exit does not unmount the
    // trial (that would count as traced time). It stops at its execve
    // event until traced, so its namespace is there to open.
    if (sandbox) sandbox->keep_namespace_of(workload.pid());
    StopController controller(spec, signals);
    controller.place_probes_in(containment.probe_cgroup_fd());
    if (sandbox && spec.probe_inside)
        controller.probe_from([&sandbox] { return sandbox->enter_namespace_in_this_thread(); });
    controller.start(::pthread_self());
    Tracer tracer(sink, signals, controller, containment.terminal(), spec.stop_on_interrupt);
    IdentityLog identities;
    if (spec.record_identities) tracer.record_identities(identities);
    RunResult traced = tracer.trace(workload.pid());
    controller.join();
    containment.finish();

    result.exit = traced.exit;
    result.isolated = sandbox != nullptr;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.syscalls = traced.syscalls;
    result.failures = traced.failures;
    result.processes = traced.processes;
    result.threads = traced.threads;
    result.pinned_cpu = placement.pinned_cpu();
    result.identities = identities.identities();
    result.ignored_privileges = std::move(traced.ignored_privileges);
    result.stopped_by_capprof = traced.stopped_by_capprof;
    if (spec.stop_on_interrupt && signals.interrupted()) result.interrupted = signals.interrupted();
    if (spec.probe) result.probe_ok = controller.probe_ok().value_or(false);
    if (auto exec_error = workload.exec_error()) {
        result.started = false;
        spdlog::debug("execve of {} failed: {}", path, std::strerror(*exec_error));
    }
    spdlog::debug("workload ended: {} syscalls, {} processes, {} threads, {} failures in {:.3f} s",
                  result.syscalls, result.processes, result.threads, result.failures, result.seconds);
    if (sandbox) {
        const auto teardown = std::chrono::steady_clock::now();
        sandbox.reset();
        spdlog::debug("trial layers discarded in {:.1f} ms",
                      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - teardown).count());
    }
    return result;
}

std::vector<std::string> TracedRunner::syscall_names() const { return known_syscall_names(); }

}  // namespace capprof
