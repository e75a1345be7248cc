// TracedRunner on real processes: what `capprof run` relies on. Needs root
// (capabilities are dropped from root, as docker run --cap-drop ALL does).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <sys/capability.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "capprof/error.hpp"
#include "support/require_root.hpp"
#include "support/temp_dir.hpp"
#include "traced_runner.hpp"

namespace capprof {
namespace {

#define REQUIRE_ROOT() CAPPROF_SKIP_UNLESS_ROOT("needs root: capprof drops root's capabilities")

class RecordingSink : public EventSink {
public:
    bool wants_details(const SyscallEvent& basic) override {
        basics.push_back(basic);
        return true;
    }
    void on_failure(const SyscallEvent& event) override { events.push_back(event); }

    const SyscallEvent* find(const std::string& name) const {
        for (const auto& event : events)
            if (event.name == name) return &event;
        return nullptr;
    }
    std::vector<SyscallEvent> basics, events;
};

using testing::TempDir;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

RunResult run(const std::vector<std::string>& argv, RecordingSink& sink, RunSpec spec = {}) {
    spec.argv = argv;
    TracedRunner runner;
    return runner.run(spec, sink);
}

TEST(TracedRunner, ExitStatusIsTheWorkloads) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunResult exited = run({"sh", "-c", "exit 42"}, sink);
    EXPECT_EQ(exited.exit.code, 42);
    EXPECT_FALSE(exited.exit.signal.has_value());
    EXPECT_TRUE(exited.started);
    EXPECT_GT(exited.syscalls, 10u);
    RunResult killed = run({"sh", "-c", "kill -9 $$"}, sink);
    EXPECT_EQ(killed.exit.signal, SIGKILL);
    EXPECT_EQ(killed.exit.shell_code(), 137);
}

TEST(TracedRunner, CommandNotFoundOrNotExecutable) {
    REQUIRE_ROOT();
    RecordingSink sink;
    try {
        run({"capprof-no-such-command"}, sink);
        FAIL() << "expected UserError";
    } catch (const UserError& error) {
        EXPECT_EQ(error.exit_code(), 127);
        EXPECT_NE(std::string(error.what()).find("command not found"), std::string::npos);
    }
    try {
        run({"/etc"}, sink);
        FAIL() << "expected UserError";
    } catch (const UserError& error) {
        EXPECT_EQ(error.exit_code(), 126);
    }
}

TEST(TracedRunner, WorkloadHasNoCapabilitiesLikeCapDropAll) {
    REQUIRE_ROOT();
    TempDir dir;
    RecordingSink sink;
    run({"sh", "-c", "grep ^Cap /proc/self/status > " + (dir / "caps")}, sink);
    std::string caps = read_file(dir / "caps");
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
        EXPECT_NE(caps.find(std::string(set) + ":\t0000000000000000"), std::string::npos) << caps;
}

TEST(TracedRunner, GrantedCapabilityIsKeptInEverySetButAmbient) {
    REQUIRE_ROOT();
    TempDir dir;
    RecordingSink sink;
    RunSpec spec;
    spec.granted = cap_bit(CAP_NET_BIND_SERVICE);
    run({"sh", "-c", "grep ^Cap /proc/self/status > " + (dir / "caps")}, sink, spec);
    std::string caps = read_file(dir / "caps");
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd"})
        EXPECT_NE(caps.find(std::string(set) + ":\t0000000000000400"), std::string::npos) << caps;
    EXPECT_NE(caps.find("CapAmb:\t0000000000000000"), std::string::npos) << caps;
}

TEST(TracedRunner, GrantingWhatCapprofLacksIsAnError) {
    REQUIRE_ROOT();
    if (CAP_IS_SUPPORTED(CAP_SYS_RESOURCE) && cap_get_bound(CAP_SYS_RESOURCE) == 1)
        GTEST_SKIP() << "this root holds CAP_SYS_RESOURCE; nothing to refuse";
    RecordingSink sink;
    RunSpec spec;
    spec.granted = cap_bit(CAP_SYS_RESOURCE);
    try {
        run({"true"}, sink, spec);
        FAIL() << "expected UserError";
    } catch (const UserError& error) {
        EXPECT_EQ(error.exit_code(), 125);
        EXPECT_NE(std::string(error.what()).find("SYS_RESOURCE"), std::string::npos);
    }
}

TEST(TracedRunner, ChownFailureIsReportedWithPathAndCredentials) {
    REQUIRE_ROOT();
    TempDir dir;
    std::ofstream(dir / "x") << "x";
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    RunResult result = run({"chown", "1000", (dir / "x")}, sink, spec);
    EXPECT_EQ(result.exit.code, 1);
    EXPECT_EQ(result.failures, 1u);
    const SyscallEvent* event = sink.find("fchownat");
    ASSERT_NE(event, nullptr);
    EXPECT_EQ(event->err, EPERM);
    EXPECT_EQ(event->path, (dir / "x"));
    EXPECT_EQ(event->args_text, "AT_FDCWD, \"" + (dir / "x") + "\", 1000, -1, 0");
    EXPECT_EQ(event->task.comm, "chown");
    EXPECT_EQ(event->task.euid, 0u);
    EXPECT_EQ(event->task.cap_eff, 0u);
    EXPECT_EQ(event->task.exe, "/usr/bin/chown");
    // Known before the sink decides whether the failure is a repeat.
    ASSERT_EQ(sink.basics.size(), 1u);
    EXPECT_EQ(sink.basics[0].task.exe, "/usr/bin/chown");
    EXPECT_EQ(event->proc_root, "/proc/" + std::to_string(event->task.tid) + "/root");
}

TEST(TracedRunner, ExecutableIsReadAgainAfterExecve) {
    REQUIRE_ROOT();
    // Both opens fail with EACCES (init's environ: capability subset check)
    // in one process, before and after it execs busybox.
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    run({"/bin/dash", "-c", "read x < /proc/1/environ; exec busybox sh -c 'read x < /proc/1/environ'"},
        sink, spec);
    ASSERT_EQ(sink.basics.size(), 2u);
    EXPECT_EQ(sink.basics[0].task.exe, "/usr/bin/dash");
    EXPECT_EQ(sink.basics[1].task.exe, "/usr/bin/busybox");
    EXPECT_EQ(sink.basics[0].task.pid, sink.basics[1].task.pid);
}

TEST(TracedRunner, BindBelow1024IsReportedWithItsAddress) {
    REQUIRE_ROOT();
    if (::access("/bin/busybox", X_OK) != 0) GTEST_SKIP() << "needs busybox";
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    RunResult result = run({"busybox", "httpd", "-f", "-p", "80"}, sink, spec);
    EXPECT_NE(result.exit.code, 0);
    const SyscallEvent* event = sink.find("bind");
    ASSERT_NE(event, nullptr);
    EXPECT_EQ(event->err, EACCES);
    ASSERT_TRUE(event->sockaddr.has_value());
    EXPECT_EQ(event->sockaddr->port, 80);
}

TEST(TracedRunner, NetlinkDenialInsideASuccessfulReply) {
    REQUIRE_ROOT();
    if (::access("/usr/bin/ip", X_OK) != 0 && ::access("/sbin/ip", X_OK) != 0) GTEST_SKIP() << "needs ip";
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    RunResult result = run({"ip", "link", "set", "lo", "mtu", "65536"}, sink, spec);
    EXPECT_NE(result.exit.code, 0);
    bool found = false;
    for (const auto& event : sink.events) {
        if (!event.netlink) continue;
        found = true;
        EXPECT_EQ(event.err, EPERM);
        EXPECT_EQ(event.netlink->protocol, 0);  // NETLINK_ROUTE
        EXPECT_EQ(event.netlink->request_type, RTM_NEWLINK);
        EXPECT_NE(event.args_text.find("NLMSG_ERROR for RTM_NEWLINK"), std::string::npos);
    }
    EXPECT_TRUE(found);
}

TEST(TracedRunner, ExecveDeniedByFileCapabilities) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    // Debian's ping carries cap_net_raw=ep: without it, execve fails (KERNEL-NOTES).
    RunResult result = run({"ping", "-c1", "127.0.0.1"}, sink, spec);
    const SyscallEvent* event = sink.find("execve");
    if (!event) GTEST_SKIP() << "ping has no file capabilities here";
    EXPECT_EQ(event->err, EPERM);
    EXPECT_EQ(event->path, "/usr/bin/ping");
    EXPECT_FALSE(result.started);
}

