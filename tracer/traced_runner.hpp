#pragma once
// Runner implemented with the ptrace tracer: launches the workload like
// `docker run --cap-drop ALL --cap-add <granted>` and traces it to the end.
#include "capprof/runner.hpp"
#include "trial_isolation.hpp"

namespace capprof {

class TracedRunner : public Runner {
public:
    // Throws UserError: command not found (127), not executable (126),
    // ptrace not permitted (125).
    RunResult run(const RunSpec& spec, EventSink& sink) override;
    std::vector<std::string> syscall_names() const override;

private:
    TrialIsolation isolation_;  // the trial store, for the whole process
};

}  // namespace capprof
