// gather_context() on real files: owners, modes, inode flags, symlinks that
// try to leave the task's root, and files that do not exist.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "capprof/proc_status.hpp"
#include "classify/classifier.hpp"
#include "support/classify_fixture.hpp"
#include "support/require_root.hpp"
#include "support/temp_dir.hpp"

namespace capprof {
namespace {

namespace fs = std::filesystem;

#define REQUIRE_ROOT() CAPPROF_SKIP_UNLESS_ROOT("needs root (chown to another uid, chattr)")

using testing::TempDir;

void write_file(const std::string& path, const std::string& text = "x\n") { std::ofstream(path) << text; }

// An event made by this process, seen through its own /proc/PID/root.
SyscallEvent own_event(std::string name, int err, std::string path) {
    SyscallEvent e = testing::Ev(std::move(name), err).path(std::move(path));
    e.task = read_task_info(::getpid()).value();
    e.task.cap_eff = e.task.cap_prm = e.task.cap_bnd = e.task.cap_inh = e.task.cap_amb = 0;  // as if --cap-drop ALL
    e.proc_root = "/proc/" + std::to_string(::getpid()) + "/root";
    return e;
}

const PathComponent* component(const ClassifyContext& c, const std::string& path) {
    for (const auto& comp : c.components)
        if (comp.path == path && !comp.is_symlink) return &comp;
    return nullptr;
}

TEST(GatherContext, ReadsOwnerAndModeOfEveryComponent) {
    REQUIRE_ROOT();
    TempDir t;
    const std::string secret = t.path() + "/secret";
    write_file(secret);
    ASSERT_EQ(::chown(secret.c_str(), 1000, 1000), 0);
    ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
    SyscallEvent e = own_event("openat", EACCES, secret);
    e.args[2] = O_RDONLY;
    ClassifyContext c = gather_context(e);
    ASSERT_FALSE(c.components.empty());
    EXPECT_EQ(c.components.front().path, "/");
    const PathComponent* f = component(c, secret);
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->exists);
    EXPECT_EQ(f->uid, 1000u);
    EXPECT_EQ(f->gid, 1000u);
    EXPECT_EQ(f->mode & 07777, 0600u);
    Finding finding = classify(e, c);
    EXPECT_EQ(finding.verdict, Verdict::file_permission);
    EXPECT_EQ(finding.capability, "DAC_READ_SEARCH");
    EXPECT_NE(finding.explanation.find("(1000:1000, mode 0600)"), std::string::npos) << finding.explanation;
}

TEST(GatherContext, NamesTheDirectoryWithoutSearchPermission) {
    REQUIRE_ROOT();
    TempDir t;
    const std::string d = t.path() + "/private";
    ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
    write_file(d + "/file");
    ASSERT_EQ(::chown(d.c_str(), 1000, 1000), 0);
    SyscallEvent e = own_event("newfstatat", EACCES, d + "/file");
    Finding f = classify(e, gather_context(e));
    EXPECT_EQ(f.verdict, Verdict::file_permission);
    EXPECT_EQ(f.capability, "DAC_READ_SEARCH");
    EXPECT_NE(f.explanation.find("cannot search directory " + d), std::string::npos) << f.explanation;
}

TEST(GatherContext, SeesTheImmutableAttribute) {
    REQUIRE_ROOT();
    TempDir t;
    const std::string f = t.path() + "/frozen";
    write_file(f);
    if (std::system(("chattr +i '" + f + "' 2>/dev/null").c_str()) != 0)
        GTEST_SKIP() << "chattr +i is not supported on the filesystem of " << t.path();
    SyscallEvent e = own_event("openat", EPERM, f);
    e.args[2] = O_WRONLY;
    ClassifyContext c = gather_context(e);
    std::system(("chattr -i '" + f + "'").c_str());
    const PathComponent* comp = component(c, f);
    ASSERT_NE(comp, nullptr);
    EXPECT_TRUE(comp->attr_flags & FS_IMMUTABLE_FL);
    Finding finding = classify(e, c);
    EXPECT_EQ(finding.verdict, Verdict::not_capability);
    EXPECT_FALSE(finding.capability);
    EXPECT_EQ(finding.rule, "immutable-file");
    EXPECT_NE(finding.fix.find("chattr -i"), std::string::npos);
}

TEST(GatherContext, MissingFileEndsTheWalk) {
    TempDir t;
    SyscallEvent e = own_event("openat", EACCES, t.path() + "/gone/deeper/file");
    ClassifyContext c = gather_context(e);
    ASSERT_FALSE(c.components.empty());
    EXPECT_EQ(c.components.back().path, t.path() + "/gone");
    EXPECT_FALSE(c.components.back().exists);
}

TEST(GatherContext, SymlinksStayInsideTheTaskRoot) {
    // Pretend the task's root is the temp dir: a symlink to /etc must resolve
    // to <root>/etc (absent), never to the real /etc.
    TempDir t;
    ASSERT_EQ(::symlink("/etc", (t.path() + "/link").c_str()), 0);
    ASSERT_EQ(::symlink("../../../../etc/passwd", (t.path() + "/up").c_str()), 0);
    for (const char* path : {"/link/passwd", "/up"}) {
        SyscallEvent e = own_event("openat", EACCES, path);
        e.proc_root = t.path();
        ClassifyContext c = gather_context(e);
        ASSERT_FALSE(c.components.empty()) << path;
        bool found_passwd = false;
        for (const auto& comp : c.components)
            if (comp.exists && !comp.is_dir && !comp.is_symlink) found_passwd = true;
        EXPECT_FALSE(found_passwd) << path << " escaped the root";
    }
}

TEST(GatherContext, FollowsASymlinkInsideTheRoot) {
    TempDir t;
    write_file(t.path() + "/target");
    ASSERT_EQ(::chmod((t.path() + "/target").c_str(), 0640), 0);
    ASSERT_EQ(::symlink("target", (t.path() + "/link").c_str()), 0);
    SyscallEvent e = own_event("openat", EACCES, t.path() + "/link");
    ClassifyContext c = gather_context(e);
    ASSERT_GE(c.components.size(), 2u);
    EXPECT_TRUE(c.components[c.components.size() - 2].is_symlink);
    EXPECT_EQ(c.components.back().mode & 07777, 0640u);
    EXPECT_EQ(c.components.back().path, t.path() + "/link");
}

TEST(GatherContext, ReadsSysctlsAndNamespaces) {
    SyscallEvent e = own_event("bind", EACCES, "/");
    e.path.reset();
    ClassifyContext c = gather_context(e);
    std::ifstream in("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    int start = -1;
    if (in >> start) {
        EXPECT_EQ(c.ip_unprivileged_port_start, start);
    }
    EXPECT_TRUE(c.same_netns);
    EXPECT_TRUE(c.same_userns);
}

TEST(GatherContext, ReadsFileCapabilitiesOfAnExecutable) {
    REQUIRE_ROOT();
    TempDir t;
    const std::string prog = t.path() + "/prog";
    fs::copy_file("/bin/true", prog);
    if (std::system(("setcap cap_net_raw=ep '" + prog + "' 2>/dev/null").c_str()) != 0 &&
        ::setxattr(prog.c_str(), "security.capability", "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20, 0) != 0)
        GTEST_SKIP() << "cannot set file capabilities in " << t.path();
    SyscallEvent e = own_event("execve", EPERM, prog);
    ClassifyContext c = gather_context(e);
    ASSERT_TRUE(c.file_caps_permitted);
    EXPECT_EQ(*c.file_caps_permitted, 1ull << 13);
    EXPECT_TRUE(c.file_caps_effective);
    Finding f = classify(e, c);
    EXPECT_EQ(f.capability, "NET_RAW");
}

TEST(GatherContext, FindsTheTargetOfKill) {
    SyscallEvent e = own_event("kill", EPERM, "/");
    e.path.reset();
    e.args[0] = static_cast<std::uint64_t>(::getppid());
    ClassifyContext c = gather_context(e);
    ASSERT_TRUE(c.target);
    EXPECT_EQ(c.target->pid, ::getppid());
}

}  // namespace
}  // namespace capprof
