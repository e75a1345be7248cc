// Strings and paths controlled by the workload are data: the text report
// escapes them as strace does (nothing a terminal would act on gets through),
// the JSON report stays valid, and no analysis of a path swapped under
// capprof's feet makes it hang, follow a symlink to act on a file, or open
// anything for writing.
#include <sys/stat.h>

#include "test_hostile_helpers.hpp"

namespace capprof::e2e {
namespace {

// The first thing in `text` a terminal could act on or that is not UTF-8:
// C0 controls other than \n and \t, DEL, C1 controls, line separators,
// bidirectional overrides. Empty when there is none.
std::string first_terminal_hazard(const std::string& text) {
    auto hex = [](std::size_t at) { return " at byte " + std::to_string(at); };
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                return "control byte " + std::to_string(c) + hex(i);
            ++i;
            continue;
        }
        std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > text.size()) return "invalid UTF-8" + hex(i);
        std::uint32_t cp = c & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) {
            unsigned char b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0) != 0x80) return "invalid UTF-8" + hex(i);
            cp = (cp << 6) | (b & 0x3F);
        }
        static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return "invalid UTF-8" + hex(i);
        if (cp <= 0x9F) return "C1 control" + hex(i);
        if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C)
            return "line separator or bidirectional control" + hex(i);
        i += len;
    }
    return "";
}

bool any_path_contains(const json& report, const std::string& needle) {
    for (const auto& f : report["findings"])
        for (const char* key : {"path", "args"})
            if (f.contains(key) && f[key].is_string() &&
                f[key].get<std::string>().find(needle) != std::string::npos)
                return true;
    return false;
}

TEST(HostileStrings, PathsCommAndAddressesAreEscapedAndJsonStaysValid) {
    require_root();
    TempDir dir;
    CapprofRun run = capprof_run({prog("hostile_strings"), dir.path()}, {}, 60s);
    ASSERT_FALSE(run.process.timed_out) << run;
    EXPECT_TRUE(run.process.exited(0)) << run;

    // The text report (stderr: the workload prints nothing itself).
    EXPECT_EQ(first_terminal_hazard(run.process.err), "") << run.process.err;
    EXPECT_NE(run.process.err.find("hostile-newline\\nfake: line"), std::string::npos)
        << "the newline in the file name should be printed as \\n:\n" << run.process.err;
    EXPECT_EQ(run.process.err.find("\nfake: line"), std::string::npos)
        << "a file name started a line of its own:\n" << run.process.err;

    // The JSON report parses (nlohmann rejects invalid UTF-8) and still names
    // every hostile path, however it spells the bytes.
    ASSERT_TRUE(run.has_report()) << run;
    for (const char* name : {"hostile-newline", "hostile-esc", "hostile-utf8", "hostile-bidi",
                             "hostile-csi", "hostile-quote", "hostile-long", "hostile-sockdir", "hostile-comm"})
        EXPECT_TRUE(any_path_contains(run.report, name)) << "no finding names " << name << ":\n" << run;

    // The comm the workload gave itself (prctl PR_SET_NAME) is data too.
    json comm_finding;
    for (const auto& f : run.report["findings"])
        if (f.value("path", json()).is_string() && f["path"].get<std::string>().find("hostile-comm") != std::string::npos)
            comm_finding = f;
    ASSERT_TRUE(comm_finding.is_object()) << run;
    EXPECT_EQ(comm_finding["comm"], "\x1b[31mred\nx") << comm_finding.dump();
    EXPECT_NE(run.process.err.find("\\33[31mred\\nx"), std::string::npos)
        << "the comm should be printed escaped:\n" << run.process.err;

    // Calls whose string argument is unterminated, unmapped or 4 KiB+ long were
    // still reported (the kernel checks the capability before reading them).
    for (const char* syscall : {"swapon", "acct", "sethostname"})
        EXPECT_FALSE(find_finding(run.report, syscall).is_null()) << "no finding for " << syscall << ":\n" << run;
    for (const auto& f : run.report["findings"]) {
        EXPECT_LT(f.dump().size(), 16384u) << "a finding grew with the workload's string:\n" << f.dump();
    }
}

// A copy of the file's identity and content, to prove nothing changed it.
struct FileSnapshot {
    std::string content;
    struct stat st {};
    static FileSnapshot of(const std::string& path) {
        FileSnapshot s;
        s.content = read_file(path);
        ::lstat(path.c_str(), &s.st);
        return s;
    }
    bool operator==(const FileSnapshot& o) const {
        return content == o.content && st.st_ino == o.st.st_ino && st.st_mode == o.st.st_mode &&
               st.st_uid == o.st.st_uid && st.st_gid == o.st.st_gid &&
               st.st_mtim.tv_sec == o.st.st_mtim.tv_sec && st.st_mtim.tv_nsec == o.st.st_mtim.tv_nsec &&
               st.st_ctim.tv_sec == o.st.st_ctim.tv_sec && st.st_ctim.tv_nsec == o.st.st_ctim.tv_nsec;
    }
};

// Syscalls that change a file: capprof makes none of them. Opens: only its
// report may be opened for writing. Stat-like calls show that the analysis
// ran where strace could see it.
const char* const changing_syscalls[] = {
    "creat", "truncate", "chmod", "fchmod", "fchmodat", "chown", "fchown", "fchownat", "lchown",
    "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "symlink",
    "symlinkat", "link", "linkat", "mknod", "mknodat", "setxattr", "lsetxattr", "fsetxattr",
    "removexattr", "lremovexattr", "fremovexattr", "utimensat"};
