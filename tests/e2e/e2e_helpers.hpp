#pragma once
// Helpers for the end-to-end tests: run real processes (capprof, the test
// programs of tests/progs, Debian tools) with a time limit, capture their
// output, and read capprof's JSON report (schema capprof.report/v1).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#ifndef CAPPROF_BIN
#error "CAPPROF_BIN must name the capprof executable under test"
#endif
#ifndef CAPPROF_PROGS_DIR
#error "CAPPROF_PROGS_DIR must name the directory of the built test programs"
#endif

#include "support/require_root.hpp"
#include "support/temp_dir.hpp"

namespace capprof::e2e {

using json = nlohmann::json;
using namespace std::chrono_literals;

// Skips the current test (GTEST_SKIP) when not running as root: capprof's
// drop-all launch and --cap-add need the capabilities root has.
#define CAPPROF_REQUIRE_ROOT()                                                \
    CAPPROF_SKIP_UNLESS_ROOT("needs root: capprof runs the workload as uid 0 with " \
                             "every capability dropped, and --cap-add needs root")
#define require_root() CAPPROF_REQUIRE_ROOT()

inline std::string capprof_bin() { return CAPPROF_BIN; }
inline std::string prog(const std::string& name) { return std::string(CAPPROF_PROGS_DIR) + "/" + name; }
#ifdef CAPPROF_SOURCE_DIR
inline std::string source_dir() { return CAPPROF_SOURCE_DIR; }
#endif

// How a process ended, as a shell reports it, plus what it printed.
struct CommandResult {
    int exit_code = -1;             // exit status, or 128+N when killed by signal N
    std::optional<int> signal;      // set when killed by a signal
    bool timed_out = false;         // killed by us after the time limit
    double seconds = 0;
    std::string out, err;

    bool exited(int code) const { return !timed_out && !signal && exit_code == code; }
};

inline std::ostream& operator<<(std::ostream& os, const CommandResult& r) {
    os << "exit " << r.exit_code;
    if (r.signal) os << " (signal " << *r.signal << ")";
    if (r.timed_out) os << " TIMED OUT";
    return os << " after " << r.seconds << " s\n--- stdout ---\n" << r.out << "--- stderr ---\n" << r.err;
}

struct SpawnOptions {
    std::optional<std::string> stdin_data;  // piped to stdin then closed; /dev/null if unset
    std::optional<std::string> cwd;
    bool new_process_group = true;          // so a time-out kills every descendant
};

// A running child with its stdout and stderr captured through pipes. The
// destructor kills it (and its process group) if it is still running.
class Process {
public:
    Process(const std::vector<std::string>& argv, const SpawnOptions& options = {}) { spawn(argv, options); }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() {
        if (!reaped_) {
            kill_all(SIGKILL);
            int status;
            ::waitpid(pid_, &status, 0);
        }
        close_fd(out_fd_);
        close_fd(err_fd_);
    }

    pid_t pid() const { return pid_; }
    const std::string& out() const { return result_.out; }
    const std::string& err() const { return result_.err; }

    void send_signal(int sig) const { ::kill(pid_, sig); }
    void kill_all(int sig) const {
        if (new_group_) ::kill(-pid_, sig);
        ::kill(pid_, sig);
    }

    // Reads output until `ready(stdout)` holds; false on time-out or exit.
    bool wait_for_output(const std::function<bool(const std::string&)>& ready,
                         std::chrono::milliseconds limit = 10s) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!ready(result_.out)) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            if (!pump(50) && reap(false) && out_fd_ < 0) return ready(result_.out);
        }
        return true;
    }

    // Waits for the exit, reading output; kills the process group after `limit`.
    CommandResult wait(std::chrono::milliseconds limit = 30s) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!reap(false)) {
            if (std::chrono::steady_clock::now() >= deadline) {
                result_.timed_out = true;
                kill_all(SIGKILL);
                reap(true);
                break;
            }
            pump(50);
        }
        // Descendants may keep the pipes open: drain them for a short while only.
        auto drain_deadline = std::chrono::steady_clock::now() + 2s;
        while ((out_fd_ >= 0 || err_fd_ >= 0) && std::chrono::steady_clock::now() < drain_deadline) pump(50);
        result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        return result_;
    }

