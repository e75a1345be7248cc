#include "run_containment.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "reaper.hpp"

namespace capprof {

RunContainment::RunContainment(bool with_probe) {
    become_subreaper();
    static const bool swept = [] {
        sweep_stale_run_cgroups();
        return true;
    }();
    (void)swept;
    std::string why;
    if (auto group = RunCgroup::create("workload", why)) workload_group_.emplace(std::move(*group));
    if (workload_group_ && with_probe) {
        if (auto group = RunCgroup::create("probe", why)) probe_group_.emplace(std::move(*group));
    }
    static bool said = false;  // once, not for every trial of minimize
    if ((!workload_group_ || (with_probe && !probe_group_)) && !std::exchange(said, true))
        spdlog::debug("no cgroup for this run ({}): processes left at the end are found as capprof's "
                      "children only (it is their subreaper)", why);
}

RunContainment::~RunContainment() { finish(); }

void RunContainment::place(pid_t workload) {
    // As a job-control shell does: a process group of its own before it
    // runs, then the terminal (it is stopped: nothing of it runs yet).
    if (::setpgid(workload, workload) == 0)
        terminal_.hand_to(workload);
    else
        spdlog::debug("cannot give the workload its own process group: {}", std::strerror(errno));
    if (workload_group_) {
        std::string why;
        if (!workload_group_->add(workload, why)) {
            spdlog::debug("{}: the workload runs without a cgroup of its own", why);
            workload_group_.reset();
        }
    }
}

void RunContainment::finish() {
    if (finished_) return;
    finished_ = true;
    if (workload_group_) workload_group_->kill_all();
    if (probe_group_) probe_group_->kill_all();
    kill_and_reap_children();
    workload_group_.reset();  // removes the group (kills any late member first)
    probe_group_.reset();
    kill_and_reap_children();
    terminal_.take_back();
}

}  // namespace capprof
