#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "cli/command.hpp"
#include "common/user_db.hpp"
#include "unit/unit_workload.hpp"

namespace capprof {

namespace {

// Capabilities capprof itself may pass on: its bounding set (CapBnd in
// /proc/self/status, read through prctl(2) PR_CAPBSET_READ). As uid 0 the
// workload's permitted set after execve is the bounding set, so a capability
// missing here cannot be granted (e.g. root without CAP_SYS_RESOURCE).
CapSet own_bounding_set() {
    CapSet set = 0;
    for (int cap = 0; cap <= cap_last_cap(); ++cap) {
        if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) set |= cap_bit(cap);
    }
    return set;
}

bool mentions_all(const std::vector<std::string>& items) {
    for (const std::string& item : items) {
        std::string upper;
        for (char c : item) {
            if (!std::isspace(static_cast<unsigned char>(c)))
                upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        upper = "," + upper + ",";
        if (upper.find(",ALL,") != std::string::npos || upper.find(",CAP_ALL,") != std::string::npos)
            return true;
    }
    return false;
}

std::string join(const std::vector<std::string>& names, const char* separator) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out += separator;
        out += name;
    }
    return out;
}

CapSet granted_capabilities(const CommonOptions& options, bool root) {
    CapSet granted = parse_cap_list(options.cap_add);
    if (granted == 0) return 0;
    if (!root) {
        throw UserError("--cap-add needs root: capprof cannot give the workload capabilities it "
                        "does not have itself (run capprof with sudo)");
    }
    const CapSet own = own_bounding_set();
    const CapSet missing = granted & ~own;
    if (missing == 0) return granted;
    if (mentions_all(options.cap_add)) {
        // Like docker's --cap-add ALL: everything this host can give.
        spdlog::debug("--cap-add ALL: {} not in capprof's bounding set, not granted",
                      join(cap_names(missing), " "));
        return granted & own;
    }
    throw UserError("cannot grant " + join(cap_names(missing), ", ") +
                    ": capprof's own bounding set lacks it (CapBnd in /proc/self/status), so "
                    "no process it starts can hold it; docker run --cap-add would fail here too");
}

// The longest --duration or --ready-timeout: a year. Far beyond any
// profiling run, and far below what the timers can hold (nanoseconds in 64
// bits: 292 years), so that 1e10 is refused instead of wrapping around.
constexpr double max_seconds = 365.0 * 24 * 3600;

// A number of seconds above 0 and at most max_seconds; nan, inf and numbers
// that overflow are refused with a plain message (CLI11's own range check
// would print DBL_MAX in 300 digits and accepts nan).
CLI::Validator seconds_validator() {
    return CLI::Validator(
        [](std::string& input) -> std::string {
            errno = 0;
            char* end = nullptr;
            const double value = std::strtod(input.c_str(), &end);
            const bool number = !input.empty() && end && *end == '\0' && errno != ERANGE;
            if (number && std::isfinite(value) && value > 0 && value <= max_seconds) return {};
            return "expected a number of seconds above 0 and at most " +
                   std::to_string(static_cast<long>(max_seconds)) + " (a year), not " + input;
        },
        "", "SECONDS");
}

}  // namespace

void require_root_for(const std::string& command, const std::string& why) {
    if (::geteuid() == 0) return;
    throw UserError(command + " needs root: " + why + " (run capprof with sudo; capprof run "
                    "works without root)");
}

TrialLoopOptions trial_loop_options(const CommonOptions& options, RunSpec spec) {
    TrialLoopOptions loop;
    loop.spec = std::move(spec);
    loop.spec.stop_on_interrupt = true;
    loop.spec.stdout_to_stderr = true;  // stdout holds the answer
    loop.expect_exit = options.expect_exit;
    loop.pass_all_output = options.verbose > 0;
    if (!options.quiet) loop.progress = print_progress;
    return loop;
}

int write_answer(ReportOutputs& outputs, const Report& report, bool ok) {
    if (!outputs.write(report)) return exit_usage;
    if (report.interrupted) return 128 + *report.interrupted;  // as a shell reports it
    return ok ? 0 : 1;
}

