#pragma once
// Everything a report shows, whatever its format (text, JSON, docker, ...).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capprof/caps.hpp"
#include "capprof/exit_status.hpp"
#include "capprof/finding.hpp"
#include "capprof/runner.hpp"

namespace capprof {

struct RunRecord {                 // one run of minimize/check
    CapSet granted = 0;
    ExitStatus exit;
    bool success = false;
    std::optional<bool> probe_ok;
    double seconds = 0;
    std::vector<std::string> missing;   // capabilities its findings asked for
    std::string purpose;                // "explore", "verify", "without SETUID", ...
    bool isolated = false;              // ran in a fresh copy-on-write view of the host
    std::string not_isolated;           // why isolation was asked for and not set up
};

// A capability minimize wanted to try but could not grant here, or would
// not (one that acts on the whole host, without --allow-host-cap).
struct UntriedCapability {
    int cap = -1;
    std::string reason;
};

// The systemd service the workload came from (--unit): what the drop-in is
// for, and where the profiling run differed from systemd's.
struct UnitSummary {
    std::string name;                       // "nginx.service"
    std::string path;                       // the unit file read
    std::vector<std::string> drop_ins;      // applied, in order
    std::string type;                       // Type=
    std::optional<std::string> user;        // User=, when set
    bool non_root = false;                  // User= is not root: AmbientCapabilities= needed
    std::vector<std::string> not_emulated;  // settings the run did not reproduce
    std::vector<std::string> notes;         // adjustments (a clamped Limit*=)
};

struct Report {
    std::vector<std::string> command;
    CapSet granted = 0;                 // what the (last) traced run held
    ExitStatus exit;
    bool success = false;               // the workload met the success criteria
    CapSet cap_add = 0;                 // the recommendation
    CapSet optional = 0;                // failed but the workload succeeded anyway
    std::vector<Finding> findings;
    std::vector<RunRecord> runs;
    // statistics of the (last) traced run
    double seconds = 0;
    std::uint64_t syscalls = 0, processes = 0, threads = 0, failures = 0;
    int pinned_cpu = -1;                // CPU capprof and the workload shared (-1: not pinned)
    std::optional<std::string> user;    // --user as typed
    std::optional<std::string> probe;   // --probe as typed
    std::optional<bool> probe_ok;       // set when a probe was given
    bool stopped_by_capprof = false;    // ended by --duration / probe success
    // minimize/check: the signal (SIGINT, SIGTERM...) that interrupted capprof.
    // The run in progress was killed and no further run made: a partial result.
    std::optional<int> interrupted;
    bool started = true;                // false: execve of the command failed
    std::vector<UntriedCapability> untried;  // minimize: asked for, never tried here
    std::vector<std::string> notes;     // about the report as a whole (JSON "notes")
    // Executables that ran without their set-user-ID bit or file capabilities
    // because capprof traced them without CAP_SYS_PTRACE.
    std::vector<IgnoredPrivilege> ignored_privileges;
    bool isolated = false;              // every run saw a fresh copy-on-write view of the host
    // minimize/check without isolation: answers may depend on earlier runs.
    std::optional<std::string> isolation_warning;
    // --image: the image, the words after it in `docker run` (the command
    // the user gave; empty: the image's ENTRYPOINT and CMD), capprof's
    // --entrypoint, and the --docker-arg words, for the docker line.
    std::optional<std::string> image;
    std::vector<std::string> image_command;
    std::optional<std::string> entrypoint;
    std::vector<std::string> docker_args;
    // Who the workload's processes ran as (RunSpec::record_identities), for
    // the capprof that asked for this run inside an image trial.
    std::vector<ProcessIdentity> identities;
    // The token an image trial's capprof was given: its JSON answers that trial.
    std::optional<std::string> trial_token;
    std::optional<UnitSummary> unit;    // --unit
    std::string failed_step;            // --unit: the ExecStartPre= that ended the (last) run
};

}  // namespace capprof
