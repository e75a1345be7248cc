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

// An openat/stat refused by the file's owner or mode: `capability` is the
// narrowest that works around it.
Expected file_permission_case(const std::string& program, std::vector<std::string> command,
                              const std::string& syscall, const std::string& capability, const std::string& path) {
    Expected e;
    e.program = program;
    e.command = std::move(command);
    e.syscall = syscall;
    e.err = "EACCES";
    e.verdict = "file-permission";
    e.capability = capability;
    e.path = path;
    return e;
}

// The finding, with the shape every file-permission finding has: the
// capability that works around it, and chown/chmod as the better fix.
json expect_file_permission(const Expected& e) {
    json f = expect_finding(e);
    if (f.is_null()) return f;
    EXPECT_EQ(f["verdict"], "file-permission") << f.dump(2);
    EXPECT_EQ(f["capability"], *e.capability) << f.dump(2);
    EXPECT_TRUE(mentions_chown_or_chmod(f)) << "fix should mention chown/chmod: " << f.dump(2);
    return f;
}

TEST(FilePermission, ReadingAnotherUsersPrivateFile) {
    require_root();
    TempDir tmp;
    std::string file = tmp.file("secret", 0600, 1000, 1000);
    auto e = file_permission_case("open_other_uid", {prog("open_other_uid"), file}, "openat", "DAC_READ_SEARCH", file);
    json f = expect_file_permission(e);
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
    auto e = file_permission_case("cat", {"cat", file}, "openat", "DAC_READ_SEARCH", file);
    expect_file_permission(e);
    expect_fixed_by(e, "DAC_READ_SEARCH");
}

TEST(FilePermission, DirectoryWithoutSearchPermission) {
    require_root();
    TempDir tmp;
    std::string dir = tmp.dir("private", 0700, 1000, 1000);
    std::string file = tmp.file("private/inside", 0644, 1000, 1000);
    auto e = file_permission_case("search_dir", {prog("search_dir"), file}, "newfstatat", "DAC_READ_SEARCH", file);
    json f = expect_file_permission(e);
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
    auto e = file_permission_case("sh", {"/bin/sh", "-c", "echo x >> '" + file + "'"}, "openat", "DAC_OVERRIDE", file);
    e.exit_code = 2;  // dash: a failed redirection of a builtin
    expect_file_permission(e);
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
