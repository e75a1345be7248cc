#include "minimize.hpp"

#include <bit>
#include <cstdio>
#include <map>
#include <sstream>

#include "cap_names.hpp"
#include "collector.hpp"

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

std::string names_or_none(CapSet set) {
    return set ? join(cap_names(set), " ") : "none";
}

std::string plural(int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
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
                                ? "the probe never succeeded"
                                : "the workload exited " +
                                      std::to_string(outcome.result.exit.shell_code());
    if (unfixed)
        return exit_text + "; granting " + names_or_none(unfixed) +
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

std::string progress_line(const std::string& label, const std::string& shown_held,
                          const std::string& status, double seconds) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", seconds);
    // Columns of DESIGN.md's example: status at 41, seconds at 70.
    auto pad_to = [](std::string& line, std::size_t column) {
        line += line.size() < column ? std::string(column - line.size(), ' ') : " ";
    };
    std::string line = label;
    if (!shown_held.empty()) {
        line += "  held: " + shown_held;
        pad_to(line, 41);
    } else if (!status.empty()) {
        pad_to(line, 41);
    }
    line += status;
    pad_to(line, 70);
    return line + secs;
}

std::string held_text(CapSet previous, CapSet held, bool first) {
    if (first || previous == 0 || (held & previous) != previous || held == previous)
        return names_or_none(held);
    return "+" + join(cap_names(held & ~previous), " +");
}

std::string run_status(const RunOutcome& outcome, CapSet new_caps, CapSet unfixed) {
    const RunResult& r = outcome.result;
    if (outcome.success)
        return r.probe_ok.has_value() ? "probe ok" : "exit " + std::to_string(r.exit.shell_code());
    std::string status = "failed  ";
    if (!r.started) return status + "(could not start)";
    if (new_caps) return status + names_or_none(new_caps);
    if (unfixed) return status + names_or_none(unfixed) + " did not help";
    if (r.probe_ok.has_value() && !*r.probe_ok) return status + "(probe failed)";
    if (r.exit.signal) return status + "(signal " + std::to_string(*r.exit.signal) + ")";
    return status + "(exit " + std::to_string(r.exit.code) + ")";
}

