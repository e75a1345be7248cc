// The minimize loop against a canned Runner: a scripted program whose calls
// fail unless a given capability is granted; its failures go through the real
// Collector and classifier, as the tracer's would.
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/cap_names.hpp"
#include "run/minimize.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

// One call the scripted program makes.
struct Call {
    SyscallEvent event;
    int fixed_by = -1;   // capability that makes it succeed; -1: none does
    bool fatal = true;   // the program exits 1 when the call fails
    bool sets_up_state = false;  // once it succeeded, later runs no longer make it
};

class ScriptedProgram : public Runner {
public:
    std::vector<Call> calls;
    int exit_without_failure = 0;          // exit status when no fatal call failed
    std::vector<CapSet> granted_seen;      // what each run was granted, in order
    std::vector<bool> quiet_seen;
    // Drops to uid/gid 33 only when it holds SETUID/SETGID, silently otherwise
    // (a program that checks its capabilities before switching users).
    bool switches_users_if_it_can = false;
    std::size_t interrupted_run = 0;       // this run (1-based) is cut short by SIGINT
    bool isolated = false;                 // report every run as an isolated trial

    RunResult run(const RunSpec& spec, EventSink& sink) override {
        granted_seen.push_back(spec.granted);
        if (granted_seen.size() == interrupted_run) return interrupted(spec, sink);
        quiet_seen.push_back(spec.quiet_output);
        RunResult result;
        result.seconds = 0.25;
        result.processes = result.threads = 1;
        result.exit = ExitStatus::exited(exit_without_failure);
        result.isolated = isolated;
        if (switches_users_if_it_can)
            result.identities = {{"/usr/bin/scripted", cap_has(spec.granted, CAP_SETUID) ? 33u : 0u,
                                  cap_has(spec.granted, CAP_SETGID) ? 33u : 0u}};
        for (Call& call : calls) {
            ++result.syscalls;
            if (call.sets_up_state && state_done_) continue;
            if (call.fixed_by >= 0 && cap_has(spec.granted, call.fixed_by)) {
                if (call.sets_up_state) state_done_ = true;
                continue;
            }
            SyscallEvent event = call.event;
            // As the tracer would read it: uid 0 holding exactly the granted set.
            event.task.cap_prm = event.task.cap_eff = event.task.cap_bnd = spec.granted;
            ++result.failures;
            if (sink.wants_details(event)) sink.on_failure(event);
            if (call.fatal) {
                result.exit = ExitStatus::exited(1);
                break;
            }
        }
        return result;
    }

private:
    // As the tracer reports a run killed on SIGINT: whatever failed so far,
    // killed by SIGKILL.
    RunResult interrupted(const RunSpec& spec, EventSink& sink) {
        RunResult result;
        for (Call& call : calls) {
            if (call.fixed_by >= 0 && cap_has(spec.granted, call.fixed_by)) continue;
            SyscallEvent event = call.event;
            event.task.cap_prm = event.task.cap_eff = event.task.cap_bnd = spec.granted;
            if (sink.wants_details(event)) sink.on_failure(event);
        }
        result.exit = ExitStatus::killed(SIGKILL);
        result.interrupted = SIGINT;
        return result;
    }

    bool state_done_ = false;
};

SyscallEvent base_event(const std::string& name, int nr, int err) {
    return testing::own_event(name, nr, err, "scripted", "/usr/bin/scripted");
}

// A root-owned file in a fresh directory, for calls that name a path.
class Scratch {
public:
    Scratch() {
        char pattern[] = "/tmp/capprof-minimize-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        std::ofstream(dir_ + "/file") << "x";
    }
    ~Scratch() { std::filesystem::remove_all(dir_); }
    std::string file() const { return dir_ + "/file"; }
    std::string dir() const { return dir_; }

private:
    std::string dir_;
};

