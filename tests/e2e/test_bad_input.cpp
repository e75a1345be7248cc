// capprof's own errors: usage 125, not executable 126, not found 127 (like
// docker run and env(1)), each with a one-line reason on stderr.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

CommandResult capprof_args(const std::vector<std::string>& args) {
    std::vector<std::string> argv{capprof_bin()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, 20s);
}

void expect_one_line_error(const CommandResult& r, int code) {
    EXPECT_FALSE(r.timed_out) << r;
    EXPECT_EQ(r.exit_code, code) << r;
    EXPECT_FALSE(r.signal) << r;
    EXPECT_EQ(line_count(r.err), 1u) << "one line on stderr\n" << r;
    EXPECT_NE(r.err.find("capprof"), std::string::npos) << "the message says who speaks\n" << r;
    EXPECT_EQ(r.out, "") << r;
}

TEST(BadInput, RunWithoutACommand) {
    expect_one_line_error(capprof_args({"run"}), 125);
    expect_one_line_error(capprof_args({"run", "--"}), 125);
}

TEST(BadInput, UnknownOption) {
    CommandResult r = capprof_args({"run", "--no-such-option", "--", "true"});
    expect_one_line_error(r, 125);
    EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r;
}

TEST(BadInput, UnknownCapabilityNamesACloseMatch) {
    CommandResult r = capprof_args({"run", "--cap-add", "NET_BIND_SERVIC", "--", "true"});
    expect_one_line_error(r, 125);
    EXPECT_NE(r.err.find("NET_BIND_SERVIC"), std::string::npos) << "names the bad item\n" << r;
    EXPECT_NE(r.err.find("NET_BIND_SERVICE"), std::string::npos) << "suggests the close match\n" << r;
}

TEST(BadInput, UnknownCapabilityInALowerCaseList) {
    CommandResult r = capprof_args({"run", "--cap-add", "chown,sys_admn", "--", "true"});
    expect_one_line_error(r, 125);
    EXPECT_NE(r.err.find("SYS_ADMIN"), std::string::npos) << r;
}

TEST(BadInput, CommandNotFound) {
    require_root();
    CommandResult r = capprof_args({"run", "--", "capprof-no-such-command-anywhere"});
    expect_one_line_error(r, 127);
    EXPECT_NE(r.err.find("capprof-no-such-command-anywhere"), std::string::npos) << r;
    expect_one_line_error(capprof_args({"run", "--", "/nonexistent/dir/program"}), 127);
}

TEST(BadInput, CommandNotExecutable) {
    require_root();
    TempDir tmp;
    std::string script = tmp.file("no-x-bit", 0644, 0, 0, "#!/bin/sh\necho should not run\n");
    CommandResult r = capprof_args({"run", "--", script});
    expect_one_line_error(r, 126);
    EXPECT_NE(r.err.find(script), std::string::npos) << r;
    expect_one_line_error(capprof_args({"run", "--", tmp.path()}), 126);  // a directory
}

TEST(BadInput, UnknownSubcommand) {
    CommandResult r = capprof_args({"profile", "--", "true"});
    EXPECT_EQ(r.exit_code, 125) << r;
    EXPECT_EQ(r.out, "") << r;
}

}  // namespace
}  // namespace capprof::e2e
