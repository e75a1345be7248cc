// The check gate against a canned Runner, and reading a minimize report as
// --allow-file.
#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "run/check.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

// A server that must bind port 80 and may lower its nice value (a warning
// when it cannot).
class Server : public Runner {
public:
    bool nice_attempt = false;
    std::vector<CapSet> granted_seen;
    std::size_t interrupted_run = 0;  // this run (1-based) is killed on SIGTERM

    RunResult run(const RunSpec& spec, EventSink& sink) override {
        granted_seen.push_back(spec.granted);
        RunResult result;
        result.seconds = 0.1;
        if (granted_seen.size() == interrupted_run) {
            result.exit = ExitStatus::killed(SIGKILL);
            result.interrupted = SIGTERM;
        }
        if (nice_attempt && !cap_has(spec.granted, CAP_SYS_NICE)) {
            SyscallEvent e = event("setpriority", 141, EACCES);
            e.args = {0, 0, static_cast<std::uint64_t>(-5), 0, 0, 0};
            e.args_text = "PRIO_PROCESS, 0, -5";
            deliver(sink, e, spec.granted);
        }
        if (!cap_has(spec.granted, CAP_NET_BIND_SERVICE)) {
            SyscallEvent e = event("bind", 49, EACCES);
            e.sockaddr = SockAddr{AF_INET, "0.0.0.0", 80, "{AF_INET, 0.0.0.0:80}"};
            e.args_text = "3, {AF_INET, 0.0.0.0:80}, 16";
            deliver(sink, e, spec.granted);
            result.exit = ExitStatus::exited(1);
        }
        return result;
    }

private:
    static SyscallEvent event(const std::string& name, int nr, int err) {
        return testing::own_event(name, nr, err, "server", "/usr/sbin/server");
    }
    static void deliver(EventSink& sink, SyscallEvent e, CapSet granted) {
        e.task.cap_prm = e.task.cap_eff = e.task.cap_bnd = granted;
        if (sink.wants_details(e)) sink.on_failure(e);
    }
};

CheckOptions allow(CapSet set) {
    CheckOptions options;
    options.spec.argv = {"server"};
    options.spec.granted = set;
    return options;
}

TEST(Check, PassesWithTheNeededCapability) {
    Server server;
    CheckResult result = run_check(server, allow(cap_bit(CAP_NET_BIND_SERVICE)));
    EXPECT_TRUE(result.pass) << result.summary;
    EXPECT_EQ(result.missing, 0u);
    EXPECT_EQ(result.unused, 0u);
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(result.summary.rfind("pass:", 0), 0u) << result.summary;
    // The check run, then the run without NET_BIND_SERVICE (which fails).
    EXPECT_EQ(server.granted_seen, (std::vector<CapSet>{cap_bit(CAP_NET_BIND_SERVICE), 0}));
    ASSERT_EQ(result.report.runs.size(), 2u);
    EXPECT_EQ(result.report.runs[1].purpose, "without NET_BIND_SERVICE");
}

TEST(Check, AnInterruptedCheckHasNoVerdict) {
    Server server;
    server.interrupted_run = 1;
    CheckResult result = run_check(server, allow(0));
    EXPECT_FALSE(result.pass);
    EXPECT_EQ(result.report.interrupted, SIGTERM);
    EXPECT_TRUE(result.report.findings.empty()) << "the killed run's bind is no finding";
    EXPECT_EQ(result.missing, 0u);
    EXPECT_EQ(result.summary.rfind("interrupted by SIGTERM", 0), 0u) << result.summary;
    ASSERT_EQ(result.report.runs.size(), 1u);
    EXPECT_EQ(result.report.runs[0].purpose, "check (interrupted)");
}

TEST(Check, AnInterruptAfterThePassStopsTheSearchForUnused) {
    Server server;
    server.interrupted_run = 2;
    CheckResult result = run_check(server, allow(cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SYS_NICE)));
    EXPECT_TRUE(result.pass) << result.summary;
    EXPECT_EQ(result.report.interrupted, SIGTERM);
    EXPECT_EQ(server.granted_seen.size(), 2u) << "no run after the interrupt";
    EXPECT_EQ(result.unused, 0u) << "a killed run proves nothing unused";
}

TEST(Check, FailsNamingWhatIsMissing) {
    Server server;
    CheckResult result = run_check(server, allow(0));
    EXPECT_FALSE(result.pass);
    EXPECT_EQ(result.missing, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_NE(result.summary.find("FAIL: also needs NET_BIND_SERVICE"), std::string::npos)
        << result.summary;
    EXPECT_EQ(server.granted_seen.size(), 1u) << "no unused search after a failure";
}

TEST(Check, AnUnusedAllowedCapabilityIsANoteNotAFailure) {
    Server server;
    CheckResult result = run_check(server, allow(cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETUID)));
    EXPECT_TRUE(result.pass) << result.summary;
    EXPECT_EQ(result.unused, cap_bit(CAP_SETUID));
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_NE(result.summary.find("not needed: SETUID"), std::string::npos) << result.summary;

    Server fast;
    CheckOptions options = allow(cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETUID));
    options.find_unused = false;
    EXPECT_TRUE(run_check(fast, options).pass);
    EXPECT_EQ(fast.granted_seen.size(), 1u);
}

