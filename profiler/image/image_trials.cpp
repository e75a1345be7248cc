#include "image/image_trials.hpp"

#include <linux/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <csignal>

#include <spdlog/spdlog.h>

#include "capprof/error.hpp"
#include "common/cap_names.hpp"
#include "image/inner_report.hpp"
#include "image/static_capprof.hpp"
#include "image/trial_container.hpp"

namespace capprof {
namespace {

// Where the static capprof and its JSON directory appear in a trial.
constexpr const char* inner_capprof = "/.capprof/capprof";
constexpr const char* inner_out = "/.capprof/out";

std::string random_hex(std::size_t bytes) {
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    std::string out;
    static const char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes; ++i) {
        const int c = urandom.get();
        const unsigned byte = c < 0 ? static_cast<unsigned>(std::random_device{}()) : static_cast<unsigned>(c);
        out += digits[(byte >> 4) & 15];
        out += digits[byte & 15];
    }
    return out;
}

std::string temp_root() {
    const char* tmp = std::getenv("TMPDIR");
    return tmp && *tmp == '/' ? tmp : "/tmp";
}

std::string number_text(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

// Host capabilities dockerd could give when asked: the bounding set this
// capprof (and so a dockerd started on this machine) holds.
CapSet own_bounding_set() {
    CapSet set = 0;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("CapBnd:", 0) == 0) set = std::stoull(line.substr(7), nullptr, 16);
    return set;
}

// The last line the client or the capprof inside wrote on stderr that says
// something: not docker's "See 'docker run --help'." nor its warnings.
std::string last_line(const std::string& tail) {
    std::string line;
    std::size_t start = 0;
    while (start < tail.size()) {
        std::size_t end = tail.find('\n', start);
        if (end == std::string::npos) end = tail.size();
        std::string one = tail.substr(start, end - start);
        if (!one.empty() && one.back() == '\r') one.pop_back();
        if (!one.empty() && one.rfind("See '", 0) != 0 && one.rfind("WARNING:", 0) != 0) line = one;
        start = end + 1;
    }
    for (const char* prefix : {"docker: ", "Error response from daemon: "})
        if (line.rfind(prefix, 0) == 0) line = line.substr(std::string(prefix).size());
    if (line.size() > 400) line = line.substr(0, 400) + "...";
    return line.empty() ? "nothing on stderr" : line;
}

}  // namespace

void check_docker_args(const std::vector<std::string>& args) {
    struct Owned {
        const char* option;
        const char* instead;
    };
    static const Owned owned[] = {
        {"--cap-add", "capprof decides what each trial holds: use capprof's --cap-add for a starting set"},
        {"--cap-drop", "every trial drops ALL"},
        {"--privileged", "the answer would be about a privileged container"},
        {"--rm", "capprof removes every trial container itself"},
        {"--name", "capprof names each trial container"},
        {"--entrypoint", "use capprof's own --entrypoint"},
        {"--user", "use capprof's own --user"},
        {"-u", "use capprof's own --user"},
        {"--detach", "capprof waits for each trial"},
        {"-d", "capprof waits for each trial"},
    };
    for (const std::string& arg : args) {
        const std::string name = arg.substr(0, arg.find('='));
        for (const Owned& o : owned) {
            if (name != o.option) continue;
            throw UserError("--docker-arg " + arg + ": capprof sets " + o.option + " itself (" + o.instead + ")");
        }
    }
}

CapSet trial_container_capabilities() {
    // KILL: the capprof inside must stop a workload that runs as another
    // user (--duration, a probe that succeeded, a signal passed on), and
    // kill(2) across users needs it (kill(2): the sender's uid must match).
    return cap_bit(CAP_SYS_PTRACE) | cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID) | cap_bit(CAP_SETPCAP) |
           cap_bit(CAP_KILL);
}