TEST(TracedRunner, FollowsThreadsAndProcesses) {
    REQUIRE_ROOT();
    TempDir dir;
    std::ofstream(dir / "x") << "x";
    RecordingSink sink;
    RunSpec spec;
    spec.quiet_output = true;
    std::string script;
    for (int i = 0; i < 20; ++i) script += "chown 1000 " + (dir / "x") + " & ";
    script += "wait";
    RunResult result = run({"sh", "-c", script}, sink, spec);
    EXPECT_EQ(result.failures, 20u);
    EXPECT_GE(result.processes, 21u);
    EXPECT_GE(result.threads, result.processes);
}

TEST(TracedRunner, LeftoverDaemonsAreKilledWhenTheMainProcessExits) {
    REQUIRE_ROOT();
    TempDir dir;
    RecordingSink sink;
    auto start = std::chrono::steady_clock::now();
    run({"sh", "-c", "sleep 1000 & echo $! > " + (dir / "pid")}, sink);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    pid_t daemon = std::stoi(read_file(dir / "pid"));
    // Gone, or a zombie waiting for its new parent (init) to reap it.
    std::string stat = read_file("/proc/" + std::to_string(daemon) + "/stat");
    if (!stat.empty()) {
        auto state = stat.substr(stat.rfind(')') + 2, 1);
        EXPECT_TRUE(state == "Z" || state == "X") << stat;
    }
}

