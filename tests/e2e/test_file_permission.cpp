// A failure caused by a file's owner or mode is a file-permission problem:
// capprof names the capability that would work around it (DAC_READ_SEARCH for
// reads and directory search, DAC_OVERRIDE for writes) but says the better fix
// is chown/chmod or running as the owner.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

bool mentions_chown_or_chmod(const json& finding) {
    std::string fix = finding.value("fix", "");
    return fix.find("chown") != std::string::npos || fix.find("chmod") != std::string::npos;
}

void expect_file_permission_shape(const json& f, const std::string& capability) {
    ASSERT_FALSE(f.is_null());
    EXPECT_EQ(f["verdict"], "file-permission") << f.dump(2);
    EXPECT_EQ(f["capability"], capability) << f.dump(2);
    EXPECT_TRUE(mentions_chown_or_chmod(f)) << "fix should mention chown/chmod: " << f.dump(2);
}

TEST(FilePermission, ReadingAnotherUsersPrivateFile) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("secret", 0600, 1000, 1000);
    Expected e;
    e.program = "open_other_uid";
    e.command = {prog("open_other_uid"), file};
    e.syscall = "openat";
    e.err = "EACCES";
    e.verdict = "file-permission";
    e.capability = "DAC_READ_SEARCH";
    e.path = file;
    json f = expect_finding(e);
    expect_file_permission_shape(f, "DAC_READ_SEARCH");
    if (!f.is_null()) {
        EXPECT_TRUE(json_array_contains(f["alternatives"], "DAC_OVERRIDE")) << f.dump(2);
    }
    expect_fixed_by(e, "DAC_READ_SEARCH");
    expect_fixed_by(e, "DAC_OVERRIDE");
}

TEST(FilePermission, CatOfAnotherUsersPrivateFile) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("secret", 0600, 1000, 1000);
    Expected e;
    e.program = "cat";
    e.command = {"cat", file};
    e.syscall = "openat";
    e.err = "EACCES";
    e.verdict = "file-permission";
    e.capability = "DAC_READ_SEARCH";
    e.path = file;
    json f = expect_finding(e);
    expect_file_permission_shape(f, "DAC_READ_SEARCH");
    expect_fixed_by(e, "DAC_READ_SEARCH");
}

TEST(FilePermission, DirectoryWithoutSearchPermission) {
    require_root();
    TempDir tmp;
    std::string dir = tmp.dir("private", 0700, 1000, 1000);
    std::string file = tmp.file("private/inside", 0644, 1000, 1000);
    Expected e;
    e.program = "search_dir";
    e.command = {prog("search_dir"), file};
    e.syscall = "newfstatat";
    e.err = "EACCES";
    e.verdict = "file-permission";
    e.capability = "DAC_READ_SEARCH";
    e.path = file;
    json f = expect_finding(e);
    expect_file_permission_shape(f, "DAC_READ_SEARCH");
    if (!f.is_null()) {
        std::string text = f.dump();
        EXPECT_NE(text.find(dir), std::string::npos) << "the report names the directory that refused: " << f.dump(2);
    }
    expect_fixed_by(e, "DAC_READ_SEARCH");
}

TEST(FilePermission, WritingAnotherUsersFileNeedsDacOverride) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("log", 0644, 1000, 1000);
    Expected e;
    e.program = "sh";
    e.command = {"/bin/sh", "-c", "echo x >> '" + file + "'"};
    e.syscall = "openat";
    e.err = "EACCES";
    e.verdict = "file-permission";
    e.capability = "DAC_OVERRIDE";
    e.path = file;
    e.exit_code = 2;  // dash: a failed redirection of a builtin
    json f = expect_finding(e);
    expect_file_permission_shape(f, "DAC_OVERRIDE");
    expect_fixed_by(e, "DAC_OVERRIDE");
}

TEST(FilePermission, ReadableFileNeedsNothing) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("public", 0644, 1000, 1000, "public words\n");
    CapprofRun run = capprof_run({"cat", file});
    EXPECT_EQ(run.process.exit_code, 0) << run;
    EXPECT_EQ(run.process.out, "public words\n") << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_TRUE(run.report["findings"].empty()) << run.report.dump(2);
    EXPECT_TRUE(run.report["cap_add"].empty()) << run.report.dump(2);
}

}  // namespace
}  // namespace capprof::e2e