Call bind_port_80() {
    SyscallEvent e = base_event("bind", 49, EACCES);
    e.args = {3, 0x1000, 16, 0, 0, 0};
    e.sockaddr = SockAddr{AF_INET, "0.0.0.0", 80, "{AF_INET, 0.0.0.0:80}"};
    e.args_text = "3, {AF_INET, 0.0.0.0:80}, 16";
    return {e, CAP_NET_BIND_SERVICE};
}

Call setgid_call() {
    SyscallEvent e = base_event("setgid", 106, EPERM);
    e.args = {33, 0, 0, 0, 0, 0};
    e.args_text = "33";
    return {e, CAP_SETGID};
}

Call setuid_call() {
    SyscallEvent e = base_event("setuid", 105, EPERM);
    e.args = {33, 0, 0, 0, 0, 0};
    e.args_text = "33";
    return {e, CAP_SETUID};
}

Call chown_call(const std::string& path) {
    SyscallEvent e = base_event("chown", 92, EPERM);
    e.args = {0x1000, 1000, static_cast<std::uint64_t>(-1), 0, 0, 0};
    e.path = path;
    e.args_text = "\"" + path + "\", 1000, -1";
    return {e, CAP_CHOWN};
}

Call lower_nice() {
    SyscallEvent e = base_event("setpriority", 141, EACCES);
    e.args = {0 /* PRIO_PROCESS */, 0, static_cast<std::uint64_t>(-5), 0, 0, 0};
    e.args_text = "PRIO_PROCESS, 0, -5";
    return {e, CAP_SYS_NICE, /*fatal=*/false};
}

MinimizeOptions options_for(std::vector<std::string> argv = {"scripted"}) {
    MinimizeOptions options;
    options.spec.argv = std::move(argv);
    return options;
}

CapSet caps(std::initializer_list<int> list) {
    CapSet set = 0;
    for (int cap : list) set |= cap_bit(cap);
    return set;
}

const Finding* finding_for(const Report& report, const std::string& syscall) {
    for (const auto& f : report.findings)
        if (f.event.name == syscall) return &f;
    return nullptr;
}

TEST(Minimize, ConvergesInTheOrderTheFailuresAppearThenVerifiesEach) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call(), setuid_call()};
    std::vector<std::string> lines;
    MinimizeOptions options = options_for();
    options.progress = [&](const std::string& line) { lines.push_back(line); };

    MinimizeResult result = minimize(program, options);

    ASSERT_TRUE(result.found) << result.blocker;
    const CapSet all3 = caps({CAP_NET_BIND_SERVICE, CAP_SETGID, CAP_SETUID});
    std::vector<CapSet> expected = {
        0, caps({CAP_NET_BIND_SERVICE}), caps({CAP_NET_BIND_SERVICE, CAP_SETGID}), all3,
        // verification, in capability-number order: SETGID(6), SETUID(7), NET_BIND_SERVICE(10)
        all3 & ~cap_bit(CAP_SETGID), all3 & ~cap_bit(CAP_SETUID),
        all3 & ~cap_bit(CAP_NET_BIND_SERVICE)};
    EXPECT_EQ(program.granted_seen, expected);
    EXPECT_EQ(result.report.cap_add, all3);
    EXPECT_EQ(result.report.optional, 0u);
    EXPECT_TRUE(result.report.success);

    ASSERT_EQ(result.report.runs.size(), 7u);
    EXPECT_EQ(result.report.runs[0].purpose, "explore");
    EXPECT_FALSE(result.report.runs[0].success);
    EXPECT_EQ(result.report.runs[0].missing, std::vector<std::string>{"NET_BIND_SERVICE"});
    EXPECT_TRUE(result.report.runs[3].success);
    EXPECT_EQ(result.report.runs[4].purpose, "without SETGID");
    EXPECT_FALSE(result.report.runs[4].success);

    // One finding per distinct call, each required.
    ASSERT_EQ(result.report.findings.size(), 3u);
    for (const auto& f : result.report.findings) {
        EXPECT_EQ(f.verdict, Verdict::capability) << f.event.name << ": " << f.explanation;
        EXPECT_TRUE(f.required) << f.event.name;
    }

    // Progress: one line per run, the verification, the answer.
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_EQ(lines[0].rfind("run 1  held: none", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find("failed  NET_BIND_SERVICE"), std::string::npos) << lines[0];
    EXPECT_EQ(lines[1].rfind("run 2  held: NET_BIND_SERVICE", 0), 0u) << lines[1];
    EXPECT_EQ(lines[2].rfind("run 3  held: +SETGID", 0), 0u) << lines[2];
    EXPECT_NE(lines[3].find("exit 0"), std::string::npos) << lines[3];
    EXPECT_NE(lines[4].find("each fails"), std::string::npos) << lines[4];
    EXPECT_EQ(lines[5].rfind("minimal: SETGID SETUID NET_BIND_SERVICE  (4 runs + 3 checks", 0), 0u)
        << lines[5];
}

