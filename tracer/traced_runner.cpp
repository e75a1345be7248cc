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
    const auto start = std::chrono::steady_clock::now();

    // Before the fork: the workload inherits the placement (cpu_placement.hpp).
    CpuPlacement placement(cpu_placement_from_env(spec.pin_cpu ? CpuPlacementMode::pin
                                                               : CpuPlacementMode::none));
    SignalRelay signals;
    LaunchedWorkload workload = launch_workload(spec, path, signals);
    signals.forward_to(workload.pid());

    StopController controller(spec, signals);
    controller.start(::pthread_self());
    Tracer tracer(sink, signals, controller);
    IdentityLog identities;
    if (spec.record_identities) tracer.record_identities(identities);
    TraceOutcome outcome = tracer.trace(workload.pid());
    controller.join();

    RunResult result;
    result.exit = outcome.exit;
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
    return result;
}

std::vector<std::string> TracedRunner::syscall_names() const { return known_syscall_names(); }

}  // namespace capprof
