#pragma once
// cli_main with a canned Runner, as a user would call capprof: its exit
// status and what it printed on stderr and stdout.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "cli/cli.hpp"

namespace capprof::testing {

struct CliResult {
    int status;
    std::string err;
    std::string out;
};

inline CliResult cli(std::vector<std::string> args, Runner& runner) {
    args.insert(args.begin(), "capprof");
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::testing::internal::CaptureStderr();
    ::testing::internal::CaptureStdout();
    int status = cli_main(static_cast<int>(args.size()), argv.data(), runner);
    std::fflush(nullptr);
    std::string out = ::testing::internal::GetCapturedStdout();
    std::string err = ::testing::internal::GetCapturedStderr();
    return {status, err, out};
}

}  // namespace capprof::testing