ImageTrialRunner::ImageTrialRunner(ImageOptions options) : options_(std::move(options)), owner_(current_owner()) {
    check_docker_args(options_.docker_args);
    const DockerOutput version = docker_.run({"version", "--format", "{{.Server.Version}}"}, 60);
    if (version.status != 0) {
        const char* host = std::getenv("DOCKER_HOST");
        throw UserError(std::string("cannot reach the Docker daemon") + (host ? std::string(" at ") + host : "") +
                        ": " + version.error_line() + " (is dockerd running, and may this user use it?)");
    }
    sweep_leftovers(docker_, temp_root());
    const std::vector<std::string> inspect{"image", "inspect", "--format", "{{json .}}", options_.image};
    DockerOutput described = docker_.run(inspect, 60);
    if (described.status != 0 && options_.pull) {
        spdlog::info("pulling {}", options_.image);
        const DockerOutput pulled = docker_.run({"pull", "--quiet", options_.image}, 3600);
        if (pulled.status != 0) throw UserError("docker pull " + options_.image + ": " + pulled.error_line());
        described = docker_.run(inspect, 60);
    }
    if (described.status != 0)
        throw UserError("image " + options_.image + " is not here (" + described.error_line() +
                        "); capprof pulls only when asked: docker pull " + options_.image + ", or add --pull");
    config_ = parse_image_config(described.out, options_.image);
    const std::string host_arch = host_docker_architecture();
    if ((!config_.os.empty() && config_.os != "linux") || (!config_.architecture.empty() && config_.architecture != host_arch))
        throw UserError("image " + options_.image + " is for " + config_.os + "/" + config_.architecture +
                        ", and this machine (and its static capprof) is linux/" + host_arch +
                        ": profile it on a machine of its architecture");
    static_capprof_ = find_static_capprof();
    argv_ = workload_argv(config_, options_.entrypoint, options_.command, options_.image);
    std::string dir = temp_root() + "/" + owner_dir_prefix(owner_) + "XXXXXX";
    if (!::mkdtemp(dir.data())) throw UserError("cannot create a directory in " + temp_root() + " for the trials' reports");
    work_dir_ = dir;
    probe_grantable();
}

ImageTrialRunner::~ImageTrialRunner() {
    std::error_code ignored;
    if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

std::optional<std::string> ImageTrialRunner::user() const {
    if (options_.user) return options_.user;
    if (!config_.user.empty()) return config_.user;
    return std::nullopt;
}

void ImageTrialRunner::describe(Report& report) const {
    report.image = options_.image;
    report.image_command = options_.command;
    report.entrypoint = options_.entrypoint;
    report.docker_args = options_.docker_args;
}

// Which capability names this dockerd accepts: `docker create` (nothing
// runs) with all of them, dropping each one it refuses by name (dockerd
// 20.10 does not know PERFMON, BPF, CHECKPOINT_RESTORE), then within the
// bounding set dockerd's containers can have (runc fails to start a
// container asked for more: "unable to apply caps").
void ImageTrialRunner::probe_grantable() {
    const CapSet bounding = own_bounding_set();
    CapSet known = 0;
    for (int cap = 0; cap <= cap_last_cap(); ++cap) known |= cap_bit(cap);
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::vector<std::string> args{"create", "--label", std::string(owner_label_key) + "=" + owner_label(owner_),
                                      "--network", "none", "--entrypoint", inner_capprof};
        for (const std::string& name : cap_names(known)) args.insert(args.end(), {"--cap-add", name});
        args.push_back(options_.image);
        const DockerOutput created = docker_.run(args, 60);
        if (created.status == 0) {
            docker_.run({"rm", "-f", "-v", created.out.substr(0, created.out.find('\n'))}, 60);
            break;
        }
        const auto at = created.err.find("unknown capability: \"CAP_");
        if (at == std::string::npos) break;
        const std::string name = created.err.substr(at + 25, created.err.find('"', at + 25) - at - 25);
        const auto cap = cap_from_name(name);
        if (!cap || !cap_has(known, *cap)) break;
        known &= ~cap_bit(*cap);
        cannot_grant_[*cap] = "this dockerd does not know the name (docker run --cap-add " + name + " fails here)";
    }
    for (int cap = 0; cap <= cap_last_cap(); ++cap) {
        if (!cap_has(known, cap) || cap_has(bounding, cap)) continue;
        known &= ~cap_bit(cap);
        cannot_grant_[cap] = "the bounding set of this machine lacks it (CapBnd in /proc/self/status), so no "
                             "container started here can hold it";
    }
    grantable_ = known;
}

std::vector<std::string> ImageTrialRunner::trial_args(const RunSpec& spec, const std::string& name,
                                                      const std::string& out, const std::string& token) const {
    std::vector<std::string> args{"run", "--name", name, "--label",
                                  std::string(owner_label_key) + "=" + owner_label(owner_), "--user", "0",
                                  "--cap-drop", "ALL"};
    // One --cap-add each: dockerd 20.10 takes "A,B" as one unknown name.
    for (const std::string& cap : cap_names(trial_container_capabilities() | spec.granted))
        args.insert(args.end(), {"--cap-add", cap});
    args.insert(args.end(), {"--volume", static_capprof_ + ":" + inner_capprof + ":ro", "--volume",
                             out + ":" + inner_out, "--env", "CAPPROF_TRIAL=" + token, "--entrypoint", inner_capprof});
    args.insert(args.end(), options_.docker_args.begin(), options_.docker_args.end());
    args.push_back(options_.image);
    args.insert(args.end(), {"run", "--in-trial", "-q", "--json", std::string(inner_out) + "/report.json"});
    if (spec.granted) args.insert(args.end(), {"--cap-add", cap_names_text(spec.granted, ",")});
    if (auto who = user()) args.insert(args.end(), {"--user", *who});
    if (spec.duration && !spec.probe) args.insert(args.end(), {"--duration", number_text(*spec.duration)});
    if (!spec.pin_cpu) args.push_back("--no-pin");
    args.push_back("--");
    args.insert(args.end(), spec.argv.begin(), spec.argv.end());
    return args;
}