const char* const watched_syscalls =
    "open,openat,openat2,creat,truncate,chmod,fchmod,fchmodat,chown,fchown,fchownat,lchown,unlink,"
    "unlinkat,rename,renameat,renameat2,mkdir,mkdirat,symlink,symlinkat,link,linkat,mknod,mknodat,"
    "setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr,utimensat,newfstatat,statx";

// The directory of log_path= in $ASAN_OPTIONS, or "" when there is none.
std::string sanitizer_log_dir() {
    const char* options = ::getenv("ASAN_OPTIONS");
    if (!options) return "";
    const std::string text = options;
    const auto start = text.find("log_path=");
    if (start == std::string::npos) return "";
    std::string path = text.substr(start + 9, text.find(':', start) - start - 9);
    return path.substr(0, path.rfind('/'));
}

TEST(HostileStrings, PathSwappedDuringAnalysisIsNeitherFollowedNorWritten) {
    require_root();
    if (!have_program("strace")) GTEST_SKIP() << "needs strace to watch capprof's own file accesses";
    TempDir dir;
    std::string victim = dir.file("victim", 0644, 0, 0, "do not touch\n");
    FileSnapshot before = FileSnapshot::of(victim);
    TempDir out;
    std::string json_path = out / "report.json";
    std::string log = out / "capprof.strace";
    // strace without -f watches capprof's own calls only, so capprof can still
    // trace the workload (a task has one tracer).
    WithoutLeakCheck no_lsan;  // LeakSanitizer cannot attach to a traced capprof
    CommandResult result = run_command({"strace", "-qq", "-o", log, "-e", std::string("trace=") + watched_syscalls,
                                        capprof_bin(), "run", "--json", json_path, "--",
                                        prog("hostile_toctou"), dir.path(), "400"},
                                       120s);
    ASSERT_FALSE(result.timed_out) << "capprof hung on the swapped path (a FIFO?):\n" << result;
    EXPECT_TRUE(result.exited(0)) << result;
    EXPECT_TRUE(FileSnapshot::of(victim) == before) << "the symlink target was changed";
    EXPECT_TRUE(json::accept(read_file(json_path))) << read_file(json_path);

    // capprof resolves paths relative to /proc/TID/root: "tmp/capprof-test-..."
    const std::string relative = dir.path().substr(1);
    std::istringstream lines(read_file(log));
    std::string line;
    bool analysed = false;
    // Under scripts/test.sh's sanitizer stage, the sanitizer runtime (not
    // capprof) mkdirs its log_path directory at start-up; leave those out.
    const std::string sanitizer_dir = sanitizer_log_dir();
    while (std::getline(lines, line)) {
        // capprof's own cgroup for the run (run_cgroup.hpp) is no file of the workload's.
        if (line.find("/capprof-") != std::string::npos && line.find("/cgroup") != std::string::npos) continue;
        if (!sanitizer_dir.empty() && line.rfind("mkdir(\"", 0) == 0) {
            const std::string made = line.substr(7, line.find('"', 7) - 7);
            if (sanitizer_dir.rfind(made, 0) == 0) continue;  // the log dir or one of its parents
        }
        const std::string name = line.substr(0, line.find('('));
        for (const char* changing : changing_syscalls)
            EXPECT_NE(name, changing) << "capprof changed a file:\n" << line;
        const bool names_workload_path = line.find(relative) != std::string::npos;
        analysed |= names_workload_path;
        if (name != "open" && name != "openat" && name != "openat2") continue;
        const bool writes = line.find("O_WRONLY") != std::string::npos || line.find("O_RDWR") != std::string::npos ||
                            line.find("O_CREAT") != std::string::npos || line.find("O_TRUNC") != std::string::npos;
        EXPECT_FALSE(writes && line.find(json_path) == std::string::npos)
            << "capprof opened for writing something other than its report:\n" << line;
        // A workload-controlled path may be a symlink, FIFO or device: open it
        // only as O_PATH, or with O_NOFOLLOW|O_NONBLOCK.
        if (names_workload_path && line.find("O_PATH") == std::string::npos) {
            EXPECT_TRUE(line.find("O_NOFOLLOW") != std::string::npos && line.find("O_NONBLOCK") != std::string::npos)
                << "capprof opened a workload-controlled path that may be a symlink, FIFO or device:\n" << line;
        }
    }
    EXPECT_TRUE(analysed) << "capprof never looked at " << dir.path()
                          << ": the analysis this test watches did not run in capprof's main thread";
}

TEST(HostileStrings, ReportPathReplacedByASymlinkIsNotFollowed) {
    require_root();
    // A workload that plants a symlink where the user asked for the report,
    // hoping capprof (full root) writes through it when the run ends.
    TempDir dir;
    std::string victim = dir.file("victim", 0644, 0, 0, "do not touch\n");
    FileSnapshot before = FileSnapshot::of(victim);
    std::string json_path = dir / "report.json";
    std::string text_path = dir / "report.txt";
    CommandResult result = run_command(
        {capprof_bin(), "run", "--json", json_path, "--report", text_path, "--", "/bin/sh", "-c",
         "rm -f '" + json_path + "' '" + text_path + "'; ln -s '" + victim + "' '" + json_path + "'; ln -s '" +
             victim + "' '" + text_path + "'"},
        30s);
    EXPECT_FALSE(result.timed_out) << result;
    EXPECT_TRUE(FileSnapshot::of(victim) == before)
        << "capprof wrote its report through a symlink the workload planted:\n" << read_file(victim);
}

}  // namespace
}  // namespace capprof::e2e