TEST(Minimize, AnInterruptedRunEndsTheSearchAndAsksForNothing) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call()};
    program.interrupted_run = 2;
    std::vector<std::string> lines;
    MinimizeOptions options = options_for();
    options.progress = [&](const std::string& line) { lines.push_back(line); };

    MinimizeResult result = minimize(program, options);

    EXPECT_FALSE(result.found);
    EXPECT_EQ(result.report.interrupted, SIGINT);
    EXPECT_EQ(program.granted_seen.size(), 2u) << "no run after the interrupt";
    ASSERT_EQ(result.report.runs.size(), 2u);
    EXPECT_EQ(result.report.runs[1].purpose, "explore (interrupted)");
    EXPECT_TRUE(result.report.runs[1].missing.empty());
    // The completed run's finding stays; the killed run's setgid is no finding.
    EXPECT_NE(finding_for(result.report, "bind"), nullptr);
    EXPECT_EQ(finding_for(result.report, "setgid"), nullptr);
    EXPECT_EQ(result.report.cap_add, caps({CAP_NET_BIND_SERVICE}));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back().rfind("interrupted by SIGINT", 0), 0u) << lines.back();
}

TEST(Minimize, AnInterruptDuringVerificationLeavesTheSetUnverified) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call()};
    // Runs: none, +NET_BIND_SERVICE, +SETGID (works), its reference with
    // SETUID, then verification: the first check is interrupted.
    program.interrupted_run = 5;
    MinimizeResult result = minimize(program, options_for());
    EXPECT_FALSE(result.found) << "not verified to the end";
    EXPECT_EQ(result.report.interrupted, SIGINT);
    EXPECT_EQ(program.granted_seen.size(), 5u);
    EXPECT_EQ(result.report.cap_add, caps({CAP_NET_BIND_SERVICE, CAP_SETGID}))
        << "the set seen working, no capability dropped on a killed run";
}

TEST(Minimize, AnInterruptedReferenceRunIsNoFinding) {
    ScriptedProgram program;
    program.calls = {bind_port_80()};
    program.interrupted_run = 3;  // none, +NET_BIND_SERVICE (works), its reference
    MinimizeResult result = minimize(program, options_for());
    EXPECT_FALSE(result.found);
    EXPECT_EQ(result.report.interrupted, SIGINT);
    EXPECT_EQ(program.granted_seen.size(), 3u);
    EXPECT_TRUE(result.report.notes.empty()) << "no note about users from a killed run";
}

TEST(Minimize, OnlyTheFirstRunShowsTheWorkloadsOutput) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call()};
    minimize(program, options_for());
    ASSERT_GE(program.quiet_seen.size(), 3u);
    EXPECT_FALSE(program.quiet_seen[0]);
    for (std::size_t i = 1; i < program.quiet_seen.size(); ++i) EXPECT_TRUE(program.quiet_seen[i]) << i;

    ScriptedProgram verbose;
    verbose.calls = {bind_port_80()};
    MinimizeOptions options = options_for();
    options.pass_all_output = true;
    minimize(verbose, options);
    for (bool quiet : verbose.quiet_seen) EXPECT_FALSE(quiet);
}

