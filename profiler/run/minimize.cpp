#include "run/minimize.hpp"

#include <linux/capability.h>

#include <cstdio>
#include <map>

#include "common/cap_names.hpp"
#include "classify/collector.hpp"
#include "report/report_render.hpp"
#include "run/trials.hpp"

namespace capprof {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string plural(int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Across runs: stopped if any run's stopped, else unknown if any, else
// carried-on; the first message and the first exit of a stopped process.
void merge_outcome(Finding& kept, const Finding& f) {
    if (!kept.message) kept.message = f.message;
    if (!kept.stopped_exit) kept.stopped_exit = f.stopped_exit;
    if (!f.outcome || kept.outcome == Outcome::stopped) return;
    if (!kept.outcome || f.outcome == Outcome::stopped || f.outcome == Outcome::unknown) kept.outcome = f.outcome;
}

// Findings of every exploration run, one per distinct failing call (first
// occurrence kept), so that a call failing in each run is reported once.
class FindingLog {
public:
    void add(const std::vector<Finding>& findings) {
        for (const auto& f : findings) {
            auto key = Collector::aggregation_key(f.event);
            auto it = index_.find(key);
            if (it == index_.end()) {
                index_.emplace(key, all_.size());
                all_.push_back(f);
                continue;
            }
            Finding& kept = all_[it->second];
            kept.count = std::max(kept.count, f.count);
            merge_outcome(kept, f);
            // A later run proved that the capability does not fix this call.
            if (f.verdict == Verdict::not_capability && kept.verdict != Verdict::not_capability) {
                SyscallEvent first = std::move(kept.event);
                std::uint64_t count = kept.count;
                kept = f;
                kept.event = std::move(first);
                kept.count = count;
            }
        }
    }
    std::vector<Finding>& all() { return all_; }

private:
    std::map<std::string, std::size_t> index_;
    std::vector<Finding> all_;
};

// What keeps the workload from succeeding when no new capability helps.
std::string describe_blocker(const RunOutcome& outcome, CapSet unfixed) {
    if (!outcome.result.started) return "the command could not be started";
    std::vector<std::string> causes;
    for (const auto& f : outcome.findings) {
        if (f.verdict != Verdict::not_capability && f.verdict != Verdict::unknown) continue;
        std::string where = f.event.name;
        if (f.event.path) where += " " + *f.event.path;
        causes.push_back(where + ": " + f.explanation);
    }
    std::string exit_text = outcome.result.probe_ok.has_value() && !*outcome.result.probe_ok
                                ? (outcome.result.readiness_check ? "the service never became ready"
                                                                  : "the probe never succeeded")
                                : "the workload exited " +
                                      std::to_string(outcome.result.exit.shell_code());
    if (unfixed)
        return exit_text + "; granting " + cap_names_text(unfixed) +
               " did not fix the calls that asked for it" +
               (causes.empty() ? "" : "; " + join(causes, "; "));
    if (!causes.empty())
        return exit_text + "; no capability fixes: " + join(causes, "; ");
    return exit_text + " and no denied call explains it (not a capability problem)";
}

}  // namespace

CapSet demote_unfixed(std::vector<Finding>& findings, CapSet granted) {
    CapSet unfixed = 0;
    for (auto& f : findings) {
        if (!asks_capability(f)) continue;
        auto cap = cap_from_name(*f.capability);
        if (!cap || !cap_has(granted, *cap)) continue;
        // Only some of the capabilities needed together: not yet a verdict.
        const CapSet needed = capabilities_of(f);
        if ((needed & granted) != needed) continue;
        unfixed |= cap_bit(*cap);
        f.explanation = "the call still failed with " + *f.capability +
                        " granted, so no capability fixes it" +
                        (f.explanation.empty() ? "" : " (first guess: " + f.explanation + ")");
        f.fix = "look for the real cause: immutable or append-only file, read-only "
                "mount, seccomp filter, security module, or a process that dropped "
                "its own capabilities";
        f.verdict = Verdict::not_capability;
        f.capability.reset();
        f.alternatives.clear();
        f.together.clear();
    }
    return unfixed;
}


CapSet host_wide_capabilities() {
    return cap_bit(CAP_SYS_BOOT) | cap_bit(CAP_SYS_MODULE) | cap_bit(CAP_SYS_TIME) | cap_bit(CAP_SYS_RAWIO);
}

namespace {

constexpr CapSet identity_caps = cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID);

// What a host-wide capability would do to the machine, for the blocker text.
std::string host_wide_effect(int cap) {
    switch (cap) {
        case CAP_SYS_BOOT: return "reboots the machine or loads a new kernel";
        case CAP_SYS_MODULE: return "loads and unloads kernel modules";
        case CAP_SYS_TIME: return "sets the system clock";
        default: return "reaches devices and I/O ports directly";
    }
}

// The loop: explore (grow the set from what failed runs ask for), verify
// (run once without each capability), then recommend and summarise.
class Minimizer {
public:
    Minimizer(TrialRunner& runner, const MinimizeOptions& options)
        : options_(options),
          trials_(runner, options.spec, options.expect_exit, options.grantable,
                  [this](const std::string& line) { progress(line); }, options.pass_all_output),
          held_(options.spec.granted) {
        result_.report.command = options.spec.argv;
        if (options.spec.user) result_.report.user = options.spec.user->text;
        trials_.hint_when_slow(options.slow_hint_seconds);
    }

