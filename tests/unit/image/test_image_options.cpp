// --docker-arg: passed on as it is, except what capprof owns; leftovers are
// found by their owner label; the static capprof is told from a dynamic one.
#include <unistd.h>

#include <gtest/gtest.h>

#include "capprof/error.hpp"
#include "cli/image_mode.hpp"
#include "image/image_trials.hpp"
#include "image/leftovers.hpp"
#include "image/static_capprof.hpp"

namespace capprof {
namespace {

TEST(DockerArgs, PassesOnPortsEnvVolumesNetworkSysctls) {
    EXPECT_NO_THROW(check_docker_args({"-p", "8080:80", "--env=A=B", "-v", "/x:/y", "--network=host",
                                       "--sysctl", "net.ipv4.ip_unprivileged_port_start=1024",
                                       "--security-opt", "apparmor=unconfined"}));
}

TEST(DockerArgs, RefusesWhatCapprofOwnsInOneLine) {
    for (const char* arg : {"--cap-add", "--cap-add=NET_ADMIN", "--cap-drop", "--privileged", "--rm", "--name=x",
                            "--entrypoint", "--user=1000", "-u", "--detach"}) {
        try {
            check_docker_args({"-p", "80:80", arg});
            ADD_FAILURE() << arg << " was accepted";
        } catch (const UserError& e) {
            const std::string message = e.what();
            EXPECT_EQ(message.find('\n'), std::string::npos);
            EXPECT_NE(message.find(arg), std::string::npos) << message;
            EXPECT_EQ(e.exit_code(), exit_usage);
        }
    }
}

TEST(DockerArgs, OneWordEachWhateverItStartsWith) {
    const char* words[] = {"capprof", "run", "--image", "x", "--docker-arg", "--network=host", "--docker-arg",
                           "-p", "--", "--docker-arg", "y"};
    std::vector<char*> argv;
    for (const char* w : words) argv.push_back(const_cast<char*>(w));
    const auto joined = join_docker_args(static_cast<int>(argv.size()), argv.data());
    EXPECT_EQ(joined, (std::vector<std::string>{"capprof", "run", "--image", "x", "--docker-arg=--network=host",
                                                "--docker-arg=-p", "--", "--docker-arg", "y"}));
}

TEST(Leftovers, OwnerLabelRoundTripsAndNamesThisProcess) {
    const Owner me = current_owner();
    EXPECT_EQ(me.pid, ::getpid());
    EXPECT_GT(me.start_time, 0u);
    auto parsed = parse_owner_label(owner_label(me));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->pid, me.pid);
    EXPECT_TRUE(owner_alive(*parsed));
    // The same pid with another start time is a process that is gone.
    Owner reused = me;
    reused.start_time += 1;
    EXPECT_FALSE(owner_alive(reused));
    // Another machine's capprof is left alone.
    Owner elsewhere = reused;
    elsewhere.boot_id = "00000000-0000-0000-0000-000000000000";
    EXPECT_TRUE(owner_alive(elsewhere));
    EXPECT_FALSE(parse_owner_label("garbage"));
    EXPECT_FALSE(parse_owner_label("boot/12x/3"));
}

TEST(StaticCapprof, TellsStaticFromDynamic) {
    EXPECT_FALSE(is_static_elf("/proc/self/exe")) << "the test binary is linked dynamically";
    EXPECT_FALSE(is_static_elf("/etc/passwd"));
    EXPECT_FALSE(is_static_elf("/nonexistent"));
    if (::access("/bin/busybox", X_OK) == 0 && is_static_elf("/bin/busybox"))
        SUCCEED() << "busybox-static is installed";
}

TEST(StaticCapprof, SaysInOneLineHowToGetIt) {
    ::setenv("CAPPROF_STATIC_BINARY", "/etc/passwd", 1);
    EXPECT_THROW(find_static_capprof(), UserError);
    ::unsetenv("CAPPROF_STATIC_BINARY");
    try {
        find_static_capprof();  // the test binary is dynamic; no capprof-static next to it
        FAIL() << "found one";
    } catch (const UserError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("capprof-static"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos);
    }
}

}  // namespace
}  // namespace capprof
