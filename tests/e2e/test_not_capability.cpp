// Failures that no capability fixes: capprof must say so (verdict
// not-capability), add nothing to cap_add, and the failure must indeed persist
// when the capability one might guess is granted.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

// Clears the immutable flag before the directory is removed.
struct ImmutableGuard {
    std::string path;
    ~ImmutableGuard() { sh("chattr -i '" + path + "' 2>/dev/null"); }
};

// A directory whose filesystem supports chattr +i: /tmp, else /var/tmp.
std::optional<std::string> chattr_capable_base() {
    for (std::string base : {"/tmp", "/var/tmp"}) {
        TempDir probe(base);
        std::string file = probe.file("probe");
        if (sh("chattr +i '" + file + "' 2>/dev/null && chattr -i '" + file + "'").exited(0)) return base;
    }
    return std::nullopt;
}

TEST(NotCapability, WritingAnImmutableFile) {
    require_root();
    auto base = chattr_capable_base();
    if (!base) GTEST_SKIP() << "neither /tmp nor /var/tmp supports chattr +i (FS_IMMUTABLE_FL)";
    TempDir tmp(*base);
    std::string file = tmp.file("frozen");
    ImmutableGuard guard{file};
    ASSERT_TRUE(sh("chattr +i '" + file + "'").exited(0));

    Expected e;
    e.program = "immutable_write";
    e.command = {prog("immutable_write"), file};
    e.syscall = "openat";
    e.err = "EPERM";
    e.verdict = "not-capability";
    e.path = file;
    e.exe = prog("immutable_write");
    json f = expect_finding(e);
    if (!f.is_null()) {
        std::string fix = f.value("fix", "") + f.value("explanation", "");
        EXPECT_NE(fix.find("chattr"), std::string::npos) << "the fix names chattr -i: " << f.dump(2);
    }
    // LINUX_IMMUTABLE only allows changing the flag, DAC_OVERRIDE only
    // bypasses the mode: neither lets a process write an immutable file.
    expect_not_fixed_by(e, "LINUX_IMMUTABLE");
    expect_not_fixed_by(e, "DAC_OVERRIDE");
}

TEST(NotCapability, SyscallRefusedByASeccompFilter) {
    require_root();
    Expected e;
    e.program = "seccomp_deny";
    e.command = {prog("seccomp_deny")};
    e.syscall = "uname";
    e.err = "EPERM";
    e.verdict = "not-capability";
    e.exe = prog("seccomp_deny");
    json f = expect_finding(e);
    if (!f.is_null()) {
        std::string text = f.value("explanation", "") + f.value("fix", "");
        EXPECT_NE(text.find("seccomp"), std::string::npos) << "the report blames the seccomp filter: " << f.dump(2);
    }
    expect_not_fixed_by(e, "SYS_ADMIN");
}

// EPERM that is no permission check at all, from the Python standard library
// (Debian's /usr/bin/python3, as setup installs it).
struct PythonCase {
    const char* name;
    const char* code;
    const char* syscall;
    const char* rule;
};

TEST(NotCapability, EpermThatIsNotAPermissionCheck) {
    require_root();
    const PythonCase cases[] = {
        // Go and libuv programs poll their stdout; a regular file cannot be polled.
        {"epoll of a regular file", "import select; select.epoll().register(open('/etc/hostname'))", "epoll_ctl",
         "epoll-unsupported"},
        {"setsid by a group leader", "import os; os.setpgid(0, 0); os.setsid()", "setsid", "setsid-leader"},
        {"write to a sealed memfd",
         "import os, fcntl; fd = os.memfd_create('sealed', os.MFD_ALLOW_SEALING); "
         "fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE); os.write(fd, b'x')",
         "write", "memfd-sealed"},
    };
    for (const PythonCase& c : cases) {
        SCOPED_TRACE(c.name);
        Expected e;
        e.program = "python3";
        e.command = {"/usr/bin/python3", "-c", c.code};
        e.syscall = c.syscall;
        e.err = "EPERM";
        e.verdict = "not-capability";
        json f = expect_finding(e);
        if (f.is_null()) continue;
        EXPECT_EQ(f["rule"], c.rule) << f.dump(2);
        // SYS_ADMIN, the usual guess, changes nothing.
        expect_not_fixed_by(e, "SYS_ADMIN");
    }
}

}  // namespace
}  // namespace capprof::e2e