TEST(Minimize, VerificationDropsACapabilityTheWorkloadRunsWithout) {
    Scratch scratch;
    ScriptedProgram program;
    program.calls = {chown_call(scratch.file())};
    MinimizeOptions options = options_for();
    options.spec.granted = cap_bit(CAP_SYS_ADMIN);   // --cap-add SYS_ADMIN as a starting point

    MinimizeResult result = minimize(program, options);

    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_CHOWN)) << cap_names(result.report.cap_add).size();
    const CapSet both = caps({CAP_CHOWN, CAP_SYS_ADMIN});
    const CapSet ids = caps({CAP_SETUID, CAP_SETGID});
    std::vector<CapSet> expected = {cap_bit(CAP_SYS_ADMIN), both,
                                    both | ids,                        // reference: same users?
                                    cap_bit(CAP_SYS_ADMIN),            // without CHOWN: fails
                                    cap_bit(CAP_CHOWN),                // without SYS_ADMIN: works
                                    cap_bit(CAP_CHOWN) | ids,          // its reference
                                    cap_bit(CAP_CHOWN)};               // re-verify (reference known)
    EXPECT_EQ(program.granted_seen, expected);
    ASSERT_EQ(result.report.runs.size(), 7u);
    EXPECT_EQ(result.report.runs[2].purpose, "reference: may switch users");
    EXPECT_EQ(result.report.runs[4].purpose, "without SYS_ADMIN");
    EXPECT_TRUE(result.report.runs[4].success);
    EXPECT_EQ(result.report.runs[6].purpose, "re-verify");
    EXPECT_TRUE(result.report.runs[6].success);
    EXPECT_EQ(result.report.granted, cap_bit(CAP_CHOWN));
}

TEST(Minimize, ACapabilityNeededOnlyToSetUpStateIsDroppedAndSaidSo) {
    Scratch scratch;
    ScriptedProgram program;
    Call setup = chown_call(scratch.file());   // like nginx chowning its temp directories
    setup.sets_up_state = true;
    program.calls = {setup, bind_port_80()};
    std::vector<std::string> lines;
    MinimizeOptions options = options_for();
    options.progress = [&](const std::string& line) { lines.push_back(line); };

    MinimizeResult result = minimize(program, options);

    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(result.report.optional, cap_bit(CAP_CHOWN));
    const Finding* f = finding_for(result.report, "chown");
    ASSERT_NE(f, nullptr);
    EXPECT_FALSE(f->required);
    bool noted = false;
    for (const auto& note : f->notes) noted |= note.find("fresh start") != std::string::npos;
    EXPECT_TRUE(noted);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("possibly needed on a fresh start (trials not isolated): CHOWN"), std::string::npos)
        << lines.back();
}

TEST(Minimize, IsolatedTrialsNeverCallACapabilityNeededOnlyOnAFreshStart) {
    // Every isolated trial starts fresh: a capability verification finds
    // unnecessary is not needed, and nothing hints at the state of the host.
    Scratch scratch;
    ScriptedProgram program;
    program.isolated = true;
    Call setup = chown_call(scratch.file());   // as in the test above, but reported isolated
    setup.sets_up_state = true;
    program.calls = {setup, bind_port_80()};
    MinimizeOptions options = options_for();
    std::vector<std::string> lines;
    options.progress = [&](const std::string& line) { lines.push_back(line); };
    MinimizeResult result = minimize(program, options);
    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    for (const auto& f : result.report.findings)
        for (const auto& note : f.notes) EXPECT_EQ(note.find("fresh start"), std::string::npos) << note;
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back().find("fresh start"), std::string::npos) << lines.back();
    EXPECT_TRUE(result.report.isolated);
}

