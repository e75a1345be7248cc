#pragma once
// The human report (stderr or --report) and the JSON report (schema
// capprof.report/v1, docs/ARCHITECTURE.md).
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "report/report.hpp"

namespace capprof {

void render_text(const Report& report, std::ostream& out, bool color);
nlohmann::json to_json(const Report& report);

// to_json as text, ending in a newline. Stays valid JSON whatever bytes the
// workload used in paths or names: invalid UTF-8 becomes U+FFFD.
std::string render_json(const Report& report);

// "SIGTERM"; "signal N" for a number without a name.
std::string signal_name(int sig);

}  // namespace capprof
