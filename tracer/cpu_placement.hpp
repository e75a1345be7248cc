#pragma once
// Where capprof and the workload run. Every syscall costs two ptrace stops,
// and on a virtual machine a stop that wakes a task on another virtual CPU
// costs several times one that stays on the same CPU: a halted vCPU must be
// woken through the hypervisor (docs/PERFORMANCE.md has the numbers).
//
//   keep_awake  default. One SCHED_IDLE busy thread per CPU capprof may use
//               keeps every vCPU from halting while the workload runs. The
//               workload's CPUs, mask and priorities are untouched: a
//               SCHED_IDLE thread gives way to any other task at once, so
//               it only turns idle time into polling (CPU time and power,
//               and cgroup CPU quota when a container has one).
//   pin         capprof and the workload share one CPU: the fastest for
//               the single-threaded tracer, but the workload sees a
//               one-CPU affinity mask (nproc prints 1, parallel threads
//               share one CPU) until it changes the mask itself.
//   none        leave the scheduler alone.
//
// Usage: construct before forking the workload (applies to capprof itself),
// call apply_in_workload() in the child between fork and execve, keep the
// object alive until the workload has ended.
#include <sched.h>

#include <atomic>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace capprof {

enum class CpuPlacementMode { keep_awake, pin, none };

// "keep-awake", "pin", "none"; nullopt for anything else.
std::optional<CpuPlacementMode> parse_cpu_placement(std::string_view text);
const char* cpu_placement_name(CpuPlacementMode mode);

// The mode named by $CAPPROF_CPU_PLACEMENT, else `fallback`. An unknown name
// is ignored with a warning.
CpuPlacementMode cpu_placement_from_env(CpuPlacementMode fallback = CpuPlacementMode::keep_awake);

class CpuPlacement {
public:
    explicit CpuPlacement(CpuPlacementMode mode);
    ~CpuPlacement();  // stops the busy threads, restores capprof's mask
    CpuPlacement(const CpuPlacement&) = delete;
    CpuPlacement& operator=(const CpuPlacement&) = delete;

    CpuPlacementMode mode() const { return mode_; }
    // The CPU capprof and the workload share (mode pin), else -1.
    int pinned_cpu() const { return pinned_cpu_; }

    // In the forked child before execve; async-signal-safe (only
    // sched_setaffinity). With pin the child keeps the inherited one-CPU
    // mask; otherwise it gets the mask capprof started with.
    void apply_in_workload() const noexcept;

private:
    void start_busy_threads();

    CpuPlacementMode mode_;
    cpu_set_t original_mask_{};
    bool have_original_mask_ = false;
    int pinned_cpu_ = -1;
    std::atomic<bool> stop_{false};
    std::vector<std::thread> busy_threads_;
};

}  // namespace capprof