TEST(Minimize, ACapabilityThatDoesNotFixItsFailureIsNotACapabilityProblem) {
    Scratch scratch;
    ScriptedProgram program;
    Call stubborn = chown_call(scratch.file());
    stubborn.fixed_by = -1;   // e.g. an immutable file: CHOWN does not help
    program.calls = {stubborn};
    std::vector<std::string> lines;
    MinimizeOptions options = options_for();
    options.progress = [&](const std::string& line) { lines.push_back(line); };

    MinimizeResult result = minimize(program, options);

    EXPECT_FALSE(result.found);
    EXPECT_EQ(program.granted_seen, (std::vector<CapSet>{0, cap_bit(CAP_CHOWN)}));
    EXPECT_EQ(result.report.cap_add, 0u) << "CHOWN did not help: leave it out";
    EXPECT_EQ(result.report.optional, 0u);
    const Finding* f = finding_for(result.report, "chown");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->verdict, Verdict::not_capability);
    EXPECT_FALSE(f->capability.has_value());
    EXPECT_NE(f->explanation.find("CHOWN"), std::string::npos) << f->explanation;
    EXPECT_EQ(result.report.findings.size(), 1u) << "the same call in two runs is one finding";
    EXPECT_NE(result.blocker.find("CHOWN"), std::string::npos) << result.blocker;
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back().rfind("no working set:", 0), 0u) << lines.back();
}

TEST(Minimize, StopsWhenARunTeachesNothing) {
    ScriptedProgram program;
    program.exit_without_failure = 3;   // fails, but no call was denied
    MinimizeResult result = minimize(program, options_for());
    EXPECT_FALSE(result.found);
    EXPECT_EQ(program.granted_seen.size(), 1u);
    EXPECT_EQ(result.report.cap_add, 0u);
    EXPECT_FALSE(result.report.success);
    EXPECT_EQ(result.report.exit.code, 3);
    EXPECT_NE(result.blocker.find("exited 3"), std::string::npos) << result.blocker;
}

TEST(Minimize, ExpectedExitStatusDefinesSuccess) {
    ScriptedProgram program;
    program.exit_without_failure = 3;
    MinimizeOptions options = options_for();
    options.expect_exit = 3;
    MinimizeResult result = minimize(program, options);
    EXPECT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, 0u);
}

TEST(Minimize, AFailureTheWorkloadSurvivesIsOptional) {
    ScriptedProgram program;
    program.calls = {lower_nice()};
    MinimizeResult result = minimize(program, options_for({"nice", "-n", "-5", "true"}));
    ASSERT_TRUE(result.found) << result.blocker;
    // Nothing to verify in an empty set; one reference run that may switch users.
    EXPECT_EQ(program.granted_seen, (std::vector<CapSet>{0, caps({CAP_SETUID, CAP_SETGID})}));
    EXPECT_EQ(result.report.cap_add, 0u);
    EXPECT_EQ(result.report.optional, cap_bit(CAP_SYS_NICE));
    const Finding* f = finding_for(result.report, "setpriority");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->verdict, Verdict::capability) << f->explanation;
    EXPECT_FALSE(f->required);
    bool fallback_noted = false;
    for (const auto& note : f->notes) fallback_noted |= note.find("succeeded without") != std::string::npos;
    EXPECT_TRUE(fallback_noted);
}

TEST(Minimize, OptionalAndRequiredTogether) {
    ScriptedProgram program;
    program.calls = {lower_nice(), bind_port_80()};
    MinimizeResult result = minimize(program, options_for());
    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(result.report.optional, cap_bit(CAP_SYS_NICE));
    EXPECT_TRUE(finding_for(result.report, "bind")->required);
    EXPECT_FALSE(finding_for(result.report, "setpriority")->required);
}

