#include "cpu_placement.hpp"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace capprof {

std::optional<CpuPlacementMode> parse_cpu_placement(std::string_view text) {
    if (text == "pin") return CpuPlacementMode::pin;
    if (text == "none") return CpuPlacementMode::none;
    return std::nullopt;
}

const char* cpu_placement_name(CpuPlacementMode mode) {
    return mode == CpuPlacementMode::pin ? "pin" : "none";
}

CpuPlacementMode cpu_placement_from_env(CpuPlacementMode fallback) {
    const char* text = std::getenv("CAPPROF_CPU_PLACEMENT");
    if (!text || !*text) return fallback;
    if (auto mode = parse_cpu_placement(text)) return *mode;
    spdlog::warn("CAPPROF_CPU_PLACEMENT={} is neither pin nor none; using {}", text,
                 cpu_placement_name(fallback));
    return fallback;
}

CpuPlacement::CpuPlacement(CpuPlacementMode mode) : mode_(mode) {
    if (mode_ != CpuPlacementMode::pin) return;
    if (sched_getaffinity(0, sizeof original_mask_, &original_mask_) != 0) {
        spdlog::debug("cpu placement: sched_getaffinity failed; not pinning");
        return;
    }
    // The CPU the scheduler is running capprof on, within the mask capprof
    // was given (taskset, cpuset): as good a choice as any, and allowed.
    int cpu = sched_getcpu();
    if (cpu < 0 || !CPU_ISSET(cpu, &original_mask_)) {
        spdlog::debug("cpu placement: sched_getcpu gave {}; not pinning", cpu);
        return;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        spdlog::debug("cpu placement: cannot pin to CPU {}", cpu);
        return;
    }
    pinned_cpu_ = cpu;
    spdlog::debug("cpu placement: capprof and the workload on CPU {}", cpu);
}

CpuPlacement::~CpuPlacement() {
    if (pinned_cpu_ >= 0) sched_setaffinity(0, sizeof original_mask_, &original_mask_);
}

}  // namespace capprof