TrialResult ImageTrialRunner::run_trial(const RunSpec& spec) {
    if (const CapSet refused = spec.granted & ~grantable_) {
        const int cap = __builtin_ctzll(refused);
        throw UserError("cannot grant " + cap_name(cap) + " to a container here: " + cannot_grant_[cap]);
    }
    const int n = ++trials_;
    const std::string name = "capprof-" + std::to_string(owner_.pid) + "-" + std::to_string(n) + "-" + random_hex(3);
    const std::string out = work_dir_ + "/" + std::to_string(n);
    // Writable by the capprof inside whatever uid 0 there maps to; the
    // directory above (0700) keeps it from the host's other users.
    if (::mkdir(out.c_str(), 0700) != 0 || ::chmod(out.c_str(), 0777) != 0)
        throw UserError("cannot create " + out + " for the trial's report");
    const std::string token = random_hex(16);
    ContainerPlan plan;
    plan.run_args = trial_args(spec, name, out, token);
    plan.name = name;
    plan.probe = spec.probe;
    plan.probe_inside = spec.probe_inside;
    plan.ready_timeout = spec.ready_timeout;
    plan.duration = spec.probe ? spec.duration : std::nullopt;
    plan.grace = spec.grace;
    plan.stop_on_interrupt = spec.stop_on_interrupt;
    plan.out_fd = spec.quiet_output ? -1 : spec.stdout_to_stderr ? STDERR_FILENO : STDOUT_FILENO;
    plan.err_fd = spec.quiet_output ? -1 : STDERR_FILENO;
    spdlog::debug("trial {}: docker {}", n, [&] {
        std::string line;
        for (const auto& arg : plan.run_args) line += (line.empty() ? "" : " ") + arg;
        return line;
    }());
    ContainerRun run = run_container(docker_, plan);
    std::optional<InnerReport> report = read_inner_report(out + "/report.json", token);
    docker_.run({"rm", "-f", "-v", name}, 120);
    std::error_code ignored;
    std::filesystem::remove_all(out, ignored);
    return trial_result(spec, run, std::move(report));
}

TrialResult ImageTrialRunner::trial_result(const RunSpec& spec, const ContainerRun& run,
                                           std::optional<InnerReport> report) const {
    TrialResult trial;
    // Killed before it could finish its report: as if it wrote none.
    if (report && !report->error.empty() && run.killed) report.reset();
    if (report && report->error.empty()) {
        trial = std::move(report->trial);
    } else if (report) {
        throw UserError("the report of a trial of " + options_.image + " is not capprof's (" + report->error +
                        "): the workload may have written over it");
    } else if (!run.interrupted && !(run.stopped && run.killed)) {
        const std::string line = last_line(run.stderr_tail);
        // The capprof inside refused (unknown --user, command not found):
        // its own words and exit status (126, 127 or 125).
        if (line.rfind("capprof: ", 0) == 0)
            throw UserError(options_.image + ": " + line.substr(9),
                            run.docker_status >= 125 && run.docker_status <= 127 ? run.docker_status : 125);
        throw UserError("the trial container of " + options_.image + " ended without a report (docker run exited " +
                        std::to_string(run.docker_status) + "): " + line);
    } else {
        trial.result.exit = ExitStatus::killed(SIGKILL);
        if (run.stopped)
            spdlog::warn("the workload of {} did not end within {} s of SIGTERM after the probe: the container was "
                         "killed and this trial's findings are lost", options_.image, spec.grace + 5);
    }
    trial.result.isolated = true;  // a fresh container of the image
    trial.result.not_isolated.clear();
    if (spec.probe) trial.result.probe_ok = run.probe_ok.value_or(false);
    if (run.stopped) trial.result.stopped_by_capprof = true;
    trial.result.interrupted = run.interrupted;
    if (run.interrupted) trial.findings.clear();
    return trial;
}

}  // namespace capprof
