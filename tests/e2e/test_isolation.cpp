// Isolated trials (docs/ARCHITECTURE.md "Isolated trials"), as root on real
// Debian programs: workloads whose effect would make their next run succeed
// without the capability converge to the set that works on a fresh start
// (checked with util-linux setpriv on a fresh fixture each time), the host is
// unchanged afterwards, /proc/sys is read-only inside, a killed capprof's
// layers are swept, and --probe-inside sees the trial's files.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iterator>
#include <set>

#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

const std::string trials_base = "/var/tmp/capprof-trials";

// A test-owned directory that may hold files a workload made immutable (a
// capprof without isolation leaves them so): unlocked before removal.
struct Fixture {
    TempDir dir;
    ~Fixture() { sh("chattr -R -i -a " + dir.path() + " 2>/dev/null"); }
};

// Bytes as text for a listing: printable ASCII as is, the rest as \xNN.
std::string escape_for_listing(const std::string& bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += (c >= 0x20 && c < 0x7f && c != '\\') ? std::string(1, static_cast<char>(c)) : std::string(hex);
    }
    return out;
}

// Extended attributes of `path`, "name=value;" each, sorted by name.
std::string xattrs_of(const std::string& path) {
    ssize_t length = ::llistxattr(path.c_str(), nullptr, 0);
    if (length <= 0) return "";
    std::string names(static_cast<std::size_t>(length), '\0');
    length = ::llistxattr(path.c_str(), names.data(), names.size());
    std::set<std::string> sorted;
    for (std::size_t at = 0; length > 0 && at < static_cast<std::size_t>(length); at += std::strlen(&names[at]) + 1)
        sorted.insert(&names[at]);
    std::string out;
    for (const auto& name : sorted) {
        std::string value(256, '\0');
        ssize_t size = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
        value.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
        out += name + "=" + escape_for_listing(value) + ";";
    }
    return out;
}

// Inode flags as chattr sets them (regular files and directories only).
long inode_flags(const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return 0;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) flags = -1;
    ::close(fd);
    return flags;
}

// One line per entry below `root`: type, owner, mode, links, size, content
// (regular files), link target, xattrs (ACLs too) and chattr flags.
std::string tree_listing(const std::string& root) {
    namespace fs = std::filesystem;
    std::vector<std::string> lines;
    for (const auto& entry : fs::recursive_directory_iterator(root, fs::directory_options::none)) {
        const std::string path = entry.path().string();
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        std::ostringstream line;
        line << path.substr(root.size()) << " type=" << (st.st_mode & S_IFMT) << " owner=" << st.st_uid << ":"
             << st.st_gid << " mode=" << std::oct << (st.st_mode & 07777) << std::dec << " links=" << st.st_nlink
             << " flags=" << inode_flags(path, st) << " xattrs=" << xattrs_of(path);
        if (S_ISREG(st.st_mode)) line << " size=" << st.st_size << " content=" << escape_for_listing(read_file(path));
        if (S_ISLNK(st.st_mode)) line << " target=" << fs::read_symlink(entry.path()).string();
        lines.push_back(line.str());
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

// Entries under /var/tmp/capprof-trials whose owner (the pid they are named
// after) is gone: what a capprof that exited left behind.
std::vector<std::string> orphaned_layers() {
    std::vector<std::string> left;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(trials_base, ignored)) {
        std::string name = entry.path().filename().string();
        if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit) &&
            ::kill(std::stoi(name), 0) != 0 && errno == ESRCH)
            left.push_back(entry.path().string());
    }
    return left;
}

std::vector<std::string> without(const std::vector<std::string>& caps, const std::string& cap) {
    std::vector<std::string> fewer;
    for (const auto& c : caps)
        if (c != cap) fewer.push_back(c);
    return fewer;
}

// A workload whose effect on the filesystem would let its next run succeed
// without the capability it needs on a fresh start.
struct StatefulCase {
    std::string name;
    std::vector<std::string> programs;                                // needed on PATH
    std::function<void(const TempDir&)> make;                         // the fresh state
    std::function<std::vector<std::string>(const TempDir&)> command;  // the workload
    std::vector<std::string> expected;                                // measured with setpriv
};

std::ostream& operator<<(std::ostream& os, const StatefulCase& c) { return os << c.name; }

// Owned by uid 1000 (not capprof's workload, uid 0): a tree cp -a and
// rsync -a read and then give back to its owner.
void others_tree(const TempDir& d) {
    d.dir("src", 0700, 1000, 1000);
    d.dir("src/sub", 0700, 1000, 1000);
    d.file("src/a", 0600, 1000, 1000, "a\n");
    d.file("src/sub/b", 0600, 1000, 1000, "b\n");
}

