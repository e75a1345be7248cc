// The exec plan of a service: what systemd would set up, as a RunSpec.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "capprof/error.hpp"
#include "support/temp_dir.hpp"
#include "unit/service_plan.hpp"
#include "unit/service_settings.hpp"

namespace capprof {
namespace {

using testing::TempDir;

class Plan : public ::testing::Test {
protected:
    TempDir root;
    void SetUp() override {
        std::filesystem::create_directories(root / "etc");
        std::ofstream(root / "etc/passwd") << "root:x:0:0:root:/root:/bin/bash\n"
                                              "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n";
        std::ofstream(root / "etc/group") << "root:x:0:\nwww-data:x:33:\nadm:x:4:www-data\nssl-cert:x:110:\n";
    }
    ServicePlan plan(const std::string& text, const std::string& name = "web.service") {
        LoadedUnit unit;
        unit.name = parse_unit_name(name);
        unit.path = root / name;
        unit.file.parse(text, unit.path);
        return plan_service(unit, root.path());
    }
    static std::string env(const RunSpec& spec, const std::string& name) {
        for (const auto& entry : spec.environment.value())
            if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
        return "<unset>";
    }
};

TEST_F(Plan, UserGroupsEnvironmentAndDirectories) {
    ServicePlan p = plan("[Service]\nUser=www-data\nSupplementaryGroups=ssl-cert\nRuntimeDirectory=web web/sock\n"
                         "RuntimeDirectoryMode=0750\nStateDirectory=web\nEnvironment=\"OPTS=-a -b\" NAME=%N\n"
                         "WorkingDirectory=~\nUMask=0027\nExecStart=/bin/echo $OPTS ${NAME}\n");
    ASSERT_TRUE(p.spec.user);
    EXPECT_EQ(p.spec.user->uid, 33u);
    EXPECT_EQ(p.spec.user->gid, 33u);
    EXPECT_EQ(p.spec.user->groups, (std::vector<gid_t>{4, 110}));  // adm lists www-data; ssl-cert added
    EXPECT_TRUE(p.non_root);
    EXPECT_EQ(p.spec.argv, (std::vector<std::string>{"/bin/echo", "-a", "-b", "web"}));
    EXPECT_EQ(env(p.spec, "HOME"), "/var/www");
    EXPECT_EQ(env(p.spec, "USER"), "www-data");
    EXPECT_EQ(env(p.spec, "RUNTIME_DIRECTORY"), "/run/web:/run/web/sock");
    EXPECT_EQ(env(p.spec, "STATE_DIRECTORY"), "/var/lib/web");
    EXPECT_EQ(p.spec.working_directory, "/var/www");
    EXPECT_EQ(p.spec.umask, 0027u);
    ASSERT_EQ(p.spec.directories.size(), 4u);
    EXPECT_EQ(p.spec.directories[0].path, "/run/web");
    EXPECT_EQ(p.spec.directories[0].mode, 0750u);
    EXPECT_EQ(p.spec.directories[0].uid, 33u);
    EXPECT_EQ(p.spec.directories[1].path, "/run/web");  // parent of web/sock, only created when missing
    EXPECT_FALSE(p.spec.directories[1].own);
    EXPECT_EQ(p.spec.directories[2].path, "/run/web/sock");
    EXPECT_EQ(p.spec.directories[3].mode, 0755u);
}

TEST_F(Plan, StepsTypeAndPidFile) {
    ServicePlan p = plan("[Service]\nType=forking\nPIDFile=web.pid\nExecStartPre=-/bin/true\n"
                         "ExecStartPre=/bin/echo pre ; /bin/echo again\nExecStart=@/bin/sleep web-daemon 1\n");
    EXPECT_EQ(p.spec.readiness, Readiness::forking);
    EXPECT_EQ(p.spec.pid_file, "/run/web.pid");
    ASSERT_EQ(p.spec.before.size(), 3u);
    EXPECT_TRUE(p.spec.before[0].ignore_failure);
    EXPECT_FALSE(p.spec.before[1].ignore_failure);
    EXPECT_EQ(p.spec.before[2].label, "ExecStartPre=/bin/echo again");
    EXPECT_EQ(p.spec.executable, "/bin/sleep");
    EXPECT_EQ(p.spec.argv, (std::vector<std::string>{"web-daemon", "1"}));
    EXPECT_FALSE(p.spec.user);
    EXPECT_EQ(p.spec.working_directory, "/");
}

TEST_F(Plan, NotifyOneshotAndNamesLookedUpInSystemdsPath) {
    EXPECT_EQ(plan("[Service]\nType=notify\nExecStart=/bin/true\n").spec.readiness, Readiness::notify);
    ServicePlan oneshot = plan("[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=sh -c exit\n");
    ASSERT_EQ(oneshot.spec.before.size(), 1u);
    EXPECT_TRUE(oneshot.spec.executable->ends_with("/sh")) << *oneshot.spec.executable;
    EXPECT_THROW(plan("[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n"), UserError);
    EXPECT_THROW(plan("[Service]\nExecStart=no-such-program-capprof\n"), UserError);
    EXPECT_THROW(plan("[Service]\nType=dbus-ish\nExecStart=/bin/true\n"), UserError);
}

TEST_F(Plan, ListsWhatItDoesNotEmulate) {
    ServicePlan p = plan("[Service]\nExecStart=/bin/true\nPrivateTmp=yes\nProtectSystem=full\nRestart=always\n"
                         "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\nExecStartPost=/bin/true\n");
    EXPECT_EQ(p.not_emulated.size(), 3u);
    auto has = [&](const std::string& text) {
        return std::any_of(p.not_emulated.begin(), p.not_emulated.end(),
                           [&](const std::string& s) { return s.find(text) == 0; });
    };
    EXPECT_TRUE(has("PrivateTmp=yes"));
    EXPECT_TRUE(has("ProtectSystem=full"));
    EXPECT_TRUE(has("ExecStartPost="));
}

TEST_F(Plan, ListsSocketActivation) {
    ServicePlan p = plan("[Unit]\nRequires=dbus.socket network.target\n[Service]\nExecStart=/bin/true\n");
    ASSERT_EQ(p.not_emulated.size(), 1u);
    EXPECT_EQ(p.not_emulated[0], "socket activation by dbus.socket (capprof passes no LISTEN_FDS)");
}

TEST_F(Plan, EnvironmentFilesOverrideEnvironment) {
    std::ofstream(root / "web.env") << "# comment\nPORT=8080\nexport NAME=\"quoted value\"\nEMPTY=\n";
    ServicePlan p = plan("[Service]\nEnvironment=PORT=80\nEnvironmentFile=" + root / "web.env" +
                         "\nEnvironmentFile=-/nonexistent/capprof.env\nExecStart=/bin/echo $PORT\n");
    EXPECT_EQ(env(p.spec, "PORT"), "8080");
    EXPECT_EQ(env(p.spec, "NAME"), "quoted value");
    EXPECT_EQ(p.spec.argv.back(), "8080");
    EXPECT_THROW(plan("[Service]\nEnvironmentFile=/nonexistent/capprof.env\nExecStart=/bin/true\n"), UserError);
}

TEST(ServiceSettings, ParsesLimits) {
    auto limit = parse_limit("LimitNOFILE", "1024:4096", "t");
    EXPECT_EQ(limit.resource, RLIMIT_NOFILE);
    EXPECT_EQ(limit.soft, 1024u);
    EXPECT_EQ(limit.hard, 4096u);
    EXPECT_EQ(parse_limit("LimitMEMLOCK", "64K", "t").soft, 65536u);
    EXPECT_EQ(parse_limit("LimitCORE", "infinity", "t").hard, RLIM_INFINITY);
    EXPECT_THROW(parse_limit("LimitNOFILE", "4096:1024", "t"), UserError);
    EXPECT_THROW(parse_limit("LimitNOFILE", "lots", "t"), UserError);
}

TEST(ServiceSettings, ClampsALimitAboveCapprofsOwnHardLimit) {
    struct rlimit own {};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &own), 0);
    if (own.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no hard limit to clamp to";
    UnitFile file;
    file.parse("[Service]\nLimitNOFILE=infinity\n", "t");
    std::vector<std::string> notes;
    auto limits = service_limits(file, notes);
    ASSERT_EQ(limits.size(), 1u);
    EXPECT_EQ(limits[0].hard, own.rlim_max);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("LimitNOFILE=infinity"), std::string::npos);
}

}  // namespace
}  // namespace capprof
