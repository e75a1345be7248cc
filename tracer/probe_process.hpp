#pragma once
// Starting the probe: `/bin/sh -c PROBE`, untraced, stdin/stdout/stderr on
// /dev/null, in a process group of its own (a timed-out attempt dies with its
// children), with the signal dispositions and mask capprof inherited. It dies
// with capprof (PR_SET_PDEATHSIG from the stop controller's thread, which
// waits for every attempt) and, when the run has a probe cgroup, everything it
// starts stays there to be killed at the end of the run (run_cgroup.hpp).
#include <sys/types.h>

#include <string>

namespace capprof {

class SignalRelay;

// The probe's pid, or -errno when it could not be started.
pid_t spawn_probe(const std::string& command, const SignalRelay& signals, int cgroup_procs_fd);

}  // namespace capprof
