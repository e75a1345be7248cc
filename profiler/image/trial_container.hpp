#pragma once
// One trial container from start to end: `docker run` attached (the
// workload's output passes through, or is dropped), the probe (on the host,
// or with `docker exec` in the container), the stop once the probe
// succeeded, and capprof's own termination signals.
#include <optional>
#include <string>
#include <vector>

#include "image/docker_cli.hpp"

namespace capprof {

struct ContainerPlan {
    std::vector<std::string> run_args;   // docker run ... IMAGE ...
    std::string name;                    // the container's --name
    std::optional<std::string> probe;    // --probe CMD
    bool probe_inside = false;           // docker exec NAME /bin/sh -c CMD
    double ready_timeout = 30;
    std::optional<double> duration;      // after the probe succeeded
    double grace = 2;                    // SIGTERM -> SIGKILL
    int out_fd = -1;                     // the client's stdout (-1: /dev/null)
    int err_fd = -1;                     // its stderr (-1: only kept for errors)
    // A SIGINT/SIGTERM/SIGHUP/SIGQUIT to capprof kills the container
    // (minimize/check); otherwise it is passed on with `docker kill --signal`.
    bool stop_on_interrupt = false;
};

struct ContainerRun {
    int docker_status = -1;              // of `docker run` (never the trial's outcome)
    std::optional<bool> probe_ok;        // with a probe
    bool stopped = false;                // capprof stopped it after the probe
    bool killed = false;                 // ... with SIGKILL: no report can follow
    std::optional<int> interrupted;      // the signal that interrupted capprof
    std::string stderr_tail;             // the client's last stderr bytes
};

ContainerRun run_container(const DockerCli& docker, const ContainerPlan& plan);

}  // namespace capprof
