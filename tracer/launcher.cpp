#include "launcher.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "capprof/error.hpp"
#include "ptrace_ops.hpp"
#include "reaper.hpp"
#include "signal_relay.hpp"
#include "trial_sandbox.hpp"

extern char** environ;

namespace capprof {

namespace {

// What the child reports through its close-on-exec pipe.
enum class ChildStage : int {
    bounding, groups, gid, keepcaps, uid, caps, ambient, output, exec, isolation, directory, limit, chdir
};

struct ChildReport {
    ChildStage stage;
    int error;
    int detail;  // isolation: the sandbox's failed step
};

const char* stage_text(ChildStage stage) {
    switch (stage) {
        case ChildStage::bounding: return "cannot drop the bounding set";
        case ChildStage::groups: return "cannot set supplementary groups";
        case ChildStage::gid: return "cannot set the group id";
        case ChildStage::keepcaps: return "cannot keep capabilities across setuid";
        case ChildStage::uid: return "cannot set the user id";
        case ChildStage::caps: return "cannot set capabilities";
        case ChildStage::ambient: return "cannot raise ambient capabilities";
        case ChildStage::output: return "cannot open /dev/null";
        case ChildStage::exec: return "cannot execute";
        case ChildStage::isolation: return "cannot set up the isolated trial";
        case ChildStage::directory: return "cannot create the service's directory";
        case ChildStage::limit: return "cannot set the service's resource limit";
        case ChildStage::chdir: return "cannot change to the service's WorkingDirectory=";
    }
    return "cannot start";
}

std::string docker_cap_name(int cap) {
    char* name = cap_to_name(static_cast<cap_value_t>(cap));
    std::string text = name ? name : "cap_" + std::to_string(cap);
    cap_free(name);
    if (text.rfind("cap_", 0) == 0) text.erase(0, 4);
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// Error codes follow execvp(3) and the shell: 126 found but not
// executable, 127 not found.
void check_executable(const std::string& path, const std::string& name) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw UserError(name + ": " + std::strerror(errno), exit_not_found);
    if (S_ISDIR(st.st_mode)) throw UserError(name + ": is a directory", exit_not_executable);
    if (::access(path.c_str(), X_OK) != 0)
        throw UserError(name + ": " + std::strerror(errno), exit_not_executable);
}

[[noreturn]] void child_fail(int report_fd, ChildStage stage, int exit_code, int detail = 0) {
    ChildReport report{stage, errno, detail};
    [[maybe_unused]] auto n = ::write(report_fd, &report, sizeof report);
    ::_exit(exit_code);
}

struct ChildPlan {
    const RunSpec* spec;
    const char* path;
    char* const* argv;
    int last_cap;
    bool drop_bounding;
    cap_t caps;       // prepared in the parent: libcap allocates
    int report_fd;
    const SignalRelay* signals;
    const char* comm;  // the command's base name, until execve sets it
    pid_t parent;      // capprof, for die_with_parent()
    const TrialSandbox* sandbox;  // isolated trial, or null
    bool join_sandbox;  // a later step: join the namespace the first one made
    char* const* envp;
    bool make_directories;  // the first step creates RunSpec::directories
};

// Between fork and execve, with every capability: the service's
// directories (as systemd creates them: parents only when missing, the
// directory itself chowned and chmodded) and resource limits.
void prepare_service(const ChildPlan& plan) {
    const RunSpec& spec = *plan.spec;
    if (plan.make_directories) {
        for (const ServiceDirectory& dir : spec.directories) {
            if (::mkdir(dir.path.c_str(), dir.own ? dir.mode : 0755) != 0 && errno != EEXIST)
                child_fail(plan.report_fd, ChildStage::directory, exit_usage);
            if (dir.own && (::chown(dir.path.c_str(), dir.uid, dir.gid) != 0 || ::chmod(dir.path.c_str(), dir.mode) != 0))
                child_fail(plan.report_fd, ChildStage::directory, exit_usage);
        }
    }
    for (const ResourceLimit& limit : spec.limits) {
        const struct rlimit value{limit.soft, limit.hard};
        if (::setrlimit(limit.resource, &value) != 0) child_fail(plan.report_fd, ChildStage::limit, exit_usage);
    }
    if (spec.umask) ::umask(static_cast<mode_t>(*spec.umask));
}

int enter_sandbox(const ChildPlan& plan) {
    if (!plan.sandbox) return TrialSandbox::entered;
    if (!plan.join_sandbox) return plan.sandbox->enter();
    errno = 0;
    return plan.sandbox->enter_namespace_in_this_thread() ? TrialSandbox::entered : 0;
}

// Between fork and execve: async-signal-safe calls only (the parent may have
// other threads), so the cap_t was built before fork.
[[noreturn]] void run_child(const ChildPlan& plan) {
    // Until it is seized, only this keeps the child from outliving a killed capprof.
    if (!die_with_parent(plan.parent)) ::_exit(exit_usage);
    plan.signals->restore_in_child();
    // With every capability still held: mount namespace and overlays.
    if (int step = enter_sandbox(plan); step != TrialSandbox::entered)
        child_fail(plan.report_fd, ChildStage::isolation, exit_usage, step);
    const RunSpec& spec = *plan.spec;
    prepare_service(plan);
    if (spec.quiet_output) {
        int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null_fd < 0) child_fail(plan.report_fd, ChildStage::output, exit_usage);
        ::dup2(null_fd, STDOUT_FILENO);
        ::dup2(null_fd, STDERR_FILENO);
    } else if (spec.stdout_to_stderr) {
        ::dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    // Bounding set first: PR_CAPBSET_DROP needs CAP_SETPCAP in the effective set.
    if (plan.drop_bounding) {
        for (int cap = 0; cap <= plan.last_cap; ++cap) {
            if (cap_has(spec.granted, cap)) continue;
            if (cap_drop_bound(static_cast<cap_value_t>(cap)) != 0 && errno != EINVAL)
                child_fail(plan.report_fd, ChildStage::bounding, exit_usage);
        }
    }
    if (spec.user) {
        const UserSpec& user = *spec.user;
        if (::setgroups(user.groups.size(), user.groups.data()) != 0)
            child_fail(plan.report_fd, ChildStage::groups, exit_usage);
        if (::setresgid(user.gid, user.gid, user.gid) != 0)
            child_fail(plan.report_fd, ChildStage::gid, exit_usage);
        // Keep the permitted set across the uid change (capabilities(7)).
        if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
            child_fail(plan.report_fd, ChildStage::keepcaps, exit_usage);
        if (::setresuid(user.uid, user.uid, user.uid) != 0)
            child_fail(plan.report_fd, ChildStage::uid, exit_usage);
    }
    if (cap_set_proc(plan.caps) != 0) child_fail(plan.report_fd, ChildStage::caps, exit_usage);
    if (cap_reset_ambient() != 0 && errno != EINVAL)
        child_fail(plan.report_fd, ChildStage::ambient, exit_usage);
    if (spec.user) {
        // A non-root uid loses its permitted set at execve unless the
        // capabilities are ambient (Linux 4.3+, capabilities(7)).
        for (int cap = 0; cap <= plan.last_cap; ++cap) {
            if (cap_has(spec.granted, cap) &&
                cap_set_ambient(static_cast<cap_value_t>(cap), CAP_SET) != 0)
                child_fail(plan.report_fd, ChildStage::ambient, exit_usage);
        }
    }
    // After the user switch, as systemd does: the directory must be
    // reachable by the service's user (exit status 200/CHDIR there).
    if (spec.working_directory && ::chdir(spec.working_directory->c_str()) != 0)
        child_fail(plan.report_fd, ChildStage::chdir, exit_usage);
    // A failing execve is then reported under the command's name, not capprof's.
    ::prctl(PR_SET_NAME, plan.comm, 0, 0, 0);
    // Wait here until the parent has seized us, so execve is traced.
    ::raise(SIGSTOP);
    // Traced now: PTRACE_O_EXITKILL ends it with capprof, and the workload
    // sees the parent-death signal it would see without capprof.
    outlive_parent();
    ::execve(plan.path, plan.argv, plan.envp ? plan.envp : environ);
    int error = errno;
    // The message a shell would print; the workload's stderr is the place.
    const char* prefix = "capprof: cannot execute ";
    [[maybe_unused]] auto n1 = ::write(STDERR_FILENO, prefix, std::strlen(prefix));
    [[maybe_unused]] auto n2 = ::write(STDERR_FILENO, plan.path, std::strlen(plan.path));
    [[maybe_unused]] auto n3 = ::write(STDERR_FILENO, ": ", 2);
    const char* reason = ::strerrordesc_np(error);
    [[maybe_unused]] auto n4 = ::write(STDERR_FILENO, reason, std::strlen(reason));
    [[maybe_unused]] auto n5 = ::write(STDERR_FILENO, "\n", 1);
    errno = error;
    child_fail(plan.report_fd, ChildStage::exec, error == ENOENT ? exit_not_found : exit_not_executable);
}

int cap_last_cap_of_kernel() {
    // cap_max_bits() reads /proc/sys/kernel/cap_last_cap (libcap 2.30+).
    return static_cast<int>(cap_max_bits()) - 1;
}

cap_t make_workload_caps(CapSet granted, int last_cap) {
    cap_t caps = cap_init();  // all clear
    if (!caps) throw std::bad_alloc();
    std::vector<cap_value_t> values;
    for (int cap = 0; cap <= last_cap; ++cap) {
        if (cap_has(granted, cap)) values.push_back(static_cast<cap_value_t>(cap));
    }
    if (!values.empty()) {
        for (cap_flag_t flag : {CAP_PERMITTED, CAP_EFFECTIVE, CAP_INHERITABLE})
            cap_set_flag(caps, flag, static_cast<int>(values.size()), values.data(), CAP_SET);
    }
    return caps;
}

void wait_for_exit(pid_t pid) {
    int status;
    while (::waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
}

}  // namespace

std::string resolve_command(const std::string& name) {
    if (name.empty()) throw UserError("no command given", exit_usage);
    if (name.find('/') != std::string::npos) {
        check_executable(name, name);
        return name;
    }
    const char* path_env = std::getenv("PATH");
    std::string search = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
    std::optional<std::string> not_executable;
    std::size_t start = 0;
    while (start <= search.size()) {
        std::size_t end = search.find(':', start);
        if (end == std::string::npos) end = search.size();
        std::string dir = search.substr(start, end - start);
        if (dir.empty()) dir = ".";  // an empty PATH entry means the cwd (execvp(3))
        std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
            if (!not_executable) not_executable = candidate;
        }
        start = end + 1;
    }
    if (not_executable) {
        check_executable(*not_executable, name);
        return *not_executable;
    }
    throw UserError(name + ": command not found", exit_not_found);
}

void check_grantable(CapSet granted) {
    if (granted == 0) return;
    cap_t own = cap_get_proc();
    if (!own) throw UserError(std::string("cannot read capprof's capabilities: ") + std::strerror(errno));
    std::string missing;
    for (int cap : caps_in(granted)) {
        cap_flag_value_t permitted = CAP_CLEAR;
        bool known = cap_get_flag(own, static_cast<cap_value_t>(cap), CAP_PERMITTED, &permitted) == 0;
        bool in_bounding = cap_get_bound(static_cast<cap_value_t>(cap)) == 1;
        if (!known || permitted != CAP_SET || !in_bounding) {
            if (!missing.empty()) missing += ", ";
            missing += docker_cap_name(cap);
        }
    }
    cap_free(own);
    if (!missing.empty()) {
        throw UserError("cannot grant " + missing +
                        ": capprof itself does not hold it (see CapPrm/CapBnd in /proc/self/status);"
                        " run capprof as root with that capability in its bounding set");
    }
}

LaunchedWorkload::~LaunchedWorkload() {
    if (exec_error_fd_ >= 0) ::close(exec_error_fd_);
}

std::optional<int> LaunchedWorkload::exec_error() const {
    ChildReport report{};
    ssize_t n;
    do {
        n = ::read(exec_error_fd_, &report, sizeof report);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof report) && report.stage == ChildStage::exec) return report.error;
    return std::nullopt;
}

