// What `docker image inspect` says, and the command docker would run.
#include <gtest/gtest.h>

#include "capprof/error.hpp"
#include "image/image_config.hpp"

namespace capprof {
namespace {

const char* inspected = R"({"Id":"sha256:abc","Architecture":"amd64","Os":"linux",
  "Config":{"User":"www","WorkingDir":"/srv","Entrypoint":["/entry.sh"],"Cmd":["serve","--port","80"]}})";

TEST(ImageConfig, ParsesTheFieldsThatDecideATrial) {
    const ImageConfig config = parse_image_config(inspected, "web");
    EXPECT_EQ(config.id, "sha256:abc");
    EXPECT_EQ(config.architecture, "amd64");
    EXPECT_EQ(config.user, "www");
    EXPECT_EQ(config.working_dir, "/srv");
    EXPECT_EQ(config.entrypoint, std::vector<std::string>{"/entry.sh"});
    EXPECT_EQ(config.cmd, (std::vector<std::string>{"serve", "--port", "80"}));
}

TEST(ImageConfig, NullEntrypointAndListForm) {
    const ImageConfig config =
        parse_image_config(R"([{"Architecture":"arm64","Config":{"Entrypoint":null,"Cmd":["/bin/sh"]}}])", "x");
    EXPECT_TRUE(config.entrypoint.empty());
    EXPECT_EQ(config.architecture, "arm64");
    EXPECT_THROW(parse_image_config("not json", "x"), UserError);
}

TEST(ImageConfig, CommandAsDockerRunBuildsIt) {
    const ImageConfig config = parse_image_config(inspected, "web");
    using V = std::vector<std::string>;
    EXPECT_EQ(workload_argv(config, std::nullopt, {}, "web"), (V{"/entry.sh", "serve", "--port", "80"}));
    // A command replaces CMD, not ENTRYPOINT.
    EXPECT_EQ(workload_argv(config, std::nullopt, {"check"}, "web"), (V{"/entry.sh", "check"}));
    // --entrypoint replaces ENTRYPOINT and drops the image's CMD.
    EXPECT_EQ(workload_argv(config, std::string("/bin/sh"), {}, "web"), V{"/bin/sh"});
    EXPECT_EQ(workload_argv(config, std::string("/bin/sh"), {"-c", "id"}, "web"), (V{"/bin/sh", "-c", "id"}));
    // --entrypoint "" resets it: the command alone.
    EXPECT_EQ(workload_argv(config, std::string(""), {"id"}, "web"), V{"id"});
    EXPECT_THROW(workload_argv(config, std::string(""), {}, "web"), UserError);
}

TEST(ImageConfig, HostArchitectureInDockersSpelling) {
#if defined(__x86_64__)
    EXPECT_EQ(host_docker_architecture(), "amd64");
#elif defined(__aarch64__)
    EXPECT_EQ(host_docker_architecture(), "arm64");
#endif
}

}  // namespace
}  // namespace capprof
