#include "cpu_placement.hpp"

#include <pthread.h>
#include <sched.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace capprof {
namespace {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

bool pin_calling_thread(int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0;
}

// True when capprof's cgroup (v2) has a CPU quota: busy threads would spend
// it and get the workload throttled (cgroup-v2.rst, "cpu.max").
bool cgroup_has_cpu_quota() {
    std::ifstream self("/proc/self/cgroup");
    std::string line, path;
    while (std::getline(self, line))
        if (line.rfind("0::", 0) == 0) path = line.substr(3);
    if (path.empty()) return false;
    for (;;) {
        std::ifstream max("/sys/fs/cgroup" + path + "/cpu.max");
        std::string quota;
        if (max >> quota && quota != "max") return true;
        if (path == "/" || path.empty()) return false;
        auto slash = path.rfind('/');
        path = slash == 0 ? "/" : path.substr(0, slash);
    }
}

}  // namespace

std::optional<CpuPlacementMode> parse_cpu_placement(std::string_view text) {
    if (text == "keep-awake") return CpuPlacementMode::keep_awake;
    if (text == "pin") return CpuPlacementMode::pin;
    if (text == "none") return CpuPlacementMode::none;
    return std::nullopt;
}

const char* cpu_placement_name(CpuPlacementMode mode) {
    switch (mode) {
    case CpuPlacementMode::keep_awake: return "keep-awake";
    case CpuPlacementMode::pin: return "pin";
    case CpuPlacementMode::none: return "none";
    }
    return "none";
}

CpuPlacementMode cpu_placement_from_env(CpuPlacementMode fallback) {
    const char* text = std::getenv("CAPPROF_CPU_PLACEMENT");
    if (!text || !*text) return fallback;
    if (auto mode = parse_cpu_placement(text)) return *mode;
    spdlog::warn("CAPPROF_CPU_PLACEMENT={} is not keep-awake, pin or none; using {}", text,
                 cpu_placement_name(fallback));
    return fallback;
}

CpuPlacement::CpuPlacement(CpuPlacementMode mode) : mode_(mode) {
    have_original_mask_ = sched_getaffinity(0, sizeof original_mask_, &original_mask_) == 0;
    if (mode_ == CpuPlacementMode::pin) {
        // The CPU the scheduler put capprof on is as good a guess as any.
        int cpu = sched_getcpu();
        if (cpu >= 0 && pin_calling_thread(cpu)) pinned_cpu_ = cpu;
        else spdlog::debug("cpu placement: cannot pin to CPU {}", cpu);
    } else if (mode_ == CpuPlacementMode::keep_awake) {
        if (cgroup_has_cpu_quota())
            spdlog::debug("cpu placement: cgroup has a CPU quota; no busy threads");
        else
            start_busy_threads();
    }
    spdlog::debug("cpu placement: {} (cpu {}, {} busy threads)", cpu_placement_name(mode_),
                  pinned_cpu_, busy_threads_.size());
}

CpuPlacement::~CpuPlacement() {
    stop_.store(true, std::memory_order_relaxed);
    for (auto& thread : busy_threads_) thread.join();
    if (pinned_cpu_ >= 0 && have_original_mask_)
        sched_setaffinity(0, sizeof original_mask_, &original_mask_);
}

void CpuPlacement::apply_in_workload() const noexcept {
    if (mode_ == CpuPlacementMode::pin || !have_original_mask_) return;
    sched_setaffinity(0, sizeof original_mask_, &original_mask_);
}

// One thread per allowed CPU, pinned there, at SCHED_IDLE (sched(7)): the
// scheduler runs it only when nothing else wants that CPU and preempts it
// at once when something does, so the vCPU polls instead of halting.
void CpuPlacement::start_busy_threads() {
    if (!have_original_mask_) return;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &original_mask_)) continue;
        busy_threads_.emplace_back([this, cpu] {
            sched_param none{};
            if (!pin_calling_thread(cpu) || sched_setscheduler(0, SCHED_IDLE, &none) != 0)
                return;
            pthread_setname_np(pthread_self(), "capprof-awake");
            while (!stop_.load(std::memory_order_relaxed)) cpu_relax();
        });
    }
}

}  // namespace capprof