    MinimizeResult run() {
        explore();
        if (working_ && !trials_.interrupted()) verify();
        if (auto signal = trials_.interrupted()) interrupted(*signal);
        recommend();
        summarise();
        result_.report.runs = trials_.take_records();
        set_trial_isolation(result_.report, options_.spec.isolation);
        return std::move(result_);
    }

private:
    void progress(const std::string& line) const {
        if (options_.progress) options_.progress(line);
    }

    // What a trial may hold: what capprof can grant, less the host-wide
    // capabilities the user did not allow.
    CapSet usable() const {
        return options_.grantable & ~(host_wide_capabilities() & ~options_.allowed_host_caps);
    }

    void explore() {
        const int max_runs = options_.max_runs > 0 ? options_.max_runs : cap_last_cap() + 1;
        for (int n = 1; n <= max_runs; ++n) {
            if (explore_once(n)) return;
            if (n == max_runs)
                result_.blocker = "still failing after " + plural(n, "run") + " (the limit)";
        }
    }

    // One exploration run; true when exploration is over.
    bool explore_once(int n) {
        const CapSet granted = held_;
        RunOutcome outcome = trials_.run(granted, n == 1 || options_.pass_all_output, "explore");
        ++explore_runs_;
        if (trials_.interrupted()) {
            set_run_statistics(result_.report, outcome.result);
            return true;
        }
        const CapSet unfixed = demote_unfixed(outcome.findings, granted);
        log_.add(outcome.findings);
        const CapSet wanted = outcome.success ? 0 : capabilities_asked(outcome.findings) & ~granted;
        progress(progress_line("run " + std::to_string(n), held_text(previous_, granted, n == 1),
                               run_status(outcome, wanted & usable(), unfixed), outcome.result.seconds));
        if (outcome.success && trials_.runs_as_intended(granted, outcome)) {
            working_ = std::move(outcome);
            return true;
        }
        if (trials_.interrupted()) {  // during the reference run
            set_run_statistics(result_.report, outcome.result);
            return true;
        }
        // Working, but its processes did not become the users they become
        // when they may switch: the switch itself is what it needs.
        const CapSet asks = outcome.success ? identity_caps & ~granted : wanted;
        if (outcome.success)
            result_.report.notes.push_back(
                "without " + cap_names_text(asks) + " the workload's processes ran as other users than "
                "when it may switch users, although no call reported an error (" + trials_.last_difference() +
                "): its privilege drop needs them");
        note_untried(asks & ~usable());
        const CapSet new_caps = asks & usable();
        if (!new_caps) {
            result_.blocker = blocker_for(outcome, unfixed, asks & ~usable());
            set_run_statistics(result_.report, outcome.result);
            result_.report.granted = granted;
            return true;
        }
        previous_ = held_;
        held_ |= new_caps;
        learned_ |= new_caps;
        return false;
    }

    std::string blocker_for(const RunOutcome& outcome, CapSet unfixed, CapSet untried) const {
        std::string text = describe_blocker(outcome, unfixed);
        if (!untried) return text;
        text = "it still fails, and what it asks for next cannot be tried here: ";
        for (const UntriedCapability& u : result_.report.untried)
            if (cap_has(untried, u.cap)) text += cap_name(u.cap) + " (" + u.reason + "); ";
        return text.substr(0, text.size() - 2);
    }

    void note_untried(CapSet caps) {
        for (int cap : caps_in(caps & ~untried_)) {
            untried_ |= cap_bit(cap);
            std::string reason =
                cap_has(options_.grantable, cap)
                    ? "acts on the whole host (" + host_wide_effect(cap) + "), isolated trial or not: "
                      "minimize tries it only with --allow-host-cap " + cap_name(cap)
                : options_.cannot_grant.count(cap)
                    ? options_.cannot_grant.at(cap)
                    : "capprof's own bounding set lacks it (CapBnd in /proc/self/status), so no trial can "
                      "hold it here";
            result_.report.untried.push_back({cap, std::move(reason)});
        }
    }

