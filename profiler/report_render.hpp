#pragma once
// The human report (stderr or --report) and the JSON report (schema
// capprof.report/v1, DESIGN.md).
#include <nlohmann/json.hpp>

#include <ostream>

#include "report.hpp"

namespace capprof {

void render_text(const Report& report, std::ostream& out, bool color);
nlohmann::json to_json(const Report& report);

}  // namespace capprof
