#pragma once
// Fatal user and environment errors: one exception type, caught in main, which
// prints "capprof: <message>" on one line and exits with `exit_code`.
// Recoverable problems are return values, not exceptions (bpftrace style).
#include <stdexcept>
#include <string>

namespace capprof {

// Exit codes of capprof's own errors (docs/ARCHITECTURE.md, like docker run / env(1)).
enum ExitCode : int {
    exit_usage = 125,           // bad command line, environment cannot trace
    exit_not_executable = 126,  // command found but cannot be executed
    exit_not_found = 127,       // command not found
};

class UserError : public std::runtime_error {
public:
    UserError(const std::string& message, int exit_code = exit_usage)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

}  // namespace capprof
