#pragma once
// One trial as the run loop (run, minimize, check) sees it: a granted set
// in, the run's outcome and its classified findings out. On a host the
// trial is traced and classified here (HostTrialRunner, profiler/run/); with
// --image it is a fresh container whose own capprof traces and classifies
// inside, where the files and users live (profiler/image/).
#include <string>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"

namespace capprof {

struct TrialResult {
    RunResult result;
    std::vector<Finding> findings;   // aggregated and classified
};

class TrialRunner {
public:
    virtual ~TrialRunner() = default;
    virtual TrialResult run_trial(const RunSpec& spec) = 0;
};

}  // namespace capprof
