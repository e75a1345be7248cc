#pragma once
// Where capprof and the workload run. Every syscall costs two ptrace stops,
// and each stop wakes a sleeping task: the tracer, or the tracee it resumes.
// When the two sit on different CPUs of a virtual machine, the wake-up lands
// on an idle vCPU that has halted, and waking it goes through the hypervisor:
// measured here, a syscall costs about 7x more than when tracer and tracee
// share one CPU (docs/PERFORMANCE.md has the numbers and the variants tried).
//
//   pin   default. capprof and the workload share the CPU capprof was
//         running on; every stop is a local context switch. Trade-off: the
//         workload inherits a one-CPU affinity mask, so sched_getaffinity(2)
//         and nproc report 1 CPU and its threads share that CPU, until it
//         sets a wider mask itself (which it may: the mask is no cpuset).
//         Under ptrace every syscall of every thread waits for the one
//         tracer anyway, so parallel workloads lose little (measured).
//   none  leave the scheduler alone: the workload sees the CPUs it would
//         see without capprof, at several times the tracing cost.
//
// Usage: construct before forking the workload (the child inherits capprof's
// mask) and keep the object alive until the workload has ended; capprof's
// own mask is restored on destruction.
#include <sched.h>

#include <optional>
#include <string_view>

namespace capprof {

enum class CpuPlacementMode { pin, none };

// "pin", "none"; nullopt for anything else.
std::optional<CpuPlacementMode> parse_cpu_placement(std::string_view text);
const char* cpu_placement_name(CpuPlacementMode mode);

// The mode named by $CAPPROF_CPU_PLACEMENT, else `fallback`. An unknown name
// is ignored with a warning.
CpuPlacementMode cpu_placement_from_env(CpuPlacementMode fallback = CpuPlacementMode::pin);

class CpuPlacement {
public:
    explicit CpuPlacement(CpuPlacementMode mode);
    ~CpuPlacement();  // restores capprof's own mask
    CpuPlacement(const CpuPlacement&) = delete;
    CpuPlacement& operator=(const CpuPlacement&) = delete;

    CpuPlacementMode mode() const { return mode_; }
    // The CPU capprof and the workload share, or -1 (mode none, or pinning
    // failed: then nothing changed).
    int pinned_cpu() const { return pinned_cpu_; }

private:
    CpuPlacementMode mode_;
    cpu_set_t original_mask_{};
    int pinned_cpu_ = -1;
};

}  // namespace capprof