TEST(Minimize, TheNumberOfRunsIsBounded) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call(), setuid_call()};
    MinimizeOptions options = options_for();
    options.max_runs = 2;
    MinimizeResult result = minimize(program, options);
    EXPECT_FALSE(result.found);
    EXPECT_EQ(program.granted_seen.size(), 2u);
    EXPECT_NE(result.blocker.find("limit"), std::string::npos) << result.blocker;
}

TEST(Minimize, StopsAtACapabilityItCannotGrantOnlyWhenNothingElseIsLeft) {
    ScriptedProgram program;
    program.calls = {bind_port_80(), setgid_call()};
    MinimizeOptions options = options_for();
    options.grantable = ~cap_bit(CAP_SETGID);   // like root without SYS_RESOURCE
    MinimizeResult result = minimize(program, options);
    EXPECT_FALSE(result.found);
    EXPECT_EQ(program.granted_seen, (std::vector<CapSet>{0, cap_bit(CAP_NET_BIND_SERVICE)}))
        << "NET_BIND_SERVICE is tried; SETGID never";
    EXPECT_NE(result.blocker.find("cannot be tried here"), std::string::npos) << result.blocker;
    EXPECT_NE(result.blocker.find("SETGID"), std::string::npos) << result.blocker;
    EXPECT_NE(result.blocker.find("bounding set"), std::string::npos) << result.blocker;
    EXPECT_TRUE(cap_has(result.report.cap_add, CAP_SETGID)) << "it is still what the workload needs";
    // The report describes the last run that really happened.
    EXPECT_EQ(result.report.granted, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_EQ(result.report.exit.code, 1);
    EXPECT_EQ(result.report.syscalls, 2u);
    ASSERT_EQ(result.report.untried.size(), 1u);
    EXPECT_EQ(result.report.untried[0].cap, CAP_SETGID);
}

Call raise_nofile_limit() {
    SyscallEvent e = base_event("prlimit64", 302, EPERM);
    e.args = {0, 7 /* RLIMIT_NOFILE */, 0x1000, 0, 0, 0};
    e.args_text = "0, RLIMIT_NOFILE, {rlim_cur=65536, rlim_max=65536}, NULL";
    return {e, CAP_SYS_RESOURCE, /*fatal=*/false};
}

TEST(Minimize, CarriesOnPastADenialItCannotGrant) {
    // sshd, named and su lower limits they may not raise without SYS_RESOURCE
    // and carry on: on a host whose root lacks it, the answer is the rest.
    ScriptedProgram program;
    program.calls = {raise_nofile_limit(), bind_port_80()};
    MinimizeOptions options = options_for();
    options.grantable = ~cap_bit(CAP_SYS_RESOURCE);
    std::vector<std::string> lines;
    options.progress = [&](const std::string& line) { lines.push_back(line); };
    MinimizeResult result = minimize(program, options);

    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_NET_BIND_SERVICE));
    EXPECT_TRUE(cap_has(result.report.optional, CAP_SYS_RESOURCE));
    for (CapSet granted : program.granted_seen) EXPECT_FALSE(cap_has(granted, CAP_SYS_RESOURCE));
    ASSERT_EQ(result.report.untried.size(), 1u);
    EXPECT_EQ(result.report.untried[0].cap, CAP_SYS_RESOURCE);
    const Finding* f = finding_for(result.report, "prlimit64");
    ASSERT_NE(f, nullptr);
    EXPECT_FALSE(f->required);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("not tried here (worked without): SYS_RESOURCE"), std::string::npos) << lines.back();
}

Call set_clock() {
    SyscallEvent e = base_event("clock_settime", 227, EPERM);
    e.args = {0, 0x1000, 0, 0, 0, 0};
    e.args_text = "CLOCK_REALTIME, {tv_sec=0, tv_nsec=0}";
    return {e, CAP_SYS_TIME};
}

