#include "run/trials.hpp"

#include <linux/capability.h>

#include <algorithm>
#include <atomic>
#include <iterator>

#include "common/cap_names.hpp"
#include "capprof/escape.hpp"
#include "run/minimize.hpp"
#include "run/slow_run_hint.hpp"

namespace capprof {

namespace {

constexpr CapSet identity_caps = cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID);

std::string identities_text(const std::vector<ProcessIdentity>& identities) {
    std::string text;
    for (const auto& id : identities) {
        if (!text.empty()) text += ", ";
        text += escape_string(id.exe.empty() ? "?" : id.exe, 256) + " as " + std::to_string(id.euid) + ":" +
                std::to_string(id.egid);
    }
    return text.empty() ? "none" : text;
}

std::vector<ProcessIdentity> only_in(const std::vector<ProcessIdentity>& a, const std::vector<ProcessIdentity>& b) {
    std::vector<ProcessIdentity> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

}  // namespace

std::string identity_difference(const std::vector<ProcessIdentity>& run,
                                const std::vector<ProcessIdentity>& reference) {
    return "only in this run: " + identities_text(only_in(run, reference)) +
           "; only in the reference: " + identities_text(only_in(reference, run));
}

Trials::Trials(TrialRunner& runner, RunSpec base, int expect_exit, CapSet grantable, Progress progress,
               bool show_all_output)
    : runner_(runner), base_(std::move(base)), expect_exit_(expect_exit), grantable_(grantable),
      progress_(std::move(progress)), show_all_output_(show_all_output) {
    base_.record_identities = true;
}

RunOutcome Trials::run(CapSet granted, bool show_output, const std::string& purpose) {
    RunSpec spec = base_;
    spec.granted = granted;
    spec.quiet_output = base_.quiet_output || !show_output;
    if (interrupted_) {
        RunOutcome none;
        none.result.started = false;
        none.result.interrupted = interrupted_;
        return none;
    }
    RunOutcome outcome = run_hinted(spec);
    if (outcome.result.interrupted) {
        interrupted_ = outcome.result.interrupted;
        outcome.findings.clear();
        records_.push_back(make_run_record(spec, outcome, 0, purpose + " (interrupted)"));
        seconds_ += outcome.result.seconds;
        return outcome;
    }
    records_.push_back(make_run_record(spec, outcome, capabilities_asked(outcome.findings) & ~granted, purpose));
    seconds_ += outcome.result.seconds;
    identities_.try_emplace(granted, outcome.success ? std::optional(outcome.result.identities) : std::nullopt);
    return outcome;
}

RunOutcome Trials::run_hinted(const RunSpec& spec) {
    if (hint_after_ <= 0 || hinted_ || spec.probe || spec.duration || !progress_)
        return run_once(runner_, spec, expect_exit_);
    std::atomic<bool> said{false};
    RunOutcome outcome;
    {
        SlowRunHint hint(hint_after_, [&] {
            said = true;
            progress_(slow_run_hint_text(hint_after_));
        });
        outcome = run_once(runner_, spec, expect_exit_);
    }
    hinted_ = said;
    return outcome;
}

CapSet Trials::may_switch_users(CapSet granted) const { return granted | (identity_caps & grantable_); }

bool Trials::runs_as_intended(CapSet granted, const RunOutcome& outcome) {
    return same_users_as(may_switch_users(granted), granted, outcome);
}

bool Trials::same_users_as(CapSet reference, CapSet granted, const RunOutcome& outcome) {
    if (interrupted_) return false;  // nothing works after an interrupt
    if (reference == granted) return true;
    auto known = identities_.find(reference);
    if (known == identities_.end()) {
        RunOutcome run_as_reference = run(reference, show_all_output_, "reference: may switch users");
        ++references_;
        if (interrupted_) return false;
        if (progress_)
            progress_(progress_line("reference", cap_names_text(reference),
                                    run_as_reference.success ? "works: compares users" : "failed: no comparison",
                                    run_as_reference.result.seconds));
        known = identities_.find(reference);
    }
    if (!known->second) return true;
    if (outcome.result.identities == *known->second) return true;
    last_difference_ = identity_difference(outcome.result.identities, *known->second);
    if (progress_)
        progress_("  its processes ran as other users than with " + cap_names_text(reference) + " (" +
                  last_difference_ + ")");
    return false;
}

CapSet Trials::without_each(CapSet set, bool greedy, bool show_output,
                            const std::function<CapSet(CapSet)>& reference_of, const EachRun& each) {
    CapSet not_needed = 0;
    for (int cap : caps_in(set)) {
        const CapSet granted = (greedy ? set & ~not_needed : set) & ~cap_bit(cap);
        RunOutcome outcome = run(granted, show_output, "without " + cap_name(cap));
        if (interrupted_) break;
        const bool works = outcome.success && same_users_as(reference_of(granted), granted, outcome);
        if (interrupted_) break;
        if (works) not_needed |= cap_bit(cap);
        if (each) each(cap, works, outcome);
    }
    return not_needed;
}

}  // namespace capprof
