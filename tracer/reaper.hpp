#pragma once
// Nothing capprof started outlives it (docs/ARCHITECTURE.md). capprof is a child
// subreaper (prctl(2) PR_SET_CHILD_SUBREAPER, Linux 3.4+): every orphan of
// the workload and of the probes, `setsid cmd &` included, becomes capprof's
// child instead of init's, so at the end of each run capprof can kill and
// reap all of them. As PID 1 of a PID namespace it is every orphan's parent
// anyway and does the same. Then capprof exits only after every process it
// started is gone, zombie or not: a script's next command finds the port
// free and the process table clean, even where PID 1 does not reap.
#include <sys/types.h>

#include <vector>

namespace capprof {

// Idempotent; false if the kernel refused (then orphans go to init).
bool become_subreaper();

// The children of every thread of capprof (/proc/self/task/*/children,
// Linux 3.5+ with CONFIG_PROC_CHILDREN), zombies included.
std::vector<pid_t> own_children();

// In a forked child, before execve (async-signal-safe): the child gets
// SIGKILL when its parent dies (PR_SET_PDEATHSIG). The kernel sends it when
// the *thread* that forked exits, so fork from a thread that lives as long
// as the child must. Returns false when the parent died before the signal
// was set (the child was re-parented: getppid() is not `parent`); the
// child must then exit at once.
bool die_with_parent(pid_t parent);
// Clears it again (once the child is traced, PTRACE_O_EXITKILL takes over).
void outlive_parent();

// SIGKILL to every child of capprof and a wait for each, again and again
// (the orphans of the killed ones become capprof's children in turn) until
// no child is left. Returns how many were reaped.
int kill_and_reap_children();

}  // namespace capprof
