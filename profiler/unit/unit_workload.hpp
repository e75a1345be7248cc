#pragma once
// --unit UNIT: the service's plan as the workload of run, minimize and
// check, and what the report says about it.
#include <string>

#include "capprof/runner.hpp"
#include "report/report.hpp"

namespace capprof {

struct UnitWorkload {
    RunSpec spec;         // the service's commands and exec setup; the rest is the caller's
    UnitSummary summary;  // for Report::unit
};

// Loads UNIT (a path or a name, unit_lookup.hpp) and plans it
// (service_plan.hpp). Throws UserError (125) with one line saying what to do.
UnitWorkload load_unit_workload(const std::string& unit);

}  // namespace capprof