LaunchedWorkload launch_workload(const RunSpec& spec, const std::string& path,
                                 const SignalRelay& signals, const TrialSandbox* sandbox,
                                 const std::function<void(pid_t)>& place, LaunchStep step) {
    check_grantable(spec.granted);
    std::vector<char*> argv;
    for (const std::string& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    if (spec.environment) {
        for (const std::string& entry : *spec.environment) envp.push_back(const_cast<char*>(entry.c_str()));
        envp.push_back(nullptr);
    }

    int last_cap = cap_last_cap_of_kernel();
    cap_t caps = make_workload_caps(spec.granted, last_cap);
    std::unique_ptr<std::remove_pointer_t<cap_t>, int (*)(void*)> caps_owner(caps, cap_free);
    // Without CAP_SETPCAP (capprof not root) the workload already has no
    // capabilities to drop from its bounding set that it could use.
    bool drop_bounding = CAP_IS_SUPPORTED(CAP_SETPCAP) && [] {
        cap_t own = cap_get_proc();
        cap_flag_value_t value = CAP_CLEAR;
        if (own) cap_get_flag(own, CAP_SETPCAP, CAP_EFFECTIVE, &value), cap_free(own);
        return value == CAP_SET;
    }();

    int report_pipe[2];
    if (::pipe2(report_pipe, O_CLOEXEC) != 0)
        throw UserError(std::string("pipe: ") + std::strerror(errno));
    std::string comm = path.substr(path.find_last_of('/') + 1).substr(0, 15);  // TASK_COMM_LEN - 1
    ChildPlan plan{&spec, path.c_str(), argv.data(), last_cap, drop_bounding, caps,
                   report_pipe[1], &signals, comm.c_str(), ::getpid(), sandbox,
                   step == LaunchStep::later, spec.environment ? envp.data() : nullptr, step == LaunchStep::first};

    pid_t pid = ::fork();
    if (pid < 0) {
        int error = errno;
        ::close(report_pipe[0]);
        ::close(report_pipe[1]);
        throw UserError(std::string("fork: ") + std::strerror(error));
    }
    if (pid == 0) {
        ::close(report_pipe[0]);
        run_child(plan);
    }
    ::close(report_pipe[1]);
    LaunchedWorkload workload(pid, report_pipe[0]);

    int status = 0;
    pid_t waited;
    do {
        waited = ::waitpid(pid, &status, WUNTRACED | __WALL);
    } while (waited < 0 && errno == EINTR);
    if (waited < 0 || !WIFSTOPPED(status)) {
        ChildReport report{};
        ssize_t n = ::read(report_pipe[0], &report, sizeof report);
        if (n == static_cast<ssize_t>(sizeof report) && report.stage == ChildStage::isolation && sandbox &&
            step != LaunchStep::later)
            throw UserError(sandbox->failure_text(report.detail, report.error));
        if (n == static_cast<ssize_t>(sizeof report))
            throw UserError(std::string(stage_text(report.stage)) + ": " + std::strerror(report.error));
        throw UserError("the workload ended before it could be traced");
    }
    const unsigned options = ptrace_ops::trace_options | (spec.record_identities ? static_cast<unsigned>(PTRACE_O_TRACEEXIT) : 0u);
    if (int error = ptrace_ops::seize(pid, options)) {
        ::kill(pid, SIGKILL);
        wait_for_exit(pid);
        if (error == EPERM) {
            throw UserError(
                "ptrace is not permitted here (PTRACE_SEIZE: Operation not permitted); "
                "in a container run it with `--cap-add SYS_PTRACE` or "
                "`--security-opt seccomp=unconfined`, and check kernel.yama.ptrace_scope "
                "(3 forbids ptrace until reboot)");
        }
        throw UserError(std::string("PTRACE_SEIZE: ") + std::strerror(error));
    }
    spdlog::debug("workload {} started and seized: {}", pid, path);
    if (place) place(pid);
    // Wake it from the stop it put itself in; the tracer sees it run into execve.
    ::kill(pid, SIGCONT);
    return workload;
}

}  // namespace capprof
