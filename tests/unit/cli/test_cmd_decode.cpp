// `capprof decode` and `capprof inspect` through their Command objects.
#include <unistd.h>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "capprof/error.hpp"
#include "cli/command.hpp"

namespace capprof {
namespace {

class NoRunner : public Runner {
public:
    RunResult run(const RunSpec&, EventSink&) override {
        ADD_FAILURE() << "decode and inspect never run a workload";
        return {};
    }
};

// Parses `args` for `command` as CLI11 would, executes it, returns stdout.
std::string execute(std::unique_ptr<Command> command, std::vector<std::string> args) {
    CLI::App app{"capprof"};
    CLI::App* sub = app.add_subcommand(command->name(), command->description());
    command->setup(*sub);
    args.insert(args.begin(), {"capprof", command->name()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
    std::ostringstream captured;
    auto* old = std::cout.rdbuf(captured.rdbuf());
    NoRunner runner;
    try {
        int status = command->execute(runner);
        std::cout.rdbuf(old);
        EXPECT_EQ(status, 0);
    } catch (...) {
        std::cout.rdbuf(old);
        throw;
    }
    return captured.str();
}

TEST(DecodeCommand, PrintsLikeCapshAndDocker) {
    EXPECT_EQ(execute(make_decode_command(), {"0x0000000000000400"}),
              "0x0000000000000400=cap_net_bind_service\ndocker: NET_BIND_SERVICE\n");
    EXPECT_EQ(execute(make_decode_command(), {"4c1"}),
              "0x00000000000004c1=cap_chown,cap_setgid,cap_setuid,cap_net_bind_service\n"
              "docker: CHOWN SETGID SETUID NET_BIND_SERVICE\n");
    EXPECT_EQ(execute(make_decode_command(), {"0"}), "0x0000000000000000=\ndocker: (none)\n");
}

TEST(DecodeCommand, BadHexIsAUsageErrorNamingIt) {
    for (std::string bad : {"0xZZ", "12g", "0x", "-1", "0x10000000000000000"}) {
        try {
            execute(make_decode_command(), {bad});
            ADD_FAILURE() << bad << " was accepted";
        } catch (const UserError& e) {
            EXPECT_EQ(e.exit_code(), 125) << bad;
            std::string message = e.what();
            EXPECT_NE(message.find(bad), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
        }
    }
}

TEST(InspectCommand, ShowsTheSetsOfARunningProcess) {
    std::string out = execute(make_inspect_command(), {std::to_string(::getpid())});
    EXPECT_EQ(out.rfind("pid " + std::to_string(::getpid()) + " ", 0), 0u) << out;
    for (const char* field : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "uid", "gid"})
        EXPECT_NE(out.find(field), std::string::npos) << field << "\n" << out;
}

TEST(InspectCommand, NoSuchProcessIsAnErrorNamingThePid) {
    try {
        execute(make_inspect_command(), {"999999999"});
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.exit_code(), 125);
        EXPECT_NE(std::string(e.what()).find("999999999"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace capprof