const std::vector<StatefulCase>& stateful_cases() {
    static const std::vector<StatefulCase> cases = {
        {"ImmutableFlag", {"chattr"}, [](const TempDir& d) { d.file("f"); },
         [](const TempDir& d) { return std::vector<std::string>{"chattr", "+i", d / "f"}; },
         {"LINUX_IMMUTABLE"}},
        // uid 0 owns the file but is not in group 1000.
        {"GroupOfOwnFile", {"chgrp"}, [](const TempDir& d) { d.file("f", 0644, 0, 0); },
         [](const TempDir& d) { return std::vector<std::string>{"chgrp", "1000", d / "f"}; },
         {"CHOWN"}},
        {"AclOnAnotherUsersFile", {"setfacl"}, [](const TempDir& d) { d.file("f", 0644, 1000, 1000); },
         [](const TempDir& d) { return std::vector<std::string>{"setfacl", "-m", "u:1001:r", d / "f"}; },
         {"FOWNER"}},
        {"RemoveFromStickyDirectory", {"rm"},
         [](const TempDir& d) {
             d.dir("sticky", 01777, 1001, 1001);
             d.file("sticky/f", 0644, 1000, 1000);
         },
         [](const TempDir& d) { return std::vector<std::string>{"rm", "-f", d / "sticky/f"}; },
         {"FOWNER"}},
        {"CreateInAnotherUsersDirectory", {"touch"}, [](const TempDir& d) { d.dir("d", 0755, 1000, 1000); },
         [](const TempDir& d) { return std::vector<std::string>{"touch", d / "d/new"}; },
         {"DAC_OVERRIDE"}},
        {"CpArchiveOfAnotherUsersFiles", {"cp"}, others_tree,
         [](const TempDir& d) { return std::vector<std::string>{"cp", "-a", d / "src", d / "dst"}; },
         {"CHOWN", "DAC_READ_SEARCH", "FOWNER"}},
        // rsync makes dst/ first, gives it to uid 1000 (mode 0700), then
        // writes into it: DAC_OVERRIDE, which reads too.
        {"RsyncArchiveOfAnotherUsersFiles", {"rsync"}, others_tree,
         [](const TempDir& d) { return std::vector<std::string>{"rsync", "-a", d / "src/", d / "dst/"}; },
         {"CHOWN", "DAC_OVERRIDE", "FOWNER"}},
        // useradd --prefix works on a copy of /etc: the host's users stay as
        // they are. It gives /etc/shadow back to group shadow: CHOWN.
        {"SystemUser", {"useradd"},
         [](const TempDir& d) {
             d.dir("etc");
             sh("cp -a /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/login.defs " + (d / "etc/"));
         },
         [](const TempDir& d) {
             return std::vector<std::string>{"useradd", "-r", "-P", d.path(), "capprof-e2e-sys"};
         },
         {"CHOWN"}},
    };
    return cases;
}

// Whether `caps` let the workload succeed on a fresh fixture, under setpriv.
bool works_on_a_fresh_state(const StatefulCase& c, const std::vector<std::string>& caps) {
    Fixture fresh;
    c.make(fresh.dir);
    return run_command(under_setpriv(caps, c.command(fresh.dir)), 60s).exited(0);
}

class StatefulWorkload : public ::testing::TestWithParam<StatefulCase> {};

TEST_P(StatefulWorkload, ConvergesToTheSetThatWorksOnAFreshStart) {
    require_root();
    const StatefulCase& c = GetParam();
    for (const auto& program : c.programs)
        if (!have_program(program)) GTEST_SKIP() << "needs " << program << " (scripts/setup.sh installs it)";
    Fixture fixture;
    c.make(fixture.dir);
    const std::string before = tree_listing(fixture.dir.path());

    CapprofRun run = run_capprof("minimize", {}, c.command(fixture.dir), 300s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["isolated"], true) << run;
    EXPECT_NE(run.process.out.find("trials isolated: fresh copy-on-write view of the host"), std::string::npos)
        << run;
    const auto caps = strings(run.report["cap_add"]);
    EXPECT_EQ(caps, c.expected) << run.report.dump(2);
    EXPECT_EQ(tree_listing(fixture.dir.path()), before) << "minimize changed the host's files";

    // Independently, each time on a fresh state: the set works, and it
    // fails with any one capability removed.
    ASSERT_FALSE(caps.empty());
    EXPECT_TRUE(works_on_a_fresh_state(c, caps)) << "setpriv with the whole set";
    for (const auto& cap : caps)
        EXPECT_FALSE(works_on_a_fresh_state(c, without(caps, cap))) << "setpriv without " << cap;
}

