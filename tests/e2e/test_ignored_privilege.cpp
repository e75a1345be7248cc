// Traced by an ordinary user (a tracer without CAP_SYS_PTRACE), a program
// with file capabilities or a set-user-ID bit runs without them: the kernel
// drops them at execve (security/commoncap.c). Untraced it would hold them,
// so the report says so.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

const std::vector<std::string> as_nobody{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};

std::vector<std::string> nobody(std::vector<std::string> argv) {
    argv.insert(argv.begin(), as_nobody.begin(), as_nobody.end());
    return argv;
}

// `capprof run --json FILE -- COMMAND` as nobody; FILE in a directory nobody may write.
CapprofRun run_as_nobody(const TempDir& tmp, const std::vector<std::string>& command) {
    const std::string out = tmp.dir("out", 0755, 65534, 65534);
    std::vector<std::string> argv = nobody({capprof_bin(), "run", "--json", out + "/report.json", "--"});
    argv.insert(argv.end(), command.begin(), command.end());
    CapprofRun run;
    run.process = run_command(argv, 60s);
    run.report = json::parse(read_file(out + "/report.json"), nullptr, false);
    if (run.report.is_discarded()) run.report = nullptr;
    return run;
}

TEST(IgnoredPrivilege, FileCapabilityOfAProgramTracedByAnOrdinaryUser) {
    require_root();  // to set a file capability and become another user
    TempDir tmp;
    const std::string server = tmp / "server";
    std::filesystem::copy_file(prog("bind_port80"), server);
    ::chmod(server.c_str(), 0755);
    ASSERT_TRUE(sh("setcap cap_net_bind_service+ep '" + server + "'").exited(0));
    CommandResult untraced = run_command(nobody({server}), 20s);
    EXPECT_TRUE(untraced.exited(0)) << "untraced, the file capability lets nobody bind port 80\n" << untraced;

    CapprofRun run = run_as_nobody(tmp, {server});
    EXPECT_TRUE(run.process.exited(1)) << "traced, the kernel ignores the file capability\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["ignored_privileges"],
              json::array({{{"exe", server}, {"setuid", false}, {"setgid", false},
                            {"file_capabilities", {"NET_BIND_SERVICE"}}}}))
        << run;
    EXPECT_NE(run.process.err.find("note  " + server + " (file capabilities NET_BIND_SERVICE)"), std::string::npos)
        << run;
    EXPECT_NE(run.process.err.find("CAP_SYS_PTRACE"), std::string::npos) << run;

    // As root, capprof holds CAP_SYS_PTRACE: the kernel honours the file
    // capability and there is nothing to say.
    CapprofRun root = capprof_run({server}, {"NET_BIND_SERVICE"});
    ASSERT_TRUE(root.has_report()) << root;
    EXPECT_TRUE(root.process.exited(0)) << root;
    EXPECT_EQ(root.report["ignored_privileges"], json::array()) << root;
}

TEST(IgnoredPrivilege, SetUserIdProgramTracedByAnOrdinaryUser) {
    require_root();
    TempDir tmp;
    const std::string id = tmp / "id";
    std::filesystem::copy_file("/usr/bin/id", id);
    ASSERT_EQ(::chown(id.c_str(), 0, 0), 0);
    ASSERT_EQ(::chmod(id.c_str(), 04755), 0);
    CommandResult untraced = run_command(nobody({id, "-u"}), 20s);
    EXPECT_EQ(untraced.out, "0\n") << "untraced, set-user-ID root makes the effective uid 0\n" << untraced;

    CapprofRun run = run_as_nobody(tmp, {id, "-u"});
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_EQ(run.process.out, "65534\n") << "traced, the bit is ignored\n" << run;
    ASSERT_TRUE(run.has_report()) << run;
    ASSERT_EQ(run.report["ignored_privileges"].size(), 1u) << run;
    EXPECT_EQ(run.report["ignored_privileges"][0]["exe"], id);
    EXPECT_EQ(run.report["ignored_privileges"][0]["setuid"], true);
}

TEST(IgnoredPrivilege, DebiansPingAsAnOrdinaryUser) {
    require_root();
    CommandResult caps = run_command({"getcap", "/usr/bin/ping"}, 10s);
    if (caps.out.find("cap_net_raw") == std::string::npos)
        GTEST_SKIP() << "/usr/bin/ping has no file capability here (" << caps.out << ")";
    TempDir tmp;
    CapprofRun run = run_as_nobody(tmp, {"/usr/bin/ping", "-c1", "-W1", "127.0.0.1"});
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["ignored_privileges"],
              json::array({{{"exe", "/usr/bin/ping"}, {"setuid", false}, {"setgid", false},
                            {"file_capabilities", {"NET_RAW"}}}}))
        << run;
}

}  // namespace
}  // namespace capprof::e2e