    void verify() {
        minimal_ = held_;
        const RunOutcome* final_run = &*working_;
        const double before = trials_.seconds();
        const CapSet dropped = trials_.without_each(
            held_, /*greedy=*/true, options_.pass_all_output,
            [this](CapSet granted) { return trials_.may_switch_users(granted); },
            [this](int, bool, const RunOutcome&) { ++checks_; });
        if (trials_.interrupted()) return;
        minimal_ &= ~dropped;
        if (held_) {
            std::string what = "verify without " + cap_names_text(held_, " / ") + ": ";
            what += dropped ? "not needed: " + cap_names_text(dropped) : "each fails";
            progress(progress_line(what, "", "", trials_.seconds() - before));
        }
        std::optional<RunOutcome> reverified;
        if (dropped) {
            RunOutcome outcome = trials_.run(minimal_, options_.pass_all_output, "re-verify");
            ++checks_;
            const bool works = outcome.success && trials_.runs_as_intended(minimal_, outcome);
            progress(progress_line("re-verify", cap_names_text(minimal_), run_status(outcome, 0, 0),
                                   outcome.result.seconds));
            if (works) {
                reverified = std::move(outcome);
                final_run = &*reverified;
            } else {
                minimal_ = held_;  // not monotonic or flaky: keep the set seen working
            }
        }
        // Without isolation, a capability that a failed run needed and
        // verification found unnecessary may have been needed only until an
        // earlier run changed the state (nginx creates its temp directories
        // and chowns them once). Isolated trials all start fresh, as
        // containers do: there verification alone decides.
        if (!working_->result.isolated) state_dependent_ = dropped & learned_ & ~minimal_;
        result_.found = true;
        set_run_statistics(result_.report, final_run->result);
    }

    // capprof was interrupted (Ctrl-C, SIGTERM): the set seen working, if
    // any, is not verified; the report is partial and says so.
    void interrupted(int signal) {
        result_.found = false;
        minimal_ = held_;
        result_.report.interrupted = signal;
        result_.blocker = "interrupted by " + signal_name(signal) + ": the run in progress was killed and no "
                          "further run made";
        if (working_) set_run_statistics(result_.report, working_->result);
    }

    void recommend() {
        Report& report = result_.report;
        auto& findings = log_.all();
        const CapSet asked = capabilities_asked(findings);
        if (result_.found) {
            report.granted = minimal_;
            report.cap_add = minimal_;
            report.optional = asked & ~minimal_;
        } else {
            // What the workload needs as far as it got: what it held and
            // what its failures asked for, tried or not.
            report.cap_add = (held_ | untried_) & asked;
        }
        report.success = result_.found;
        for (auto& f : findings) mark_required(f);
        report.findings = std::move(findings);
    }

    void mark_required(Finding& f) const {
        const Report& report = result_.report;
        if (!asks_capability(f)) {
            f.required = !result_.found;
            return;
        }
        auto cap = cap_from_name(*f.capability);
        f.required = fixed_by(f, report.cap_add);
        if (!result_.found || !cap) return;
        if (cap_has(untried_, *cap))
            f.notes.push_back("capprof could not try " + *f.capability + " here, and the workload worked "
                              "without it");
        else if (cap_has(state_dependent_, *cap))
            f.notes.push_back("the workload failed without " + *f.capability + " in an early run but not "
                              "once earlier runs had changed the state: it may be needed only to set things "
                              "up on a fresh start; the trials were not isolated (--no-isolate), so run "
                              "minimize with isolation to tell");
        else if (cap_has(report.optional, *cap))
            f.notes.push_back("the workload succeeded without " + *f.capability +
                              ": it carried on after this call failed (fallback or warning only)");
    }

    void summarise() {
        const Report& report = result_.report;
        std::string counts =
            plural(explore_runs_, "run") + " + " + plural(checks_ + trials_.references(), "check");
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.1f s", trials_.seconds());
        if (!result_.found) {
            progress((report.interrupted ? "" : "no working set: ") + result_.blocker + "  (" + counts + ", " +
                     secs + ")");
            return;
        }
        std::string line = "minimal: " + cap_names_text(report.cap_add) + "  (" + counts + ", " + secs + ")";
        if (const CapSet optional = report.optional & ~state_dependent_ & ~untried_)
            line += "  optional: " + cap_names_text(optional);
        if (state_dependent_)
            line += "  possibly needed on a fresh start (trials not isolated): " + cap_names_text(state_dependent_);
        if (const CapSet untried = untried_ & report.optional)
            line += "  not tried here (worked without): " + cap_names_text(untried);
        progress(line);
    }

    const MinimizeOptions& options_;
    Trials trials_;
    MinimizeResult result_;
    FindingLog log_;
    CapSet held_;
    CapSet previous_ = 0;
    CapSet learned_ = 0;          // added because a failed run asked for them
    CapSet untried_ = 0;          // asked for, but not grantable or host-wide
    CapSet minimal_ = 0;
    CapSet state_dependent_ = 0;  // fatal once, then not needed (see verify())
    int explore_runs_ = 0;
    int checks_ = 0;
    std::optional<RunOutcome> working_;  // the exploration run that succeeded
};

}  // namespace

MinimizeResult minimize(TrialRunner& trials, const MinimizeOptions& options) {
    return Minimizer(trials, options).run();
}

MinimizeResult minimize(Runner& runner, const MinimizeOptions& options) {
    HostTrialRunner host(runner);
    return minimize(host, options);
}

}  // namespace capprof
