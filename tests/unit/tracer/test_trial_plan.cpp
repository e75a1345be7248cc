// The mount table an isolated trial rebuilds, and what it mounts: pure
// functions of /proc/self/mountinfo text and lstat facts, no mounting.
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <algorithm>
#include <map>

#include "mount_table.hpp"
#include "trial_plan.hpp"
#include "unix_sockets.hpp"

namespace capprof {
namespace {

// This machine's table (Debian 12 VM, kernel 6.18): the root was moved, so
// its id is higher than its children's; /dev/pts and /dev/shm are stacked.
const char* const machine_table =
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "23 27 0:22 / /sys rw,relatime - sysfs sysfs rw\n"
    "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334192k,mode=755\n"
    "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683584k\n"
    "26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000\n"
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
    "28 27 0:25 / /opt/tools ro,nosuid,nodev,relatime - tmpfs tools ro,size=4k,mode=755\n"
    "29 26 0:26 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000\n"
    "30 25 0:27 / /dev/shm rw,nosuid,nodev,relatime - tmpfs tmpfs rw,size=24683584k\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,nosuid,relatime - cgroup cgroup rw,cpu\n"
    "33 27 254:0 /var/lib/docker/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw\n"
    "34 27 7:0 / /var/tmp/capprof-trials/99/layers rw,noatime - ext4 /dev/loop0 rw\n"
    "35 22 0:40 / /proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n";

std::vector<std::string> mount_points(const std::vector<MountEntry>& mounts) {
    std::vector<std::string> points;
    for (const auto& m : mounts) points.push_back(m.mount_point);
    return points;
}

PathFacts directory(mode_t mode = 0755, uid_t uid = 0, gid_t gid = 0) {
    PathFacts facts;
    facts.exists = facts.directory = true;
    facts.mode = mode;
    facts.uid = uid;
    facts.gid = gid;
    return facts;
}

TrialPlan plan_for(const char* table, std::map<std::string, PathFacts> special = {},
                   std::vector<std::string> sockets = {}) {
    TrialPlanInput input;
    input.sockets = std::move(sockets);
    input.mounts = visible_mounts(parse_mountinfo(table));
    input.trial_dir = "/store/7";
    input.hidden_dir = "/var/tmp/capprof-trials";
    input.lookup = [special](const std::string& path) {
        auto it = special.find(path);
        if (it != special.end()) return it->second;
        PathFacts file;
        file.exists = file.regular = true;
        file.size = 200;
        if (path == "/etc/hosts") return file;
        return path == "/proc/sysrq-trigger" ? PathFacts{} : directory();
    };
    return plan_trial(input);
}

const MountStep* step_on(const TrialPlan& plan, const std::string& target, const std::string& fstype = "") {
    for (const auto& step : plan.steps)
        if (step.target == target && (fstype.empty() || step.fstype == fstype)) return &step;
    return nullptr;
}

bool remounted_read_only(const TrialPlan& plan, const std::string& target) {
    return std::any_of(plan.steps.begin(), plan.steps.end(), [&](const MountStep& s) {
        return s.target == target && (s.flags & MS_REMOUNT) && (s.flags & MS_RDONLY) && (s.flags & MS_BIND);
    });
}

TEST(MountTable, ParsesFieldsFlagsAndEscapes) {
    auto mounts = parse_mountinfo(
        "36 35 98:0 /mnt1 /mnt/with\\040space rw,nosuid,noexec master:1 shared:2 - ext3 /dev/root ro,errors=continue\n"
        "garbage line\n");
    ASSERT_EQ(mounts.size(), 1u);
    const MountEntry& m = mounts[0];
    EXPECT_EQ(m.id, 36);
    EXPECT_EQ(m.parent, 35);
    EXPECT_EQ(m.root, "/mnt1");
    EXPECT_EQ(m.mount_point, "/mnt/with space");
    EXPECT_EQ(m.fstype, "ext3");
    EXPECT_EQ(m.source, "/dev/root");
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC));
    EXPECT_TRUE(m.read_only) << "the superblock is read-only";
}

TEST(MountTable, VisibleMountsWalkFromTheMovedRootAndSkipCoveredOnes) {
    auto visible = visible_mounts(parse_mountinfo(machine_table));
    auto points = mount_points(visible);
    ASSERT_FALSE(points.empty());
    EXPECT_EQ(points.front(), "/");
    // Each stacked mount point once: the top mount (ids 29 and 30).
    EXPECT_EQ(std::count(points.begin(), points.end(), "/dev/pts"), 1);
    EXPECT_EQ(std::count(points.begin(), points.end(), "/dev/shm"), 1);
    for (const auto& m : visible) {
        if (m.mount_point == "/dev/shm") {
            EXPECT_EQ(m.id, 30);
        } else if (m.mount_point == "/dev/pts") {
            EXPECT_EQ(m.id, 29);
        }
    }
    // Parents before children.
    auto at = [&](const char* p) { return std::find(points.begin(), points.end(), p) - points.begin(); };
    EXPECT_LT(at("/dev"), at("/dev/shm"));
    EXPECT_LT(at("/sys"), at("/sys/fs/cgroup"));
    EXPECT_LT(at("/sys/fs/cgroup"), at("/sys/fs/cgroup/cpu"));
    EXPECT_EQ(points.size(), 12u) << ::testing::PrintToString(points);
}

