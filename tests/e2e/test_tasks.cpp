// Every task is traced: threads, forked children, a thread that execs, and
// hundreds of tasks failing at once — each finding names the process that
// made the call, and identical failures are counted, not lost.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

Expected chown_case(const std::string& program, std::vector<std::string> command, const std::string& path) {
    Expected e;
    e.program = program;
    e.command = std::move(command);
    e.syscall = "chown";
    e.err = "EPERM";
    e.capability = "CHOWN";
    e.path = path;
    return e;
}

TEST(Tasks, FailureInASecondThread) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("target");
    auto e = chown_case("thread_fail", {prog("thread_fail"), file}, file);
    CapprofRun run = capprof_run(e.command);
    EXPECT_EQ(run.process.exit_code, 1) << run;
    auto pid = printed_pid(run.process.out, "thread_fail", "pid");
    auto tid = printed_pid(run.process.out, "thread_fail", "tid");
    ASSERT_TRUE(pid && tid) << run;
    ASSERT_NE(*pid, *tid) << "the call was made by a thread other than the leader";
    json f = find_finding(run.report, "chown");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["capability"], "CHOWN") << f.dump(2);
    EXPECT_EQ(f["path"], file) << f.dump(2);
    // "pid" is the process (thread group); a "tid" field, when present, is the thread.
    EXPECT_EQ(f["pid"], *pid) << f.dump(2);
    if (f.contains("tid")) {
        EXPECT_EQ(f["tid"], *tid) << f.dump(2);
    }
    EXPECT_EQ(f["comm"], "thread_fail") << f.dump(2);
    expect_fixed_by(e, "CHOWN");
}

TEST(Tasks, FailureInAForkedChild) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("target");
    auto e = chown_case("fork_fail", {prog("fork_fail"), file}, file);
    CapprofRun run = capprof_run(e.command);
    EXPECT_EQ(run.process.exit_code, 1) << run;
    auto child = printed_pid(run.process.out, "fork_fail", "pid");
    auto parent = printed_pid(run.process.out, "fork_fail", "ppid");
    ASSERT_TRUE(child && parent) << run;
    json f = find_finding(run.report, "chown");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["pid"], *child) << "the child made the call, not its parent\n" << f.dump(2);
    EXPECT_EQ(f["comm"], "fork_fail") << f.dump(2);
    EXPECT_EQ(f["capability"], "CHOWN") << f.dump(2);
    EXPECT_EQ(f["path"], file) << f.dump(2);
    expect_fixed_by(e, "CHOWN");
}

TEST(Tasks, FailureAfterExecFromANonLeaderThread) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("target");
    // The exec'd chown_file takes over the thread group's pid (execve(2)).
    auto e = chown_case("chown_file", {prog("exec_thread"), prog("chown_file"), file}, file);
    e.exe = prog("chown_file");
    CapprofRun run = capprof_run(e.command);
    EXPECT_EQ(run.process.exit_code, 1) << run;
    auto before = printed_pid(run.process.out, "exec_thread", "pid");
    auto thread = printed_pid(run.process.out, "exec_thread", "tid");
    auto after = printed_pid(run.process.out, "chown_file", "pid");
    ASSERT_TRUE(before && thread && after) << run;
    EXPECT_NE(*before, *thread) << "the exec came from a non-leader thread";
    EXPECT_EQ(*before, *after) << "after execve the program has the thread group's pid";
    json f = find_finding(run.report, "chown");
    ASSERT_FALSE(f.is_null()) << run;
    EXPECT_EQ(f["pid"], *after) << f.dump(2);
    EXPECT_EQ(f["comm"], "chown_file") << f.dump(2);
    EXPECT_EQ(f["exe"], prog("chown_file")) << f.dump(2);
    EXPECT_EQ(f["capability"], "CHOWN") << f.dump(2);
    expect_fixed_by(e, "CHOWN");
}

