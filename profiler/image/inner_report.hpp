#pragma once
// The JSON report of the capprof inside a trial container, read back as the
// trial's outcome. It lies in a directory the workload may write to, so it
// is untrusted input: read only as a regular file (no symlink, fifo or
// device), at most max_bytes, every field type-checked, strings and lists
// bounded, and it must carry the trial's token (given to the inner capprof
// only, which hides it from the workload).
#include <optional>
#include <string>

#include "capprof/trial_runner.hpp"

namespace capprof {

struct InnerReport {
    TrialResult trial;
    std::string error;   // why the report was refused ("" = accepted)
};

constexpr std::size_t inner_report_max_bytes = std::size_t{16} << 20;

// Parses the text of a capprof.report/v1 document written by `capprof run
// --json` inside a trial; `token` must match its "trial" field.
InnerReport parse_inner_report(const std::string& text, const std::string& token);

// Reads `path` as above; nullopt when there is no such regular file (the
// inner capprof never wrote one), else the parsed report.
std::optional<InnerReport> read_inner_report(const std::string& path, const std::string& token);

}  // namespace capprof
