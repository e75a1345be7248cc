#include "run/progress.hpp"

#include <cstdio>

#include "common/cap_names.hpp"

namespace capprof {

std::string progress_line(const std::string& label, const std::string& shown_held,
                          const std::string& status, double seconds) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", seconds);
    // Columns of docs/ARCHITECTURE.md's example: status at 41, seconds at 70.
    auto pad_to = [](std::string& line, std::size_t column) {
        line += line.size() < column ? std::string(column - line.size(), ' ') : " ";
    };
    std::string line = label;
    if (!shown_held.empty()) {
        line += "  held: " + shown_held;
        pad_to(line, 41);
    } else if (!status.empty()) {
        pad_to(line, 41);
    }
    line += status;
    pad_to(line, 70);
    return line + secs;
}

std::string held_text(CapSet previous, CapSet held, bool first) {
    if (first || previous == 0 || (held & previous) != previous || held == previous)
        return cap_names_text(held);
    return "+" + cap_names_text(held & ~previous, " +");
}

std::string run_status(const RunOutcome& outcome, CapSet new_caps, CapSet unfixed) {
    const RunResult& r = outcome.result;
    if (outcome.success)
        return r.probe_ok.has_value() ? (r.readiness_check ? "ready" : "probe ok")
                                      : "exit " + std::to_string(r.exit.shell_code());
    std::string status = "failed  ";
    if (!r.started) return status + "(could not start)";
    if (new_caps) return status + cap_names_text(new_caps);
    if (unfixed) return status + cap_names_text(unfixed) + " did not help";
    if (outcome.workload_ok) return status + "(a privilege drop was denied)";
    if (r.probe_ok.has_value() && !*r.probe_ok) return status + (r.readiness_check ? "(not ready)" : "(probe failed)");
    if (r.exit.signal) return status + "(signal " + std::to_string(*r.exit.signal) + ")";
    return status + "(exit " + std::to_string(r.exit.code) + ")";
}

}  // namespace capprof