INSTANTIATE_TEST_SUITE_P(TrialIsolation, StatefulWorkload, ::testing::ValuesIn(stateful_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(TrialIsolation, HostIsUnchangedAfterMinimizeOfAWorkloadThatWritesChownsAndDeletes) {
    require_root();
    TempDir dir;
    dir.file("a", 0644, 0, 0, "first line\n");
    dir.file("b", 0644, 0, 0);
    dir.file("c", 0644, 0, 0);
    dir.file("d", 0644, 0, 0);
    dir.dir("sub");
    dir.file("sub/inner", 0640, 0, 0);
    ASSERT_EQ(::setxattr((dir / "c").c_str(), "user.capprof", "kept", 4, 0), 0) << std::strerror(errno);
    const std::string before = tree_listing(dir.path());
    const std::string t = dir.path();
    std::vector<std::string> command{
        "sh", "-ec",
        "cd " + t + "; echo more >> a; echo new > new; chmod 600 c; rm d; mkdir e; mv sub moved; "
        "ln a hard; chown 1000 b"};

    CapprofRun run = run_capprof("minimize", {}, command, 180s);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"CHOWN"}) << run.report.dump(2);
    for (const auto& r : run.report["runs"]) EXPECT_TRUE(r["isolated"].get<bool>()) << r.dump();
    EXPECT_EQ(tree_listing(dir.path()), before) << "minimize changed the host's files";
    EXPECT_TRUE(orphaned_layers().empty()) << "capprof left its trial layers behind";
    EXPECT_EQ(read_file("/proc/self/mountinfo").find(trials_base + "/"), std::string::npos)
        << "a trial store is still mounted\n" << read_file("/proc/self/mountinfo");
}

TEST(TrialIsolation, ProcSysIsReadOnlyInsideAndTheHostValueStays) {
    require_root();
    const std::string sysctl = "/proc/sys/fs/lease-break-time";
    std::string host_value = read_file(sysctl);
    ASSERT_FALSE(host_value.empty());
    std::string other = std::to_string(std::stoi(host_value) + 7);
    CapprofRun run = run_capprof("run", {"--isolate"}, {"sh", "-c", "echo " + other + " > " + sysctl}, 60s);
    EXPECT_EQ(read_file(sysctl), host_value) << "the trial changed a sysctl of the host";
    if (read_file(sysctl) != host_value) sh("echo " + host_value + " > " + sysctl);
    EXPECT_TRUE(run.process.exited(2)) << run;
    EXPECT_NE(run.process.err.find("Read-only file system"), std::string::npos) << run;
    EXPECT_EQ(run.report["isolated"], true) << run;
}

// The mount source of the trial store of capprof process `pid` ("/dev/loop3").
std::string store_device(pid_t pid) {
    std::istringstream lines(read_file("/proc/self/mountinfo"));
    const std::string point = trials_base + "/" + std::to_string(pid) + "/layers";
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
        auto dash = std::find(f.begin(), f.end(), "-");
        if (f.size() > 4 && f[4] == point && dash + 2 < f.end()) return *(dash + 2);
    }
    return "";
}

