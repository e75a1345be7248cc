#pragma once
// A Runner that replays canned runs: synthetic failing syscalls fed to the
// sink the way the tracer feeds them (wants_details, then on_failure with the
// task's state), and a canned RunResult. Records every RunSpec it was given.
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capprof/runner.hpp"

namespace capprof::testing {

// A line a process wrote to fd 2 after the event numbered `after_event`.
struct CannedMessage {
    std::size_t after_event = 0;
    pid_t pid = 0;
    std::string line;
};

struct CannedRun {
    std::vector<SyscallEvent> events;
    RunResult result;
    // Sent after the events and messages, as the tracer reports processes
    // that ended; a process not listed is still running at the end.
    std::vector<ProcessEnd> ends = {};
    std::vector<CannedMessage> messages = {};
};

class CannedRunner : public Runner {
public:
    explicit CannedRunner(std::vector<CannedRun> runs) : runs_(std::move(runs)) {}

    RunResult run(const RunSpec& spec, EventSink& sink) override {
        specs.push_back(spec);
        const CannedRun& canned = runs_.at(std::min(specs.size() - 1, runs_.size() - 1));
        for (std::size_t i = 0; i < canned.events.size(); ++i) {
            const SyscallEvent& event = canned.events[i];
            SyscallEvent basic = event;   // task state not read yet, identity known
            basic.task.comm.clear();
            basic.task.uid = basic.task.euid = basic.task.fsuid = 0;
            if (sink.wants_details(basic)) sink.on_failure(event);
            for (const CannedMessage& message : canned.messages)
                if (message.after_event == i) sink.on_message(message.pid, message.line);
        }
        for (const ProcessEnd& end : canned.ends) sink.on_process_end(end);
        RunResult result = canned.result;
        result.failures = canned.events.size();
        return result;
    }

    std::vector<RunSpec> specs;

private:
    std::vector<CannedRun> runs_;
};

inline RunResult exited(int code) {
    RunResult result;
    result.exit = ExitStatus::exited(code);
    result.seconds = 0.02;
    result.syscalls = 38;
    result.processes = 1;
    result.threads = 1;
    return result;
}

inline RunResult killed(int signal) {
    RunResult result = exited(0);
    result.exit = ExitStatus::killed(signal);
    return result;
}

inline TaskInfo task(pid_t pid, std::string comm, std::string exe) {
    TaskInfo info;
    info.pid = info.tid = pid;
    info.ppid = 1;
    info.comm = std::move(comm);
    info.exe = std::move(exe);
    return info;
}

// A failing call made by this test process itself, so that the profiler's
// look at /proc/PID (credentials, root) finds a live task.
inline SyscallEvent own_event(const std::string& name, int nr, int err, std::string comm, std::string exe) {
    SyscallEvent e;
    e.task = task(::getpid(), std::move(comm), std::move(exe));
    e.task.ppid = ::getppid();
    e.arch = Arch::x86_64;
    e.nr = nr;
    e.name = name;
    e.err = err;
    e.ret = -err;
    e.proc_root = "/proc/" + std::to_string(::getpid()) + "/root";
    return e;
}

// bind(3, {AF_INET, 0.0.0.0:PORT}, 16) = -1 EACCES, as busybox httpd makes it.
inline SyscallEvent bind_event(pid_t pid, int port = 80) {
    SyscallEvent e;
    e.task = task(pid, "httpd", "/usr/bin/busybox");
    e.arch = Arch::x86_64;
    e.nr = 49;
    e.name = "bind";
    e.args = {3, 0, 16, 0, 0, 0};
    e.ret = -EACCES;
    e.err = EACCES;
    SockAddr address;
    address.family = AF_INET;
    address.address = "0.0.0.0";
    address.port = port;
    address.text = "{AF_INET, 0.0.0.0:" + std::to_string(port) + "}";
    e.args_text = "3, " + address.text + ", 16";
    e.sockaddr = address;
    e.proc_root = "/";
    return e;
}

// openat(AT_FDCWD, PATH, O_RDONLY) = -1 ERR.
inline SyscallEvent open_event(pid_t pid, std::string path, int err = EACCES) {
    SyscallEvent e;
    e.task = task(pid, "cat", "/usr/bin/cat");
    e.arch = Arch::x86_64;
    e.nr = 257;
    e.name = "openat";
    e.args = {static_cast<std::uint64_t>(-100), 0, 0, 0, 0, 0};
    e.ret = -err;
    e.err = err;
    e.args_text = "AT_FDCWD, \"" + path + "\", O_RDONLY";
    e.path = std::move(path);
    e.proc_root = "/";
    return e;
}

}  // namespace capprof::testing
