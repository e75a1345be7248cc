#include "traced_runner.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <optional>

extern char** environ;

#include "capprof/error.hpp"
#include "cpu_placement.hpp"
#include "identity_log.hpp"
#include "launcher.hpp"
#include "notify_socket.hpp"
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

// One command of a run traced to its end: the workload's main command, or a
// step of RunSpec::before.
struct CommandTrace {
    RunResult traced;  // as the tracer saw it (Tracer::trace)
    std::optional<int> exec_error;
    std::optional<bool> probe_ok;
    std::vector<ProcessIdentity> identities;
    double seconds = 0;
};

// The environment with NOTIFY_SOCKET added (Type=notify).
std::vector<std::string> with_notify_socket(const RunSpec& spec, const std::string& address) {
    std::vector<std::string> env;
    if (spec.environment) env = *spec.environment;
    else
        for (char** entry = environ; entry && *entry; ++entry) env.emplace_back(*entry);
    std::erase_if(env, [](const std::string& e) { return e.starts_with("NOTIFY_SOCKET="); });
    env.push_back("NOTIFY_SOCKET=" + address);
    return env;
}

// A step of RunSpec::before as a spec of its own: the same credentials,
// environment and trial, no probe, no readiness.
RunSpec step_spec(const RunSpec& spec, const ExecStep& step) {
    RunSpec out = spec;
    out.argv = step.argv;
    out.executable = step.executable;
    out.before.clear();
    out.probe.reset();
    out.duration.reset();
    out.readiness = Readiness::exit;
    out.pid_file.reset();
    out.record_identities = false;
    return out;
}

void add_statistics(RunResult& result, const CommandTrace& trace) {
    result.syscalls += trace.traced.syscalls;
    result.failures += trace.traced.failures;
    result.processes += trace.traced.processes;
    result.threads += trace.traced.threads;
    result.seconds += trace.seconds;
    for (const auto& ignored : trace.traced.ignored_privileges) result.ignored_privileges.push_back(ignored);
}

}  // namespace

TracedRunner::TracedRunner() = default;
TracedRunner::~TracedRunner() = default;

namespace {

struct CommandContext {
    SignalRelay& signals;
    RunSignals& run_signals;
    TrialSandbox* sandbox;
    EventSink& sink;
};

CommandTrace trace_command(const RunSpec& spec, const std::string& path, CommandContext& ctx, LaunchStep step) {
    std::unique_ptr<NotifySocket> notify;
    RunSpec notified;
    const RunSpec* launched = &spec;
    if (spec.readiness == Readiness::notify) {
        notify = std::make_unique<NotifySocket>();
        notified = spec;
        notified.environment = with_notify_socket(spec, notify->address());
        launched = &notified;
    }
    RunContainment containment(spec.probe.has_value());
    LaunchedWorkload workload = launch_workload(*launched, path, ctx.signals, ctx.sandbox,
                                                [&](pid_t pid) { containment.place(pid); }, step);
    // The traced time starts here: the trial's setup is not the workload's.
    const auto start = std::chrono::steady_clock::now();
    ctx.run_signals.workload_seized(workload.pid());
    // Held until the teardown: the workload's exit does not unmount the
    // trial (that would count as traced time). It stops at its execve
    // event until traced, so its namespace is there to open.
    if (ctx.sandbox && step == LaunchStep::first) ctx.sandbox->keep_namespace_of(workload.pid());
    StopController controller(spec, ctx.signals);
    controller.place_probes_in(containment.probe_cgroup_fd());
    // A forking service's PID file is read where the service wrote it.
    const bool pid_file_inside = !spec.probe && spec.readiness == Readiness::forking && spec.pid_file;
    if (ctx.sandbox && (spec.probe_inside || pid_file_inside)) {
        TrialSandbox* sandbox = ctx.sandbox;
        controller.probe_from([sandbox] { return sandbox->enter_namespace_in_this_thread(); });
    }
    controller.notify_from(notify.get(), spec.notify_access == NotifyAccess::main ? workload.pid() : 0);
    controller.start(::pthread_self());
    Tracer tracer(ctx.sink, ctx.signals, controller, containment.terminal(), spec.stop_on_interrupt);
    if (spec.readiness == Readiness::forking) tracer.follow_forking(spec.pid_file);
    IdentityLog identities;
    if (spec.record_identities) tracer.record_identities(identities);
    CommandTrace trace;
    trace.traced = tracer.trace(workload.pid());
    controller.join();
    containment.finish();
    trace.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    trace.identities = identities.identities();
    if (spec.probe || spec.readiness != Readiness::exit) trace.probe_ok = controller.probe_ok().value_or(false);
    trace.exec_error = workload.exec_error();
    if (trace.exec_error) spdlog::debug("execve of {} failed: {}", path, std::strerror(*trace.exec_error));
    return trace;
}

}  // namespace

RunResult TracedRunner::run(const RunSpec& spec, EventSink& sink) {
    if (spec.argv.empty()) throw UserError("no command given", exit_usage);
    // Every command is found before anything runs.
    std::vector<std::string> step_paths;
    for (const ExecStep& step : spec.before) step_paths.push_back(resolve_command(step.executable.value_or(step.argv.at(0))));
    const std::string path = resolve_command(spec.executable.value_or(spec.argv[0]));
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
    CommandContext ctx{signals, run_signals, sandbox.get(), sink};
    LaunchStep step = LaunchStep::first;
    std::optional<CommandTrace> main;
    for (std::size_t i = 0; i < spec.before.size() && !main; ++i) {
        sink.on_step(spec.before[i].label);
        CommandTrace trace = trace_command(step_spec(spec, spec.before[i]), step_paths[i], ctx, step);
        step = LaunchStep::later;
        add_statistics(result, trace);
        const bool interrupted = spec.stop_on_interrupt && signals.interrupted();
        const bool failed = trace.exec_error || !trace.traced.exit.success(0);
        if (interrupted || (failed && !spec.before[i].ignore_failure)) {
            result.failed_step = spec.before[i].label;
            spdlog::debug("{} failed: the main command does not run", spec.before[i].label);
            main = std::move(trace);
        }
    }
    if (!main) {
        if (!spec.before.empty()) sink.on_step(spec.label);
        main = trace_command(spec, path, ctx, step);
        add_statistics(result, *main);
    }
    result.exit = main->traced.exit;
    result.isolated = sandbox != nullptr;
    result.pinned_cpu = placement.pinned_cpu();
    result.identities = std::move(main->identities);
    result.stopped_by_capprof = main->traced.stopped_by_capprof;
    if (spec.stop_on_interrupt && signals.interrupted()) result.interrupted = signals.interrupted();
    if (spec.probe || spec.readiness != Readiness::exit) result.probe_ok = main->probe_ok.value_or(false);
    result.readiness_check = !spec.probe && spec.readiness != Readiness::exit;
    if (main->exec_error) result.started = false;
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