TEST(MountTable, AMountHiddenUnderALaterSiblingIsLeftOut) {
    // /a/b was mounted first, then /a over its directory: /a/b is unreachable.
    auto visible = visible_mounts(parse_mountinfo(
        "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "2 1 0:30 / /a/b rw - tmpfs tmpfs rw\n"
        "3 1 0:31 / /a rw - tmpfs tmpfs rw\n"));
    EXPECT_EQ(mount_points(visible), (std::vector<std::string>{"/", "/a"}));
}

TEST(MountTable, PathIsUnder) {
    EXPECT_TRUE(path_is_under("/sys", "/sys"));
    EXPECT_TRUE(path_is_under("/sys/fs/cgroup", "/sys"));
    EXPECT_FALSE(path_is_under("/sysfoo", "/sys"));
    EXPECT_TRUE(path_is_under("/anything", "/"));
}

TEST(TrialPlan, WritableLocalMountsGetAnOverlayEachWithTheirOwnLayers) {
    TrialPlan plan = plan_for(machine_table, {{"/dev/shm", directory(01777)}});
    EXPECT_EQ(plan.new_root, "/store/7/root");
    EXPECT_EQ(plan.overlays, 3u);  // /, /dev (devtmpfs), /dev/shm (tmpfs)
    const MountStep* root = step_on(plan, "/store/7/root", "overlay");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(plan.steps.front().target, "/store/7/root") << "the root first";
    EXPECT_EQ(root->data,
              "lowerdir=/,upperdir=/store/7/0/upper,workdir=/store/7/0/work,redirect_dir=on,index=on,metacopy=on");
    const MountStep* shm = step_on(plan, "/store/7/root/dev/shm", "overlay");
    ASSERT_NE(shm, nullptr);
    EXPECT_EQ(shm->flags & (MS_NOSUID | MS_NODEV), static_cast<unsigned long>(MS_NOSUID | MS_NODEV))
        << "the mount's own flags are kept";
    EXPECT_NE(step_on(plan, "/store/7/root/dev", "overlay"), nullptr) << "devtmpfs: mknod/rm in /dev stay inside";
    // The upper directory of /dev/shm shows as its root: it keeps mode 1777.
    auto upper = std::find_if(plan.directories.begin(), plan.directories.end(),
                              [](const LayerDirectory& d) { return d.path == "/store/7/2/upper"; });
    ASSERT_NE(upper, plan.directories.end());
    EXPECT_EQ(upper->mode, 01777u);
}

TEST(TrialPlan, PseudoFilesystemsAreBoundAndSysIsReadOnly) {
    TrialPlan plan = plan_for(machine_table);
    const MountStep* proc = step_on(plan, "/store/7/root/proc");
    ASSERT_NE(proc, nullptr);
    EXPECT_EQ(proc->source, "/proc");
    EXPECT_EQ(proc->flags, static_cast<unsigned long>(MS_BIND));
    EXPECT_NE(step_on(plan, "/store/7/root/dev/pts"), nullptr);
    EXPECT_NE(step_on(plan, "/store/7/root/proc/sys/fs/binfmt_misc"), nullptr);
    EXPECT_FALSE(remounted_read_only(plan, "/store/7/root/proc"));
    for (const char* path : {"/sys", "/sys/fs/cgroup", "/sys/fs/cgroup/cpu"})
        EXPECT_TRUE(remounted_read_only(plan, std::string("/store/7/root") + path)) << path;
    // Read-only mounts stay read-only, keeping nosuid/nodev.
    EXPECT_TRUE(remounted_read_only(plan, "/store/7/root/opt/tools"));
}

TEST(TrialPlan, ProcPathsThatActOnTheHostAreReadOnlyAsInDocker) {
    TrialPlan plan = plan_for(machine_table);
    for (const char* path : {"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq"}) {
        std::string target = std::string("/store/7/root") + path;
        const MountStep* bind = step_on(plan, target);
        ASSERT_NE(bind, nullptr) << path;
        EXPECT_EQ(bind->flags, static_cast<unsigned long>(MS_BIND | MS_REC)) << path;
        EXPECT_TRUE(remounted_read_only(plan, target)) << path;
    }
    EXPECT_EQ(step_on(plan, "/store/7/root/proc/sysrq-trigger"), nullptr) << "absent on this kernel: skipped";
    // After everything under /proc is mounted.
    auto binfmt = std::find_if(plan.steps.begin(), plan.steps.end(), [](const MountStep& s) {
        return s.target == "/store/7/root/proc/sys/fs/binfmt_misc";
    });
    auto sys = std::find_if(plan.steps.begin(), plan.steps.end(),
                            [](const MountStep& s) { return s.target == "/store/7/root/proc/sys"; });
    EXPECT_LT(binfmt - plan.steps.begin(), sys - plan.steps.begin());
}