TEST(Check, ACarriedOnFailureOutsideTheAllowedSetWarnsUnlessStrict) {
    // The server carried on past the refused nice value: a warning only.
    Server server;
    server.nice_attempt = true;
    CheckResult lenient = run_check(server, allow(cap_bit(CAP_NET_BIND_SERVICE)));
    EXPECT_TRUE(lenient.pass) << lenient.summary;
    EXPECT_EQ(lenient.missing, 0u);
    EXPECT_EQ(lenient.warned, cap_bit(CAP_SYS_NICE));
    EXPECT_NE(lenient.summary.find("warning: it carried on past denials of SYS_NICE"), std::string::npos)
        << lenient.summary;
    EXPECT_EQ(lenient.report.optional, cap_bit(CAP_SYS_NICE));

    Server strict_server;
    strict_server.nice_attempt = true;
    CheckOptions strict_options = allow(cap_bit(CAP_NET_BIND_SERVICE));
    strict_options.strict = true;
    CheckResult strict = run_check(strict_server, strict_options);
    EXPECT_FALSE(strict.pass) << "--strict: the workload behaves differently, a call failed";
    EXPECT_EQ(strict.missing, cap_bit(CAP_SYS_NICE));

    Server again;
    again.nice_attempt = true;
    CheckOptions options = allow(cap_bit(CAP_NET_BIND_SERVICE));
    options.strict = true;
    options.tolerated = cap_bit(CAP_SYS_NICE);   // minimize listed it as optional
    CheckResult tolerant = run_check(again, options);
    EXPECT_TRUE(tolerant.pass) << tolerant.summary;
    EXPECT_EQ(tolerant.warned, 0u);
    EXPECT_EQ(tolerant.report.optional, cap_bit(CAP_SYS_NICE));
}

TEST(Check, ARequiredFindingFailsEvenWhenTheWorkloadWorked) {
    // A denial that stopped a child process (the main one exited 0).
    class ChildStopped : public Runner {
    public:
        RunResult run(const RunSpec&, EventSink& sink) override {
            SyscallEvent e = testing::own_event("setpriority", 141, EACCES, "worker", "/usr/sbin/worker");
            e.args = {0, 0, static_cast<std::uint64_t>(-5), 0, 0, 0};
            if (sink.wants_details(e)) sink.on_failure(e);
            sink.on_process_end(ProcessEnd{e.task.pid, ExitStatus::exited(1), false});
            RunResult result;
            result.exit = ExitStatus::exited(0);
            return result;
        }
    } runner;
    CheckResult result = run_check(runner, allow(0));
    EXPECT_FALSE(result.pass) << result.summary;
    EXPECT_EQ(result.missing, cap_bit(CAP_SYS_NICE));
    ASSERT_EQ(result.report.findings.size(), 1u);
    EXPECT_EQ(result.report.findings[0].outcome, Outcome::stopped);
}

TEST(Check, AllowFileReadsCapAddAndOptional) {
    AllowFile file = parse_allow_file(
        R"({"schema":"capprof.report/v1","cap_add":["NET_BIND_SERVICE","SETGID"],"optional":["SYS_NICE"]})",
        "r.json");
    EXPECT_EQ(file.cap_add, cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETGID));
    EXPECT_EQ(file.optional, cap_bit(CAP_SYS_NICE));
    EXPECT_EQ(parse_allow_file(R"({"cap_add":[]})", "empty.json").cap_add, 0u);
}

TEST(Check, AllowFileErrorsNameTheFile) {
    auto message = [](const std::string& text) {
        try {
            parse_allow_file(text, "bad.json");
        } catch (const UserError& e) {
            EXPECT_EQ(e.exit_code(), 125);
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("not json").find("bad.json"), std::string::npos);
    EXPECT_NE(message(R"({"granted":[]})").find("cap_add"), std::string::npos);
    EXPECT_NE(message(R"({"cap_add":["NOT_A_CAP"]})").find("NOT_A_CAP"), std::string::npos);
    EXPECT_NE(message(R"({"schema":"other/v9","cap_add":[]})").find("schema"), std::string::npos);
    EXPECT_THROW(read_allow_file("/nonexistent/capprof.json"), UserError);
}

}  // namespace
}  // namespace capprof
