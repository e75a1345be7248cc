#include "trial_isolation.hpp"

#include <sys/capability.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <climits>

#include "capprof/error.hpp"

namespace capprof {

namespace {

// Creating a mount namespace and mounting need CAP_SYS_ADMIN; a default
// Docker container, or a user other than root, lacks it.
bool holds_sys_admin() {
    cap_t own = cap_get_proc();
    cap_flag_value_t value = CAP_CLEAR;
    if (own) cap_get_flag(own, CAP_SYS_ADMIN, CAP_EFFECTIVE, &value), cap_free(own);
    return value == CAP_SET;
}

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string current_directory() {
    char buffer[PATH_MAX];
    if (::getcwd(buffer, sizeof buffer)) return buffer;
    return "/";  // deleted or unreachable: the trial starts at its root
}

TrialIsolation::~TrialIsolation() = default;

std::unique_ptr<TrialSandbox> TrialIsolation::prepare(const RunSpec& spec, std::string& not_isolated) {
    if (!swept_) {
        swept_ = true;
        sweep_stale_trials();
    }
    not_isolated.clear();
    if (spec.isolation == Isolation::off) return nullptr;
    if (!store_ && !unavailable_) open_store();
    if (!store_) {
        if (spec.isolation == Isolation::required) throw UserError("--isolate: " + *unavailable_, exit_usage);
        if (!warned_)
            spdlog::warn("trials are not isolated: {}; answers may depend on earlier runs", *unavailable_);
        warned_ = true;
        not_isolated = *unavailable_;
        return nullptr;
    }
    const auto start = std::chrono::steady_clock::now();
    try {
        auto sandbox = std::make_unique<TrialSandbox>(*store_, current_directory());
        spdlog::debug("trial prepared in {:.1f} ms: {} mounts, {} overlays", ms_since(start),
                      sandbox->plan().steps.size(), sandbox->plan().overlays);
        return sandbox;
    } catch (const IsolationUnavailable& e) {
        throw UserError(e.what(), exit_usage);
    }
}

void TrialIsolation::open_store() {
    if (!holds_sys_admin()) {
        unavailable_ = "capprof lacks CAP_SYS_ADMIN, which a private mount namespace needs (run it as root; "
                       "in a container, --cap-add SYS_ADMIN)";
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    try {
        store_ = std::make_unique<TrialStore>();
        TrialSandbox trial(*store_, current_directory());
        if (std::string failure = trial.try_in_child(); !failure.empty()) throw IsolationUnavailable(failure);
    } catch (const IsolationUnavailable& e) {
        store_.reset();
        unavailable_ = e.what();
        return;
    }
    spdlog::debug("trial store ready in {:.1f} ms", ms_since(start));
}

}  // namespace capprof