TEST(TrialPlan, ASingleFileBindIsCopiedAndCapprofsOwnLayersAreHidden) {
    PathFacts huge;
    huge.exists = huge.regular = true;
    huge.size = max_copied_file_size + 1;
    TrialPlan plan = plan_for(machine_table);
    ASSERT_EQ(plan.copies.size(), 1u);
    EXPECT_EQ(plan.copies[0].from, "/etc/hosts");
    const MountStep* bind = step_on(plan, "/store/7/root/etc/hosts");
    ASSERT_NE(bind, nullptr);
    EXPECT_EQ(bind->source, plan.copies[0].to);
    // Another capprof's image mount is not part of the trial; the directory is covered.
    EXPECT_EQ(step_on(plan, "/store/7/root/var/tmp/capprof-trials/99/layers"), nullptr);
    const MountStep* hidden = step_on(plan, "/store/7/root/var/tmp/capprof-trials", "tmpfs");
    ASSERT_NE(hidden, nullptr);
    EXPECT_TRUE(hidden->flags & MS_RDONLY);
    EXPECT_EQ(&plan.steps.back(), hidden);

    TrialPlan big = plan_for(machine_table, {{"/etc/hosts", huge}});
    EXPECT_TRUE(big.copies.empty());
    EXPECT_TRUE(remounted_read_only(big, "/store/7/root/etc/hosts")) << "too big to copy: read-only";
}

TEST(TrialPlan, OverlayOptionsEscapeCommasAndColons) {
    EXPECT_EQ(overlay_escape("/srv/a,b:c\\d"), "/srv/a\\,b\\:c\\\\d");
    TrialPlan plan = plan_for("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
                              "2 1 8:2 / /srv/a,b rw - xfs /dev/sda2 rw\n");
    const MountStep* srv = step_on(plan, "/store/7/root/srv/a,b", "overlay");
    ASSERT_NE(srv, nullptr);
    EXPECT_EQ(srv->data.rfind("lowerdir=/srv/a\\,b,upperdir=", 0), 0u) << srv->data;
}

TEST(TrialPlan, AReadOnlyRootIsBoundNotOverlaid) {
    TrialPlan plan = plan_for("1 0 8:1 / / ro,relatime - ext4 /dev/sda1 ro\n");
    EXPECT_EQ(plan.overlays, 0u);
    const MountStep* root = step_on(plan, "/store/7/root");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->source, "/");
    EXPECT_TRUE(remounted_read_only(plan, "/store/7/root"));
}

TEST(UnixSockets, PathsOfProcNetUnixOnceEachAbstractAndUnnamedLeftOut) {
    auto paths = parse_unix_socket_paths(
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 114210 /run/dbus/system_bus_socket\n"
        "0000000000000000: 00000002 00000000 00000000 0002 01 114211 /dev/log\n"
        "0000000000000000: 00000003 00000000 00000000 0001 03 114212\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 114213 @/tmp/.X11-unix/X0\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 114214 /tmp/with space.sock\n"
        "0000000000000000: 00000003 00000000 00000000 0001 03 114215 /run/dbus/system_bus_socket\n");
    EXPECT_EQ(paths, (std::vector<std::string>{"/run/dbus/system_bus_socket", "/dev/log", "/tmp/with space.sock"}));
}

TEST(TrialPlan, HostSocketsInOverlaidMountsAreBoundSoConnectReachesThem) {
    // connect(2) through an overlay is refused for a socket in the lower layer.
    TrialPlan plan = plan_for(machine_table, {}, {"/tmp/app.sock", "/dev/log", "/proc/sock", "/opt/tools/s"});
    for (const char* socket : {"/tmp/app.sock", "/dev/log"}) {
        const MountStep* bind = step_on(plan, std::string("/store/7/root") + socket);
        ASSERT_NE(bind, nullptr) << socket;
        EXPECT_EQ(bind->source, socket);
        EXPECT_EQ(bind->flags, static_cast<unsigned long>(MS_BIND));
    }
    EXPECT_EQ(step_on(plan, "/store/7/root/proc/sock"), nullptr) << "in a bound mount already";
    EXPECT_EQ(step_on(plan, "/store/7/root/opt/tools/s"), nullptr) << "in a bound mount already";
}

}  // namespace
}  // namespace capprof
