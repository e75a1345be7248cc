#pragma once
// The command line (CLI11). One object per subcommand; main() only builds the
// Runner and calls cli_main.
#include "capprof/runner.hpp"

namespace capprof {

// Returns the process exit status (docs/ARCHITECTURE.md: the workload's for `run`,
// 0/1 for minimize/check, 125/126/127 for capprof's own errors).
int cli_main(int argc, char** argv, Runner& runner);

}  // namespace capprof
