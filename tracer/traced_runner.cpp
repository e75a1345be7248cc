#include "traced_runner.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>

#include "capprof/error.hpp"
#include "cpu_placement.hpp"
#include "identity_log.hpp"
#include "launcher.hpp"
#include "signal_relay.hpp"
#include "stop_controller.hpp"
#include "syscall_names.hpp"
#include "tracer.hpp"

namespace capprof {

RunResult TracedRunner::run(const RunSpec& spec, EventSink& sink) {
    if (spec.argv.empty()) throw UserError("no command given", exit_usage);
    const std::string path = resolve_command(spec.argv[0]);
    RunResult result;
    // Destroyed last: the layers go once the trial's processes are gone.
    std::unique_ptr<TrialSandbox> sandbox = isolation_.prepare(spec, result.not_isolated);

    // Before the fork: the workload inherits the placement (cpu_placement.hpp).
    CpuPlacement placement(cpu_placement_from_env(spec.pin_cpu ? CpuPlacementMode::pin
                                                               : CpuPlacementMode::none));
    SignalRelay signals;
    LaunchedWorkload workload = launch_workload(spec, path, signals, sandbox.get());
    // The traced time starts here: the trial's setup is not the workload's.
    const auto start = std::chrono::steady_clock::now();
    signals.forward_to(workload.pid());

    // Held until the teardown: the workload's exit does not unmount the
    // trial (that would count as traced time). It stops at its execve
    // event until traced, so its namespace is there to open.
    if (sandbox) sandbox->keep_namespace_of(workload.pid());
    StopController controller(spec, signals);
    if (sandbox && spec.probe_inside)
        controller.probe_from([&sandbox] { return sandbox->enter_namespace_in_this_thread(); });
    controller.start(::pthread_self());
    Tracer tracer(sink, signals, controller);
    IdentityLog identities;
    if (spec.record_identities) tracer.record_identities(identities);
    TraceOutcome outcome = tracer.trace(workload.pid());
    controller.join();

    result.exit = outcome.exit;
    result.isolated = sandbox != nullptr;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.syscalls = outcome.syscalls;
    result.failures = outcome.failures;
    result.processes = outcome.processes;
    result.threads = outcome.threads;
    result.pinned_cpu = placement.pinned_cpu();
    result.identities = identities.identities();
    result.ignored_privileges = std::move(outcome.ignored_privileges);
    result.stopped_by_capprof = outcome.stopped_by_capprof || signals.forwarded();
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
