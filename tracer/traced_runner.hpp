#pragma once
// Runner implemented with the ptrace tracer: launches the workload like
// `docker run --cap-drop ALL --cap-add <granted>` and traces it to the end.
#include <memory>

#include "capprof/runner.hpp"
#include "trial_isolation.hpp"

namespace capprof {

class SignalRelay;

class TracedRunner : public Runner {
public:
    TracedRunner();
    ~TracedRunner() override;

    // Throws UserError: command not found (127), not executable (126),
    // ptrace not permitted (125). Returns only once every process the run
    // started is gone (run_containment.hpp).
    RunResult run(const RunSpec& spec, EventSink& sink) override;
    std::vector<std::string> syscall_names() const override;

private:
    TrialIsolation isolation_;  // the trial store, for the whole process
    // capprof's signal handling, from the first run until the runner goes:
    // a Ctrl-C between two trials of minimize is not lost.
    std::unique_ptr<SignalRelay> signals_;
};

}  // namespace capprof