private:
    static void close_fd(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }

    void spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
        new_group_ = options.new_process_group;
        int out[2], err[2], in[2];
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        start_ = std::chrono::steady_clock::now();
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        if (pid_ == 0) {
            if (options.new_process_group) ::setpgid(0, 0);
            // Signals blocked or ignored by the test runner would be inherited.
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
            if (options.stdin_data) {
                ::dup2(in[0], 0);
            } else {
                int null = ::open("/dev/null", O_RDONLY);
                ::dup2(null, 0);
            }
            ::dup2(out[1], 1);
            ::dup2(err[1], 2);
            if (options.cwd && ::chdir(options.cwd->c_str()) != 0) _exit(121);
            ::execvp(args[0], args.data());
            dprintf(2, "e2e: exec %s: %s\n", args[0], std::strerror(errno));
            _exit(errno == ENOENT ? 127 : 126);
        }
        if (options.new_process_group) ::setpgid(pid_, pid_);
        ::close(out[1]);
        ::close(err[1]);
        ::close(in[0]);
        out_fd_ = out[0];
        err_fd_ = err[0];
        if (options.stdin_data) {
            // Small inputs only: a pipe holds 64 KiB, more would block here.
            const std::string& data = *options.stdin_data;
            ssize_t ignored = ::write(in[1], data.data(), data.size());
            (void)ignored;
        }
        ::close(in[1]);
    }

    // Reads what is available; returns true if anything was read.
    bool pump(int timeout_ms) {
        std::array<pollfd, 2> fds{{{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}}};
        if (out_fd_ < 0 && err_fd_ < 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
            return false;
        }
        if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return false;
        bool got = false;
        got |= read_from(out_fd_, fds[0].revents, result_.out);
        got |= read_from(err_fd_, fds[1].revents, result_.err);
        return got;
    }

    static bool read_from(int& fd, short revents, std::string& into) {
        if (fd < 0 || !(revents & (POLLIN | POLLHUP | POLLERR))) return false;
        char buffer[8192];
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            into.append(buffer, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) close_fd(fd);
        return false;
    }

    bool reap(bool block) {
        if (reaped_) return true;
        int status = 0;
        pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
        if (r != pid_) return false;
        reaped_ = true;
        if (WIFSIGNALED(status)) {
            result_.signal = WTERMSIG(status);
            result_.exit_code = 128 + WTERMSIG(status);
        } else {
            result_.exit_code = WEXITSTATUS(status);
        }
        return true;
    }

    pid_t pid_ = -1;
    bool new_group_ = true;
    bool reaped_ = false;
    int out_fd_ = -1, err_fd_ = -1;
    CommandResult result_;
    std::chrono::steady_clock::time_point start_;
};

// Runs argv to the end (at most `limit`), capturing stdout and stderr.
inline CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds limit = 30s,
                                 const SpawnOptions& options = {}) {
    Process process(argv, options);
    return process.wait(limit);
}

// A shell one-liner (sh -c) for test setup; returns its result.
inline CommandResult sh(const std::string& script, std::chrono::milliseconds limit = 30s) {
    return run_command({"/bin/sh", "-c", script}, limit);
}

using capprof::testing::TempDir;

// One capprof invocation with --json: the process result and the parsed report.
struct CapprofRun {
    CommandResult process;
    json report;                   // null when no valid JSON was written
    std::string json_error;        // why `report` is null

    bool has_report() const { return report.is_object(); }
    const json& findings() const {
        static const json empty = json::array();
        return has_report() && report.contains("findings") ? report["findings"] : empty;
    }
};

inline std::ostream& operator<<(std::ostream& os, const CapprofRun& run) {
    os << run.process;
    if (run.has_report()) return os << "--- report ---\n" << run.report.dump(2) << "\n";
    return os << "--- no report: " << run.json_error << "\n";
}

// Runs `capprof SUBCOMMAND OPTIONS... --json FILE -- COMMAND...` and parses FILE.
inline CapprofRun run_capprof(const std::string& subcommand, const std::vector<std::string>& options,
                              const std::vector<std::string>& command, std::chrono::milliseconds limit = 30s,
                              const SpawnOptions& spawn = {}) {
    TempDir tmp;
    std::string json_path = tmp / "report.json";
    std::vector<std::string> argv{capprof_bin(), subcommand};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), {"--json", json_path, "--"});
    argv.insert(argv.end(), command.begin(), command.end());
    CapprofRun run;
    run.process = run_command(argv, limit, spawn);
    std::ifstream in(json_path);
    if (!in) {
        run.json_error = "capprof wrote no " + json_path;
        return run;
    }
    try {
        run.report = json::parse(in);
    } catch (const json::exception& e) {
        run.json_error = e.what();
        run.report = nullptr;
    }
    return run;
}