MinimizeResult minimize(Runner& runner, const MinimizeOptions& options) {
    auto progress = [&](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    const int max_runs = options.max_runs > 0 ? options.max_runs : cap_last_cap() + 1;

    MinimizeResult result;
    Report& report = result.report;
    report.command = options.spec.argv;
    if (options.spec.user) report.user = options.spec.user->text;

    FindingLog log;
    CapSet held = options.spec.granted;
    CapSet previous = 0;
    double total_seconds = 0;
    int explore_runs = 0;
    std::optional<RunOutcome> working;   // the exploration run that succeeded
    CapSet learned = 0;                  // added because a failed run asked for them
    CapSet state_dependent = 0;          // fatal once, then not needed (see below)

    auto record = [&](const RunSpec& spec, const RunOutcome& outcome, CapSet missing,
                      std::string purpose) {
        report.runs.push_back(make_run_record(spec, outcome, missing, std::move(purpose)));
        total_seconds += outcome.result.seconds;
    };
    auto run_with = [&](CapSet granted, bool pass_output) {
        RunSpec spec = options.spec;
        spec.granted = granted;
        spec.quiet_output = options.spec.quiet_output || !pass_output;
        return std::pair{spec, run_once(runner, spec, options.expect_exit)};
    };

    // Exploration: add what each failed run asked for.
    for (int n = 1; n <= max_runs; ++n) {
        auto [spec, outcome] = run_with(held, n == 1 || options.pass_all_output);
        ++explore_runs;
        CapSet unfixed = demote_unfixed(outcome.findings, held);
        log.add(outcome.findings);
        CapSet asked = capabilities_asked(outcome.findings);
        CapSet new_caps = outcome.success ? 0 : asked & ~held;
        record(spec, outcome, asked & ~held, "explore");
        progress(progress_line("run " + std::to_string(n), held_text(previous, held, n == 1),
                               run_status(outcome, new_caps, unfixed), outcome.result.seconds));
        if (outcome.success) {
            working = std::move(outcome);
            break;
        }
        if (!new_caps) {
            result.blocker = describe_blocker(outcome, unfixed);
            working.reset();
            set_run_statistics(report, outcome.result);
            break;
        }
        if (CapSet out_of_reach = new_caps & ~options.grantable) {
            // Granting it is impossible here, and re-running without it would
            // only repeat this run (root on some hosts lacks SYS_RESOURCE).
            result.blocker = "needs " + names_or_none(out_of_reach) +
                             ", which capprof cannot grant here: its own bounding set lacks "
                             "it (CapBnd in /proc/self/status)";
            held |= new_caps;
            report.exit = outcome.result.exit;
            break;
        }
        previous = held;
        held |= new_caps;
        learned |= new_caps;
        if (n == max_runs)
            result.blocker = "still failing after " + plural(n, "run") +
                             " (the limit); last run asked for " + names_or_none(new_caps);
    }

    CapSet minimal = held;
    int checks = 0;
    if (working) {
        const RunOutcome* final_run = &*working;
        std::optional<RunOutcome> reverified;
        // Verification: each capability must be needed (its removal must fail).
        CapSet dropped = 0;
        std::vector<std::string> needed;
        double verify_seconds = 0;
        for (int cap = 0; cap < 64; ++cap) {
            if (!cap_has(held, cap)) continue;
            auto [spec, outcome] = run_with(minimal & ~cap_bit(cap), options.pass_all_output);
            ++checks;
            verify_seconds += outcome.result.seconds;
            record(spec, outcome, capabilities_asked(outcome.findings) & ~spec.granted,
                   "without " + cap_name(cap));
            if (outcome.success) {
                minimal &= ~cap_bit(cap);
                dropped |= cap_bit(cap);
            } else {
                needed.push_back(cap_name(cap));
            }
        }
        if (checks > 0) {
            std::string what = "verify without " + join(cap_names(held), " / ") + ": ";
            what += dropped ? "not needed: " + names_or_none(dropped) : "each fails";
            progress(progress_line(what, "", "", verify_seconds));
        }
        if (dropped) {
            auto [spec, outcome] = run_with(minimal, options.pass_all_output);
            ++checks;
            record(spec, outcome, capabilities_asked(outcome.findings) & ~spec.granted,
                   "re-verify");
            progress(progress_line("re-verify", names_or_none(minimal),
                                   run_status(outcome, 0, 0), outcome.result.seconds));
            if (outcome.success) {
                reverified = std::move(outcome);
                final_run = &*reverified;
            } else {
                // Not monotonic or flaky: keep the set that was seen working.
                minimal = held;
            }
        }
        // A capability that a failed run needed and verification found
        // unnecessary was needed only until an earlier run changed the state
        // (nginx creates its temp directories and chowns them once).
        state_dependent = dropped & learned & ~minimal;
        result.found = true;
        set_run_statistics(report, final_run->result);
    }

    // The recommendation and the status of each finding.
    auto& findings = log.all();
    report.granted = minimal;
    report.success = result.found;
    report.cap_add = result.found ? minimal : minimal & capabilities_asked(findings);
    report.optional = result.found ? capabilities_asked(findings) & ~minimal : 0;
    for (auto& f : findings) {
        if (asks_capability(f)) {
            auto cap = cap_from_name(*f.capability);
            f.required = fixed_by(f, report.cap_add);
            if (result.found && cap && cap_has(state_dependent, *cap))
                f.notes.push_back(
                    "the workload failed without " + *f.capability + " on a fresh start, but "
                    "not once an earlier run had done this (created or changed the file): "
                    "needed only to set things up; profile the image in the state you ship");
            else if (result.found && cap && cap_has(report.optional, *cap))
                f.notes.push_back("the workload succeeded without " + *f.capability +
                                  ": it carried on after this call failed (fallback or "
                                  "warning only)");
        } else {
            f.required = !result.found;
        }
    }
    report.findings = std::move(findings);

    std::string counts = plural(explore_runs, "run") + " + " + plural(checks, "check");
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", total_seconds);
    if (result.found) {
        std::string line = "minimal: " + names_or_none(report.cap_add) + "  (" + counts + ", " +
                           secs + ")";
        if (report.optional & ~state_dependent)
            line += "  optional: " + names_or_none(report.optional & ~state_dependent);
        if (state_dependent)
            line += "  needed only on a fresh start: " + names_or_none(state_dependent);
        progress(line);
    } else {
        progress("no working set: " + result.blocker + "  (" + counts + ", " + secs + ")");
    }
    set_trial_isolation(report, options.spec.isolation);
    return result;
}

}  // namespace capprof