TEST(TrialIsolation, LayersLeftByAKilledCapprofAreSweptByTheNextRun) {
    require_root();
    Process killed({capprof_bin(), "minimize", "-q", "--", "sleep", "60"});
    const std::string owner = trials_base + "/" + std::to_string(killed.pid());
    // Trial 1 is capprof's own test of the setup; trial 2 runs the workload.
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!std::filesystem::exists(owner + "/layers/2") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(std::filesystem::exists(owner + "/layers/2")) << "no trial started";
    const std::string device = store_device(killed.pid());
    ASSERT_EQ(device.rfind("/dev/loop", 0), 0u) << device;
    killed.send_signal(SIGKILL);
    killed.wait(10s);
    ASSERT_TRUE(std::filesystem::exists(owner + "/layers.img")) << "SIGKILL leaves the layers";

    // A directory named after a process that runs (this test) is not swept.
    const std::string live = trials_base + "/" + std::to_string(::getpid());
    ASSERT_TRUE(std::filesystem::create_directory(live));
    CapprofRun next = capprof_run({"true"});
    EXPECT_TRUE(next.process.exited(0)) << next;
    EXPECT_FALSE(std::filesystem::exists(owner)) << owner << " was not swept";
    EXPECT_EQ(store_device(killed.pid()), "") << "the image of the killed capprof is still mounted";
    EXPECT_TRUE(std::filesystem::exists(live)) << "the layers of a live process were swept";
    std::filesystem::remove(live);
    // The loop device was attached with autoclear: unmounting freed it.
    const std::string backing = "/sys/block/" + device.substr(5) + "/loop/backing_file";
    deadline = std::chrono::steady_clock::now() + 5s;
    while (std::filesystem::exists(backing) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(std::filesystem::exists(backing)) << device << " is still attached: " << read_file(backing);
}

TEST(TrialIsolation, ProbeInsideSeesAFileOnlyTheTrialHas) {
    require_root();
    TempDir dir;
    const std::string ready = dir / "ready";
    const std::vector<std::string> workload{"sh", "-c", "touch " + ready + "; exec sleep 30"};
    CapprofRun inside = run_capprof(
        "run", {"--isolate", "--probe-inside", "--probe", "test -f " + ready, "--ready-timeout", "10"}, workload, 60s);
    ASSERT_TRUE(inside.has_report()) << inside;
    EXPECT_EQ(inside.report["probe_ok"], true) << inside;
    EXPECT_FALSE(std::filesystem::exists(ready)) << "the trial's file reached the host";

    // By default the probe runs outside, where the file does not exist.
    CapprofRun outside =
        run_capprof("run", {"--isolate", "--probe", "test -f " + ready, "--ready-timeout", "2"}, workload, 60s);
    ASSERT_TRUE(outside.has_report()) << outside;
    EXPECT_EQ(outside.report["probe_ok"], false) << outside;
}

TEST(TrialIsolation, AUnixSocketAHostProcessListensOnIsReachableFromATrial) {
    require_root();
    if (!have_program("python3")) GTEST_SKIP() << "needs python3";
    TempDir dir;
    const std::string socket = dir / "host.sock";
    Background server({"python3", "-c",
                       "import socket; s = socket.socket(socket.AF_UNIX); s.bind('" + socket +
                           "'); s.listen(1); c, _ = s.accept(); c.send(b'hello from the host'); c.close()"});
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(std::filesystem::exists(socket));
    CapprofRun run = run_capprof(
        "run", {"--isolate"},
        {"python3", "-c",
         "import socket; s = socket.socket(socket.AF_UNIX); s.connect('" + socket + "'); print(s.recv(64).decode())"},
        30s);
    EXPECT_TRUE(run.process.exited(0)) << run;
    EXPECT_NE(run.process.out.find("hello from the host"), std::string::npos) << run;
}

TEST(TrialIsolation, WithoutSysAdminIsolateExits125AndMinimizeFallsBackWithAWarning) {
    require_root();
    // As in a default Docker container: root without CAP_SYS_ADMIN.
    const std::vector<std::string> no_sys_admin{"setpriv", "--bounding-set=-sys_admin", "--inh-caps=-all", "--"};
    auto with = [&](std::vector<std::string> argv) {
        argv.insert(argv.begin(), no_sys_admin.begin(), no_sys_admin.end());
        return argv;
    };
    CommandResult isolate = run_command(with({capprof_bin(), "run", "--isolate", "--", "true"}), 30s);
    EXPECT_TRUE(isolate.exited(125)) << isolate;
    EXPECT_EQ(line_count(isolate.err), 1u) << isolate;
    EXPECT_EQ(isolate.err.rfind("capprof: --isolate: capprof lacks CAP_SYS_ADMIN", 0), 0u) << isolate;

    TempDir out;
    CommandResult minimize = run_command(
        with({capprof_bin(), "minimize", "--json", out / "report.json", "--", "touch", out / "made"}), 60s);
    EXPECT_TRUE(minimize.exited(0)) << minimize;
    EXPECT_NE(minimize.err.find("capprof: trials are not isolated: capprof lacks CAP_SYS_ADMIN"),
              std::string::npos)
        << minimize;
    json report = json::parse(read_file(out / "report.json"), nullptr, false);
    ASSERT_TRUE(report.is_object()) << minimize;
    EXPECT_EQ(report["isolated"], false);
    EXPECT_NE(report.value("isolation_warning", "").find("answers may depend on earlier runs"), std::string::npos)
        << report.dump(2);
    EXPECT_TRUE(std::filesystem::exists(out / "made")) << "without isolation the workload reaches the host";
}

}  // namespace
}  // namespace capprof::e2e