TEST(Minimize, AHostWideCapabilityIsTriedOnlyWhenAllowed) {
    ScriptedProgram program;
    program.calls = {set_clock()};
    MinimizeResult refused = minimize(program, options_for());
    EXPECT_FALSE(refused.found);
    EXPECT_EQ(program.granted_seen.size(), 1u) << "SYS_TIME is never granted without --allow-host-cap";
    EXPECT_NE(refused.blocker.find("--allow-host-cap SYS_TIME"), std::string::npos) << refused.blocker;
    EXPECT_NE(refused.blocker.find("system clock"), std::string::npos) << refused.blocker;

    ScriptedProgram allowed_program;
    allowed_program.calls = {set_clock()};
    MinimizeOptions options = options_for();
    options.allowed_host_caps = cap_bit(CAP_SYS_TIME);
    MinimizeResult allowed = minimize(allowed_program, options);
    ASSERT_TRUE(allowed.found) << allowed.blocker;
    EXPECT_EQ(allowed.report.cap_add, cap_bit(CAP_SYS_TIME));
}

TEST(Minimize, APrivilegeDropTheWorkloadSurvivesIsRequired) {
    // Workers that fail setuid(33) and carry on as root still serve: the
    // answer must hold SETUID all the same.
    ScriptedProgram program;
    Call drop = setuid_call();
    drop.fatal = false;
    program.calls = {drop};
    MinimizeResult result = minimize(program, options_for());
    ASSERT_TRUE(result.found) << result.blocker;
    EXPECT_EQ(result.report.cap_add, cap_bit(CAP_SETUID));
    EXPECT_EQ(result.report.optional, 0u);
    const Finding* f = finding_for(result.report, "setuid");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->privilege_drop);
    EXPECT_TRUE(f->required);
}

TEST(Minimize, ASetUnderWhichProcessesRunAsOtherUsersIsNeverAccepted) {
    // No call fails, but granted SETUID and SETGID the program switches to
    // uid/gid 33: without them it silently stays root.
    ScriptedProgram program;
    program.switches_users_if_it_can = true;
    std::vector<std::string> lines;
    MinimizeOptions options = options_for();
    options.progress = [&](const std::string& line) { lines.push_back(line); };
    MinimizeResult result = minimize(program, options);

    ASSERT_TRUE(result.found) << result.blocker;
    const CapSet ids = caps({CAP_SETUID, CAP_SETGID});
    EXPECT_EQ(result.report.cap_add, ids);
    EXPECT_EQ(program.granted_seen,
              (std::vector<CapSet>{0, ids /* reference */, ids /* run 2 */, cap_bit(CAP_SETUID) /* without SETGID */,
                                   cap_bit(CAP_SETGID) /* without SETUID */}));
    ASSERT_EQ(result.report.notes.size(), 1u);
    EXPECT_NE(result.report.notes[0].find("other users"), std::string::npos) << result.report.notes[0];
    bool said = false;
    for (const auto& line : lines) said |= line.find("\"/usr/bin/scripted\" as 0:0") != std::string::npos;
    EXPECT_TRUE(said) << "the progress names who ran as whom";
}

TEST(Minimize, HeldColumn) {
    EXPECT_EQ(held_text(0, 0, true), "none");
    EXPECT_EQ(held_text(0, cap_bit(CAP_NET_BIND_SERVICE), false), "NET_BIND_SERVICE");
    EXPECT_EQ(held_text(cap_bit(CAP_NET_BIND_SERVICE), caps({CAP_NET_BIND_SERVICE, CAP_SETGID}), false),
              "+SETGID");
    std::string line = progress_line("run 1", "none", "failed  NET_BIND_SERVICE", 0.3);
    // docs/ARCHITECTURE.md's example, column for column.
    EXPECT_EQ(line, "run 1  held: none                        failed  NET_BIND_SERVICE     0.3 s");
    EXPECT_EQ(progress_line("verify without NET_BIND_SERVICE / SETGID: each fails", "", "", 1.1),
              "verify without NET_BIND_SERVICE / SETGID: each fails                  1.1 s");
}

}  // namespace
}  // namespace capprof