void add_common_options(CLI::App& cmd, CommonOptions& options) {
    cmd.add_option("--cap-add", options.cap_add,
                   "Keep capability CAP (Docker spelling, CAP_ prefix and lower case accepted; "
                   "comma lists and ALL allowed; repeatable)")
        ->type_name("CAP[,CAP]")
        ->allow_extra_args(false);
    cmd.add_option("--user", options.user, "Run the workload as USER[:GROUP] (names or numbers)")
        ->type_name("USER[:GROUP]");
    cmd.add_option("--json", options.json_path, "Write the JSON report (capprof.report/v1) to FILE; - = stdout")
        ->type_name("FILE");
    cmd.add_option("--report", options.report_path, "Write the human report to FILE instead of stderr")
        ->type_name("FILE");
    cmd.add_option("--format", options.format, "Report format")
        ->check(CLI::IsMember({"text", "docker", "compose", "k8s", "systemd"}))
        ->type_name("FORMAT")
        ->capture_default_str();
    cmd.add_option("--probe", options.probe,
                   "Shell command run (untraced) until it succeeds: the workload is ready and working")
        ->type_name("CMD");
    cmd.add_option("--ready-timeout", options.ready_timeout, "Seconds to wait for --probe to succeed")
        ->type_name("SECONDS")
        ->check(seconds_validator())
        ->capture_default_str();
    cmd.add_option("--duration", options.duration, "Stop the workload after SECONDS")
        ->type_name("SECONDS")
        ->check(seconds_validator());
    cmd.add_option("--expect-exit", options.expect_exit, "Exit status that means success")
        ->type_name("N")
        ->check(CLI::Range(0, 255))
        ->capture_default_str();
    cmd.add_flag("--no-pin", options.no_pin,
                 "Keep the workload's CPU affinity (by default capprof and the workload share one "
                 "CPU: tracing is several times faster, the workload sees 1 CPU)");
    auto* isolate = cmd.add_flag(
        "--isolate", options.isolate,
        "Run in a private mount namespace over a copy-on-write view of the host, thrown away after each "
        "run (default for minimize and check); exit 125 if that cannot be set up");
    auto* no_isolate = cmd.add_flag("--no-isolate", options.no_isolate,
                                    "Let runs change the host: later runs see what earlier ones did");
    isolate->excludes(no_isolate);
    cmd.add_flag("--probe-inside", options.probe_inside,
                 "Run --probe in the isolated run's mount namespace (its files, pid files, unix sockets)")
        ->needs(cmd.get_option("--probe"));
    auto* image = cmd.add_option("--image", options.image,
                                 "Profile a Docker image: each run is a fresh container of IMAGE (its ENTRYPOINT "
                                 "and CMD unless a command follows --)")
                      ->type_name("IMAGE");
    cmd.add_option("--docker-arg", options.docker_args,
                   "With --image: pass ARG to docker run as it is, one word each (ports, env, volumes, "
                   "--network, --security-opt, --sysctl; repeatable)")
        ->type_name("ARG")
        ->allow_extra_args(false)
        ->needs(image);
    cmd.add_option("--entrypoint", options.entrypoint, "With --image: override the image's ENTRYPOINT, as docker run does")
        ->type_name("CMD")
        ->needs(image);
    cmd.add_flag("--pull", options.pull, "With --image: docker pull IMAGE when it is not here (never otherwise)")
        ->needs(image);
    cmd.add_flag("-v,--verbose", options.verbose, "Log what capprof does (repeat for more)");
    cmd.add_flag("-q,--quiet", options.quiet, "No human report (the JSON report is still written)");
    cmd.add_option("--unit", options.unit,
                   "Profile the systemd service UNIT (a name looked up as systemd does, or a unit file): "
                   "its ExecStartPre=/ExecStart= with its User=, environment and directories; the answer "
                   "is a drop-in for systemctl edit")
        ->type_name("UNIT");
    cmd.add_option("command", options.command, "The workload, after --")->type_name("COMMAND [ARG...]");
}

OutputOptions output_options(const CommonOptions& options) {
    return {options.json_path, options.report_path, options.format, options.quiet};
}

namespace {

// --unit: the service's plan is the spec; --user and a command do not mix with it.
RunSpec unit_run_spec(const CommonOptions& options, std::optional<UnitSummary>* unit) {
    if (!options.command.empty())
        throw UserError("--unit runs the service's own commands: give either --unit or a command after --");
    if (options.user) throw UserError("--unit takes the user from the unit's User=/Group=: leave out --user");
    if (::geteuid() != 0)
        throw UserError("--unit needs root: a service is started as root, which switches to its User= and "
                        "creates its directories (run capprof with sudo)");
    UnitWorkload workload = load_unit_workload(*options.unit);
    if (unit) *unit = std::move(workload.summary);
    return std::move(workload.spec);
}

}  // namespace

RunSpec make_run_spec(const CommonOptions& options, std::optional<UnitSummary>* unit) {
    if (options.image) throw UserError("internal: make_run_spec with --image");
    RunSpec spec;
    if (options.unit) spec = unit_run_spec(options, unit);
    else if (options.command.empty() || options.command.front().empty()) {
        throw UserError("no command to run: put it after --, e.g. capprof run -- busybox httpd -f "
                        "-p 80; try capprof run --help");
    }
    const bool root = ::geteuid() == 0;
    if (!options.unit) spec.argv = options.command;
    spec.granted = granted_capabilities(options, root);
    if (options.user) {
        if (!root) throw UserError("--user needs root: only root can start a process as another user");
        spec.user = lookup_user(*options.user);
    }
    if (options.isolate && !root) {
        throw UserError("--isolate needs root: a private mount namespace and overlay mounts need "
                        "CAP_SYS_ADMIN (run capprof with sudo)");
    }
    spec.probe = options.probe;
    spec.ready_timeout = options.ready_timeout;
    spec.duration = options.duration;
    spec.pin_cpu = !options.no_pin;
    spec.isolation = options.isolate      ? Isolation::required
                     : options.no_isolate ? Isolation::off
                                          : options.default_isolation;
    spec.probe_inside = options.probe_inside;
    if (!root && !options.quiet) {
        spdlog::warn("not running as root: the workload already has no capabilities; tracing anyway");
    }
    return spec;
}

}  // namespace capprof