TEST(Tasks, TwoHundredTasksFailingAtOnceAreCountedExactly) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("target");
    CapprofRun run = capprof_run({prog("many_tasks"), file, "100", "100"}, {}, 60s);
    ASSERT_FALSE(run.process.timed_out) << "200 processes and threads must not hang capprof\n" << run;
    EXPECT_EQ(run.process.exit_code, 0) << run;
    EXPECT_NE(run.process.out.find("200 chown calls failed"), std::string::npos) << run;
    ASSERT_TRUE(run.has_report()) << run;
    auto findings = findings_for(run.report, "chown");
    ASSERT_FALSE(findings.empty()) << run;
    std::uint64_t total = 0;
    for (const auto& f : findings) {
        EXPECT_EQ(f["capability"], "CHOWN") << f.dump(2);
        total += f.value("count", std::uint64_t{0});
    }
    EXPECT_EQ(total, 200u) << "every failing chown counted once\n" << run.report.dump(2);
    EXPECT_EQ(findings.size(), 1u) << "identical failures aggregate into one finding\n" << run.report.dump(2);
    // The workload exited 0, but each child process exits 1 right after its
    // failed chown: judged per process, the denial stopped them (outcome
    // rule), so CHOWN is recommended, not optional.
    EXPECT_EQ(findings[0]["outcome"], "stopped") << findings[0].dump(2);
    EXPECT_TRUE(json_array_contains(run.report["cap_add"], "CHOWN")) << run.report.dump(2);
    EXPECT_LT(run.process.seconds, 30.0) << run;
}

TEST(Tasks, SameCallFromFreshlyExecutedProgramsIsOneFinding) {
    require_root();
    // Each `busybox stat` is a new program with its own randomised stack, so
    // the stat buffer's address differs every time; the call does not.
    TempDir tmp;
    std::string dir = tmp.dir("private");
    tmp.file("private/f");
    ASSERT_EQ(::chown(dir.c_str(), 1000, 1000), 0);
    ASSERT_EQ(::chmod(dir.c_str(), 0700), 0);
    std::string script = "for i in 1 2 3 4 5; do busybox stat " + dir + "/f; done; exit 0";
    CapprofRun run = capprof_run({"sh", "-c", script});
    ASSERT_TRUE(run.has_report()) << run;
    std::vector<json> stats;
    for (const auto& f : run.findings()) {
        if (f.value("exe", "") == "/usr/bin/busybox" && f.value("path", "") == dir + "/f") stats.push_back(f);
    }
    ASSERT_EQ(stats.size(), 1u) << "five identical calls are one finding\n" << run.report.dump(2);
    EXPECT_EQ(stats[0]["count"], 5) << stats[0].dump(2);
    EXPECT_EQ(stats[0]["errno"], "EACCES") << stats[0].dump(2);
}

TEST(Tasks, FailingExecveShowsItsArgvAndDifferentArgvIsTheSameFinding) {
    require_root();
    // Debian's ping carries cap_net_raw=ep: execve fails with EPERM without it.
    if (::access("/usr/bin/ping", X_OK) != 0) GTEST_SKIP() << "needs /usr/bin/ping (iputils-ping)";
    CapprofRun run = capprof_run({"sh", "-c", "/usr/bin/ping -c 1 127.0.0.1; /usr/bin/ping -c 1 ::1; exit 0"});
    ASSERT_TRUE(run.has_report()) << run;
    auto execs = findings_for(run.report, "execve");
    ASSERT_EQ(execs.size(), 1u) << run.report.dump(2);
    EXPECT_EQ(execs[0]["count"], 2) << execs[0].dump(2);
    std::string args = execs[0].value("args", "");
    EXPECT_NE(args.find("[\"/usr/bin/ping\", \"-c\", \"1\", \"127.0.0.1\"]"), std::string::npos) << args;
    EXPECT_NE(args.find(" vars */"), std::string::npos) << args;
}

}  // namespace
}  // namespace capprof::e2e
