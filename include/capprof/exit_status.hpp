#pragma once
// How a workload ended. Named factories keep "exited 1" and "killed by 9"
// from being confused (the rr style of a wait-status value type).
#include <optional>

namespace capprof {

struct ExitStatus {
    int code = 0;                 // valid when signal is empty
    std::optional<int> signal;    // set when killed by a signal

    static ExitStatus exited(int c) { return ExitStatus{c, std::nullopt}; }
    static ExitStatus killed(int sig) { return ExitStatus{0, sig}; }

    // The status a shell would report: code, or 128+N when killed by signal N.
    int shell_code() const { return signal ? 128 + *signal : code; }
    bool success(int expected = 0) const { return !signal && code == expected; }
};

}  // namespace capprof