TEST(TracedRunner, DurationStopsTheWorkload) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunSpec spec;
    spec.duration = 0.3;
    RunResult result = run({"sleep", "30"}, sink, spec);
    EXPECT_TRUE(result.stopped_by_capprof);
    EXPECT_EQ(result.exit.signal, SIGTERM);
    EXPECT_LT(result.seconds, 10);
}

TEST(TracedRunner, ProbeSuccessThenStop) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunSpec spec;
    spec.probe = "true";
    spec.duration = 0.1;
    RunResult result = run({"sleep", "30"}, sink, spec);
    EXPECT_EQ(result.probe_ok, true);
    EXPECT_TRUE(result.stopped_by_capprof);
}

TEST(TracedRunner, ProbeTimeoutAndGraceEndInSigkill) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunSpec spec;
    spec.probe = "false";
    spec.ready_timeout = 0.5;
    spec.grace = 0.3;
    RunResult result = run({"sh", "-c", "trap '' TERM; sleep 30"}, sink, spec);
    EXPECT_EQ(result.probe_ok, false);
    EXPECT_EQ(result.exit.signal, SIGKILL);
    EXPECT_LT(result.seconds, 10);
}

TEST(TracedRunner, ProbeFailsWhenTheWorkloadExitsFirst) {
    REQUIRE_ROOT();
    RecordingSink sink;
    RunSpec spec;
    spec.probe = "false";
    RunResult result = run({"sh", "-c", "exit 3"}, sink, spec);
    EXPECT_EQ(result.probe_ok, false);
    EXPECT_EQ(result.exit.code, 3);
    EXPECT_FALSE(result.stopped_by_capprof);
}

TEST(TracedRunner, StoppedWorkloadResumesWithSigcont) {
    REQUIRE_ROOT();
    TempDir dir;
    RecordingSink sink;
    std::string marker = dir / "resumed";
    // The workload stops itself; an outside SIGCONT (as `kill -CONT` would)
    // must resume it through capprof's PTRACE_LISTEN.
    std::string script = "(sleep 0.5; kill -CONT $$) & kill -STOP $$; touch " + marker;
    RunResult result = run({"sh", "-c", script}, sink);
    EXPECT_EQ(result.exit.code, 0);
    EXPECT_TRUE(std::filesystem::exists(marker));
}

}  // namespace
}  // namespace capprof