// `capprof run [--cap-add CAPS] -- COMMAND...` with its JSON report.
inline CapprofRun capprof_run(const std::vector<std::string>& command, const std::vector<std::string>& cap_add = {},
                              std::chrono::milliseconds limit = 30s, const SpawnOptions& spawn = {}) {
    std::vector<std::string> options;
    for (const auto& cap : cap_add) options.insert(options.end(), {"--cap-add", cap});
    return run_capprof("run", options, command, limit, spawn);
}

// The findings whose syscall is `syscall` (e.g. "bind"), in report order.
inline std::vector<json> findings_for(const json& report, const std::string& syscall) {
    std::vector<json> found;
    if (!report.is_object() || !report.contains("findings")) return found;
    for (const auto& f : report["findings"])
        if (f.value("syscall", "") == syscall) found.push_back(f);
    return found;
}

// The first finding for `syscall`, or null.
inline json find_finding(const json& report, const std::string& syscall) {
    auto found = findings_for(report, syscall);
    return found.empty() ? json(nullptr) : found.front();
}

// The first finding for any of `syscalls` (libc may use chown or fchownat ...).
inline json find_finding(const json& report, std::initializer_list<std::string> syscalls) {
    for (const auto& name : syscalls) {
        json f = find_finding(report, name);
        if (!f.is_null()) return f;
    }
    return nullptr;
}

inline bool json_array_contains(const json& array, const std::string& value) {
    if (!array.is_array()) return false;
    for (const auto& item : array)
        if (item.is_string() && item.get<std::string>() == value) return true;
    return false;
}

// The "pid=N" a test program prints (the first one in `output`, or of the
// line starting with `program` when given).
inline std::optional<pid_t> printed_pid(const std::string& output, const std::string& program = "",
                                        const std::string& key = "pid") {
    std::regex pattern((program.empty() ? std::string() : "(^|\n)" + program + " [^\n]*?") + "\\b" + key + "=(\\d+)");
    std::smatch match;
    if (!std::regex_search(output, match, pattern)) return std::nullopt;
    return static_cast<pid_t>(std::stol(match[match.size() - 1]));
}

