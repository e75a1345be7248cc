#pragma once
// Whether runs get a fresh copy-on-write view of the host, for one capprof
// process (RunSpec::isolation): opens the trial store on the first run that
// asks for it, tries a trial once before trusting it, remembers why it
// cannot and says so once.
#include <memory>
#include <optional>
#include <string>

#include "capprof/runner.hpp"
#include "trial_sandbox.hpp"
#include "trial_store.hpp"

namespace capprof {

class TrialIsolation {
public:
    TrialIsolation() = default;
    ~TrialIsolation();
    TrialIsolation(const TrialIsolation&) = delete;
    TrialIsolation& operator=(const TrialIsolation&) = delete;

    // The sandbox for this run, or nullptr when it runs on the host;
    // `not_isolated` then says why when isolation was asked for. Throws
    // UserError (exit 125) when it is required and cannot be set up.
    std::unique_ptr<TrialSandbox> prepare(const RunSpec& spec, std::string& not_isolated);

private:
    void open_store();

    std::unique_ptr<TrialStore> store_;
    std::optional<std::string> unavailable_;
    bool swept_ = false;
    bool warned_ = false;
};

// The directory the workload starts in: capprof's own.
std::string current_directory();

}  // namespace capprof
