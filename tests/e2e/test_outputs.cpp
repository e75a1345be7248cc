// Where capprof's outputs go, and that they survive a broken stderr:
// minimize and check print their answer on stdout (the workload's output and
// progress on stderr), `run` stays transparent, and a closed, full or broken
// stderr neither corrupts the JSON report nor replaces the workload's status.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

enum class Stderr { closed, full, closed_pipe };

const char* describe(Stderr mode) {
    switch (mode) {
        case Stderr::closed: return "fd 2 closed";
        case Stderr::full: return "stderr on /dev/full";
        case Stderr::closed_pipe: return "stderr a pipe nobody reads";
    }
    return "?";
}

// Runs argv with stdout to `out_path` and stderr broken as `mode`; the
// status as a shell reports it (-1 on time-out).
int run_with_broken_stderr(const std::vector<std::string>& argv, Stderr mode, const std::string& out_path,
                           std::chrono::seconds limit = 60s) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        int null = ::open("/dev/null", O_RDONLY);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || out < 0) _exit(121);
        ::dup2(null, 0);
        ::dup2(out, 1);
        if (mode == Stderr::closed) {
            ::close(2);
        } else if (mode == Stderr::full) {
            int full = ::open("/dev/full", O_WRONLY);
            if (full < 0) _exit(122);
            ::dup2(full, 2);
        } else {
            ::dup2(pipe_fds[1], 2);  // and no reader: pipe_fds[0] is closed below
        }
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        for (int fd = 3; fd < 1024; ++fd) ::close(fd);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        _exit(127);
    }
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(20ms);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

json parse_json_file(const std::string& path, std::string& error) {
    json j = json::parse(read_file(path), nullptr, false);
    if (j.is_discarded()) error = "not JSON: [" + read_file(path).substr(0, 300) + "]";
    return j;
}

TEST(BrokenStderr, JsonIsWrittenAndTheWorkloadsStatusKept) {
    require_root();
    for (Stderr mode : {Stderr::closed, Stderr::full, Stderr::closed_pipe}) {
        SCOPED_TRACE(describe(mode));
        TempDir tmp;
        const std::string report = tmp / "report.json";
        int status = run_with_broken_stderr(
            {capprof_bin(), "run", "--json", report, "--", prog("bind_port80")}, mode, tmp / "out");
        EXPECT_EQ(status, 1) << "bind_port80 exits 1 without NET_BIND_SERVICE; capprof keeps that status";
        std::string error;
        json j = parse_json_file(report, error);
        ASSERT_TRUE(j.is_object()) << error;
        EXPECT_EQ(j["cap_add"], json({"NET_BIND_SERVICE"}));
        EXPECT_EQ(j["exit"]["code"], 1);
        if (mode == Stderr::closed) {
            EXPECT_EQ(j["notes"], json::array()) << "fd 2 was reopened on /dev/null: nothing failed";
        } else {
            ASSERT_EQ(j["notes"].size(), 1u) << j.dump(2);
            EXPECT_NE(j["notes"][0].get<std::string>().find("the report was not written"), std::string::npos)
                << j["notes"];
        }
        EXPECT_NE(read_file(tmp / "out").find("bind_port80 pid="), std::string::npos)
            << "the workload's stdout is untouched";
    }
}

TEST(BrokenStderr, MinimizeStillPrintsItsAnswer) {
    require_root();
    for (Stderr mode : {Stderr::closed, Stderr::full, Stderr::closed_pipe}) {
        SCOPED_TRACE(describe(mode));
        TempDir tmp;
        int status = run_with_broken_stderr(
            {capprof_bin(), "minimize", "--format", "docker", "--", prog("bind_port80")}, mode, tmp / "out");
        EXPECT_EQ(status, 0);
        EXPECT_NE(read_file(tmp / "out").find("docker run --cap-drop ALL --cap-add NET_BIND_SERVICE"),
                  std::string::npos)
            << read_file(tmp / "out");
    }
}

TEST(BrokenStdout, AnUnwrittenAnswerIsSaidOnStderr) {
    require_root();
    CommandResult r = run_command({"/bin/sh", "-c",
                                   "exec " + capprof_bin() + " minimize --format docker -- " +
                                       prog("bind_port80") + " >/dev/full"},
                                  60s);
    EXPECT_TRUE(r.exited(0)) << "the answer was found; only printing it failed\n" << r;
    EXPECT_NE(r.err.find("capprof: the report was not written: cannot write to stdout: No space left on device"),
              std::string::npos)
        << r;
}

TEST(AnswerOnStdout, QuietStillPrintsTheAnswer) {
    require_root();
    CommandResult r = run_command({capprof_bin(), "minimize", "-q", "--", prog("bind_port80")}, 60s);
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_NE(r.out.find("add:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE"), std::string::npos) << r;
    EXPECT_EQ(r.err.find("run 1"), std::string::npos) << "-q hides progress\n" << r;
    EXPECT_EQ(r.out.find("bind_port80 pid="), std::string::npos) << "the workload's output is not the answer\n" << r;
}

TEST(AnswerOnStdout, JsonDashIsPureJson) {
    require_root();
    CommandResult r = run_command({capprof_bin(), "minimize", "--json", "-", "--", prog("bind_port80")}, 60s);
    EXPECT_TRUE(r.exited(0)) << r;
    json j = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "stdout holds the JSON and nothing else\n" << r;
    EXPECT_EQ(j["cap_add"], json({"NET_BIND_SERVICE"}));
    EXPECT_NE(r.err.find("add:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE"), std::string::npos)
        << "the text answer goes to stderr\n" << r;
    EXPECT_NE(r.err.find("bind_port80 pid="), std::string::npos) << "the workload's stdout went to stderr\n" << r;
}

TEST(AnswerOnStdout, CheckPrintsItsAnswerOnStdout) {
    require_root();
    CommandResult r = run_command({capprof_bin(), "check", "--allow", "none", "--", prog("bind_port80")}, 60s);
    EXPECT_TRUE(r.exited(1)) << r;
    EXPECT_NE(r.out.find("add:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE"), std::string::npos) << r;
    EXPECT_EQ(r.out.find("bind_port80 pid="), std::string::npos) << r;
    EXPECT_NE(r.err.find("bind_port80 pid="), std::string::npos) << r;
    EXPECT_NE(r.err.find("FAIL: also needs NET_BIND_SERVICE"), std::string::npos) << r;
}

}  // namespace
}  // namespace capprof::e2e