// Capability number for a Docker-spelled name ("NET_BIND_SERVICE"); -1 if unknown.
inline int cap_number(const std::string& name) {
    static const std::vector<std::pair<std::string, int>> table = {
        {"CHOWN", CAP_CHOWN}, {"DAC_OVERRIDE", CAP_DAC_OVERRIDE}, {"DAC_READ_SEARCH", CAP_DAC_READ_SEARCH},
        {"FOWNER", CAP_FOWNER}, {"FSETID", CAP_FSETID}, {"KILL", CAP_KILL}, {"SETGID", CAP_SETGID},
        {"SETUID", CAP_SETUID}, {"SETPCAP", CAP_SETPCAP}, {"LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE},
        {"NET_BIND_SERVICE", CAP_NET_BIND_SERVICE}, {"NET_BROADCAST", CAP_NET_BROADCAST},
        {"NET_ADMIN", CAP_NET_ADMIN}, {"NET_RAW", CAP_NET_RAW}, {"IPC_LOCK", CAP_IPC_LOCK},
        {"IPC_OWNER", CAP_IPC_OWNER}, {"SYS_MODULE", CAP_SYS_MODULE}, {"SYS_RAWIO", CAP_SYS_RAWIO},
        {"SYS_CHROOT", CAP_SYS_CHROOT}, {"SYS_PTRACE", CAP_SYS_PTRACE}, {"SYS_PACCT", CAP_SYS_PACCT},
        {"SYS_ADMIN", CAP_SYS_ADMIN}, {"SYS_BOOT", CAP_SYS_BOOT}, {"SYS_NICE", CAP_SYS_NICE},
        {"SYS_RESOURCE", CAP_SYS_RESOURCE}, {"SYS_TIME", CAP_SYS_TIME}, {"SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG},
        {"MKNOD", CAP_MKNOD}, {"LEASE", CAP_LEASE}, {"AUDIT_WRITE", CAP_AUDIT_WRITE},
        {"AUDIT_CONTROL", CAP_AUDIT_CONTROL}, {"SETFCAP", CAP_SETFCAP}, {"MAC_OVERRIDE", CAP_MAC_OVERRIDE},
        {"MAC_ADMIN", CAP_MAC_ADMIN}, {"SYSLOG", CAP_SYSLOG}, {"WAKE_ALARM", CAP_WAKE_ALARM},
        {"BLOCK_SUSPEND", CAP_BLOCK_SUSPEND}, {"AUDIT_READ", CAP_AUDIT_READ}, {"PERFMON", 38}, {"BPF", 39},
        {"CHECKPOINT_RESTORE", 40},
    };
    for (const auto& [n, number] : table)
        if (n == name) return number;
    return -1;
}

// A "Cap...:" line of /proc/PID/status as a mask (0 if absent).
inline std::uint64_t status_caps(const std::string& status_text, const std::string& field) {
    std::istringstream lines(status_text);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1), nullptr, 16);
    return 0;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Whether capprof, run from here, can grant `cap`: it can only keep what is in
// its own bounding set (root on these machines lacks SYS_RESOURCE).
inline bool capprof_can_grant(const std::string& cap) {
    int number = cap_number(cap);
    if (number < 0) return false;
    std::uint64_t bounding = status_caps(read_file("/proc/self/status"), "CapBnd");
    return (bounding >> number) & 1;
}

#define CAPPROF_REQUIRE_GRANTABLE(cap)                                                          \
    do {                                                                                        \
        if (!::capprof::e2e::capprof_can_grant(cap))                                            \
            GTEST_SKIP() << "capability " << (cap) << " is not in this process's bounding set " \
                         << "(CapBnd of /proc/self/status): capprof cannot grant it here";      \
    } while (0)

// A background process for the duration of a test (a target to signal, trace
// or read): killed and reaped when the scope ends.
class Background {
public:
    explicit Background(const std::vector<std::string>& argv) : process_(argv) {}
    pid_t pid() const { return process_.pid(); }
    bool alive() const {
        // A zombie (waiting for our wait()) counts as dead.
        std::string stat = read_file("/proc/" + std::to_string(pid()) + "/stat");
        auto close = stat.rfind(')');
        return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
    }
    Process& process() { return process_; }

private:
    Process process_;
};

// Waits until process `pid` runs a program whose comm is `comm` (a wrapper
// such as setpriv keeps its pid when it execs the real program).
inline std::optional<pid_t> wait_for_exec(pid_t pid, const std::string& comm, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        std::string c = read_file("/proc/" + std::to_string(pid) + "/comm");
        if (!c.empty() && c.back() == '\n') c.pop_back();
        if (c == comm) return pid;
        std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
}

// Whether an executable is on PATH.
inline bool have_program(const std::string& name) {
    return run_command({"/bin/sh", "-c", "command -v " + name + " >/dev/null 2>&1"}, 5s).exited(0);
}

// The last line of `text` that is not empty.
inline std::string last_line(const std::string& text) {
    std::istringstream lines(text);
    std::string line, last;
    while (std::getline(lines, line))
        if (!line.empty()) last = line;
    return last;
}

// Number of lines of `text` that are not empty.
inline std::size_t line_count(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line))
        if (!line.empty()) ++n;
    return n;
}

// What one test program (or real program) is expected to make capprof report
// about its one interesting failing call.
struct Expected {
    std::string program;                  // comm, and the word its output line starts with
    std::vector<std::string> command;     // what capprof runs
    std::string syscall;                  // "bind", "openat", ...
    std::string err;                      // "EPERM" or "EACCES"
    std::string verdict = "capability";
    std::optional<std::string> capability;
    std::optional<std::string> path;      // the finding's path, absolute
    std::optional<std::string> exe;       // the finding's exe
    int exit_code = 1;                    // the workload's exit under drop-all
    std::chrono::milliseconds limit = 30s;
};

// The usual expectation: `command` (run as `program`) fails `syscall` with
// `err`, and `capability` fixes it.
inline Expected capability_case(const std::string& program, std::vector<std::string> command,
                                const std::string& syscall, const std::string& err,
                                const std::string& capability) {
    Expected e;
    e.program = program;
    e.command = std::move(command);
    e.syscall = syscall;
    e.err = err;
    e.capability = capability;
    return e;
}

