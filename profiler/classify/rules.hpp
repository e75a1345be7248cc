#pragma once
// The rule table: one row per way a syscall can fail a permission check, and
// what fixes it. classify() walks the rows in order and takes the first whose
// syscall, errno and predicate match; `capprof rules` prints the same rows.
// Most checks say EPERM or EACCES; a row naming another errno (ENOMEM for
// mlock over RLIMIT_MEMLOCK) also makes the tracer watch that pair.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "capprof/finding.hpp"
#include "capprof/runner.hpp"
#include "capprof/syscall_event.hpp"
#include "classify/context.hpp"

namespace capprof {

// What a predicate may look at: the event and the environment facts.
struct RuleInput {
    const SyscallEvent& event;
    const ClassifyContext& context;
};

using RulePredicate = bool (*)(const RuleInput&);

struct Rule {
    std::string_view id = {};
    // Space-separated syscall names; "*" matches every syscall.
    std::string_view syscalls = {};
    int err = 0;                          // EPERM, EACCES, 0 for either, or the errno the check reports
    std::string_view condition = {};      // the predicate, in words (capprof rules)
    RulePredicate when = nullptr;         // nullptr: always
    Verdict verdict = Verdict::capability;
    // Docker spelling, or a {placeholder} filled from the facts
    // ({dac_cap}, {file_cap}, {arg_cap}); empty for not-capability rows.
    std::string_view capability = {};
    std::vector<std::string_view> alternatives = {};
    std::string_view explanation = {};    // template: {port}, {path}, ... (see rule_facts)
    std::string_view fix = {};            // template
    std::vector<std::string_view> notes = {};  // templates; an empty expansion is dropped
    // Template of space-separated capabilities needed with `capability`
    // ({file_caps_together}, {capset_together}); empty for most rows.
    std::string_view together = {};
    // A silent denial: the call succeeded but did not take effect (the
    // tracer reports it with errno 0); such rows match nothing else.
    bool silent = false;
    // The kernel checks the capability in the parent of the task's user
    // namespace (uid_map): capabilities the task holds in its own namespace
    // neither explain nor excuse the failure.
    bool parent_namespace = false;
};

// The table, most specific rows first.
const std::vector<Rule>& rules();

// Capabilities whose absence never makes a syscall fail (the kernel silently
// ignores the request instead), with what happens: printed by `capprof rules`.
struct SilentCapability {
    std::string_view capability = {};
    std::string_view behaviour;
};
const std::vector<SilentCapability>& silent_capabilities();

// True when `rule` lists `syscall` (or "*") and accepts errno `err`.
bool rule_covers(const Rule& rule, std::string_view syscall, int err);

// Whether `err` is what a permission check usually says (EPERM, EACCES):
// a failure with another errno is a denial only when a row explains it.
bool is_denial_errno(int err);

// The (syscall, errno) pairs of the rows whose errno is neither EPERM nor
// EACCES: what the tracer must report besides those two.
std::vector<WatchedFailure> watched_failures();

// "ENOMEM"; the number when the C library has no name for it.
std::string errno_name(int err);

// Replaces each {name} in `text` by facts[name]; unknown names stay as typed.
std::string expand_template(std::string_view text, const std::map<std::string, std::string>& facts);

}  // namespace capprof
