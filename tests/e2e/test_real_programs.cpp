// Real Debian daemons whose process trees stress the tracer, found by
// scripts/real-programs.sh (the sweep that checks minimize's answers with
// setpriv).
#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

// vsftpd forks twice per connection and the session process fails at once
// without capabilities: the tracer often sees that process stop, run and
// exit before its parent's fork event. The end of the run (the probe never
// succeeds, so capprof stops vsftpd) must neither signal the exited process
// again nor lose waitpid's errno to that kill(2) ("capprof: waitpid: No
// such process", exit 125, no report).
TEST(RealPrograms, VsftpdSessionsThatExitBeforeTheirForkEvent) {
    require_root();
    if (!have_program("vsftpd") || !have_program("nc")) GTEST_SKIP() << "vsftpd or nc is not installed";
    if (!port_is_free(2121)) GTEST_SKIP() << "port 2121 is already in use on this machine";
    TempDir tmp;
    std::filesystem::create_directories("/var/run/vsftpd/empty");
    std::string conf = tmp.file("vsftpd.conf", 0644, 0, 0,
                                "listen=YES\nlisten_address=127.0.0.1\nlisten_port=2121\nbackground=NO\n"
                                "anonymous_enable=NO\nlocal_enable=YES\nsecure_chroot_dir=/var/run/vsftpd/empty\n");
    // Each probe is one connection, so one session process that exits.
    const std::string probe = "nc -w1 127.0.0.1 2121 </dev/null | grep -q ^220";
    for (int attempt = 0; attempt < 3; ++attempt) {
        CapprofRun run = run_capprof("run", {"--ready-timeout", "3", "--probe", probe}, {"vsftpd", conf}, 60s);
        EXPECT_EQ(run.process.err.find("waitpid"), std::string::npos) << run;
        ASSERT_TRUE(run.has_report()) << run;
        EXPECT_TRUE(run.process.exited(128 + SIGTERM)) << "the probe never succeeds: vsftpd is stopped\n" << run;
        EXPECT_FALSE(find_finding(run.report, "setgroups").is_null()) << run;
    }
}

}  // namespace
}  // namespace capprof::e2e