// Runs `e.command` under `capprof run` (drop-all plus `cap_add`), checks the
// process result and the finding against `e` with gtest expectations, and
// returns the finding (null, after a failure, when there is none).
inline json expect_finding(const Expected& e, const std::vector<std::string>& cap_add = {}) {
    CapprofRun run = capprof_run(e.command, cap_add, e.limit);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_EQ(run.process.exit_code, e.exit_code) << "capprof exits with the workload's status\n" << run;
    if (!run.has_report()) {
        ADD_FAILURE() << "no JSON report: " << run;
        return nullptr;
    }
    EXPECT_EQ(run.report.value("schema", ""), "capprof.report/v1");
    EXPECT_EQ(run.report["exit"]["code"], e.exit_code) << run;
    EXPECT_TRUE(run.report["exit"]["signal"].is_null()) << run;
    json f = find_finding(run.report, e.syscall);
    if (f.is_null()) {
        ADD_FAILURE() << "no finding for " << e.syscall << "\n" << run;
        return nullptr;
    }
    EXPECT_EQ(f.value("verdict", ""), e.verdict) << f.dump(2);
    EXPECT_EQ(f.value("errno", ""), e.err) << f.dump(2);
    if (e.capability) {
        EXPECT_EQ(f["capability"], *e.capability) << f.dump(2);
        if (e.verdict == "capability" || e.verdict == "file-permission") {
            EXPECT_TRUE(json_array_contains(run.report["cap_add"], *e.capability))
                << "cap_add must recommend " << *e.capability << "\n" << run.report.dump(2);
        }
        if (e.verdict == "capability") {
            EXPECT_NE(run.process.err.find(*e.capability), std::string::npos)
                << "the text report on stderr names " << *e.capability << "\n" << run;
        }
    }
    if (e.verdict == "not-capability") {
        EXPECT_TRUE(run.report["cap_add"].is_array() && run.report["cap_add"].empty())
            << "a not-capability finding adds nothing to cap_add\n" << run.report.dump(2);
    }
    if (e.path) {
        EXPECT_EQ(f["path"], *e.path) << f.dump(2);
    }
    if (e.exe) {
        EXPECT_EQ(f["exe"], *e.exe) << f.dump(2);
    }
    EXPECT_EQ(f.value("comm", ""), e.program.substr(0, 15)) << f.dump(2);
    auto pid = printed_pid(run.process.out, e.program);
    if (pid) {
        EXPECT_EQ(f["pid"], *pid) << "the finding names the pid that made the call\n" << run;
        if (e.verdict == "capability") {
            // docs/ARCHITECTURE.md: every line that names a process shows pid and comm.
            std::string shown = "pid " + std::to_string(*pid) + " " + e.program.substr(0, 15);
            EXPECT_NE(run.process.err.find(shown), std::string::npos)
                << "the text report shows \"" << shown << "\"\n" << run;
        }
    } else {
        EXPECT_TRUE(f["pid"].is_number_integer() && f["pid"].get<long>() > 0) << f.dump(2);
    }
    EXPECT_GE(f.value("count", 0), 1) << f.dump(2);
    return f;
}

// Re-running with --cap-add `cap` makes the failure go away: exit 0 and no
// finding for the syscall with that errno.
inline void expect_fixed_by(const Expected& e, const std::string& cap) {
    CapprofRun run = capprof_run(e.command, {cap}, e.limit);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_EQ(run.process.exit_code, 0) << "--cap-add " << cap << " should let " << e.program << " succeed\n"
                                        << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(json_array_contains(run.report["granted"], cap)) << run.report.dump(2);
    for (const auto& f : findings_for(run.report, e.syscall))
        EXPECT_NE(f.value("errno", ""), e.err) << "still failing with --cap-add " << cap << ": " << f.dump(2);
}

// Re-running with --cap-add `cap` does not help: the workload still fails
// the same way (for not-capability verdicts).
inline void expect_not_fixed_by(const Expected& e, const std::string& cap) {
    CapprofRun run = capprof_run(e.command, {cap}, e.limit);
    EXPECT_FALSE(run.process.timed_out) << run;
    EXPECT_EQ(run.process.exit_code, e.exit_code) << run;
    ASSERT_TRUE(run.has_report()) << run;
    json f = find_finding(run.report, e.syscall);
    ASSERT_FALSE(f.is_null()) << "the failure persists with --cap-add " << cap << "\n" << run;
    EXPECT_EQ(f.value("verdict", ""), e.verdict) << f.dump(2);
    EXPECT_EQ(f.value("errno", ""), e.err) << f.dump(2);
}

// The usual pair: the finding under drop-all, then the fix verified.
inline void expect_capability_roundtrip(const Expected& e) {
    json f = expect_finding(e);
    if (f.is_null() || !e.capability) return;
    if (!capprof_can_grant(*e.capability)) {
        std::cout << "[   NOTE   ] not re-running with --cap-add " << *e.capability
                  << ": not in this process's bounding set\n";
        return;
    }
    expect_fixed_by(e, *e.capability);
}

}  // namespace capprof::e2e
