#include "unit/unit_workload.hpp"

#include "unit/service_plan.hpp"
#include "unit/unit_lookup.hpp"

namespace capprof {

UnitWorkload load_unit_workload(const std::string& unit) {
    LoadedUnit loaded = load_unit(unit);
    ServicePlan plan = plan_service(loaded);
    UnitWorkload workload;
    workload.spec = std::move(plan.spec);
    UnitSummary& summary = workload.summary;
    summary.name = loaded.name.full;
    summary.path = loaded.path;
    summary.drop_ins = loaded.drop_ins;
    summary.type = plan.type;
    summary.user = plan.user;
    summary.non_root = plan.non_root;
    summary.not_emulated = std::move(plan.not_emulated);
    summary.notes = std::move(plan.notes);
    return workload;
}

}  // namespace capprof
