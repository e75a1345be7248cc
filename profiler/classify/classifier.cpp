// classify(): a pure function of (event, context). The first matching row of
// the rule table decides; a few facts about the task then refine the answer
// (a capability it already held cannot be what is missing).
#include "classify/classifier.hpp"

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "common/cap_names.hpp"
#include "classify/privilege_drop.hpp"
#include "classify/rule_predicates.hpp"
#include "classify/rules.hpp"

namespace capprof {

namespace {

Finding from_rule(const Rule& rule, const SyscallEvent& event, const std::map<std::string, std::string>& facts) {
    Finding f;
    f.verdict = rule.verdict;
    f.rule = std::string(rule.id);
    f.event = event;
    if (std::string capability = expand_template(rule.capability, facts);
        !capability.empty() && capability.front() != '{')
        f.capability = capability;
    for (auto alt : rule.alternatives) {
        std::string name = expand_template(alt, facts);
        if (name.empty() || name.front() == '{' || name == f.capability) continue;
        if (std::find(f.alternatives.begin(), f.alternatives.end(), name) == f.alternatives.end())
            f.alternatives.push_back(name);
    }
    std::istringstream together(expand_template(rule.together, facts));
    for (std::string name; together >> name;)
        if (name.front() != '{' && name != f.capability) f.together.push_back(name);
    f.explanation = expand_template(rule.explanation, facts);
    f.fix = expand_template(rule.fix, facts);
    for (auto note : rule.notes)
        if (std::string text = expand_template(note, facts); !text.empty()) f.notes.push_back(text);
    return f;
}

Finding unknown_finding(const SyscallEvent& event, const ClassifyContext& context,
                        const std::map<std::string, std::string>& facts) {
    Finding f;
    f.verdict = Verdict::unknown;
    f.rule = "unknown";
    f.event = event;
    f.explanation = expand_template("no rule explains {syscall}({args}) failing with {errno}", facts);
    f.fix = "check the kernel log and audit log (dmesg, ausearch) for a denial at that time";
    if (!context.lsms.empty()) f.notes.push_back("active security modules: " + facts.at("lsms"));
    return f;
}

bool holds(const TaskInfo& task, const std::string& name, bool ambient_raise) {
    auto cap = cap_from_name(name);
    if (!cap) return false;
    if (ambient_raise) return cap_has(task.cap_prm, *cap) && cap_has(task.cap_inh, *cap);
    return cap_has(task.cap_eff, *cap);
}

// A capability the task already held (or held only inside its own user
// namespace) cannot be what the call was missing.
// A rule checked in the parent user namespace (parent_namespace) is exempt:
// there the task's own namespace and what it holds inside are the point.
void refine(Finding& f, const Rule& rule, const SyscallEvent& event, const ClassifyContext& context,
            const std::map<std::string, std::string>& facts) {
    if (f.verdict != Verdict::capability && f.verdict != Verdict::file_permission) return;
    const std::string cap = f.capability.value_or("");
    if (!context.same_userns && f.verdict == Verdict::capability && !rule.parent_namespace) {
        f.explanation = "the task runs in a user namespace of its own: capabilities held there do not reach "
                        "objects of the initial namespace (" + f.explanation + ")";
        f.fix = "make this call before creating the user namespace, or act only on namespaces the program "
                "created";
        f.verdict = Verdict::not_capability;
        f.rule += "/user-namespace";
        f.capability.reset();
        f.alternatives.clear();
        f.together.clear();
        return;
    }
    if (!cap.empty() && !rule.parent_namespace && holds(event.task, cap, f.rule == "ambient-raise")) {
        std::string why = "the call failed although the task held " + cap;
        if (event.task.seccomp != 0)
            why += "; it runs under a seccomp filter (Seccomp: " + facts.at("seccomp") +
                   "), which most likely refused it";
        else if (!context.lsm_label.empty() && context.lsm_label.find("unconfined") == std::string::npos)
            why += "; an LSM confines it (" + facts.at("lsm_label") + ")";
        else
            why += ": something other than a capability check refused it";
        f.explanation = why + " (" + f.explanation + ")";
        f.fix = event.task.seccomp != 0 ? expand_template("allow {syscall} in the seccomp profile", facts)
                                        : "look for the refusing policy (dmesg, audit log)";
        f.verdict = Verdict::not_capability;
        f.rule += "/held";
        f.capability.reset();
        f.alternatives.clear();
        f.together.clear();
        return;
    }
    if (event.task.seccomp != 0)
        f.notes.push_back("the task runs under a seccomp filter (Seccomp: " + facts.at("seccomp") +
                          "); if " + (cap.empty() ? std::string("this") : cap) +
                          " does not help, the filter refuses the call");
    if (cap == "NET_BIND_SERVICE" && !context.same_netns)
        f.notes.push_back("the task has its own network namespace; its ip_unprivileged_port_start may differ "
                          "from the " + facts.at("port_start") + " capprof read");
}

// A denied privilege drop asks for its capability whatever happens next.
void mark_privilege_drop(Finding& f, const SyscallEvent& event) {
    if (f.verdict != Verdict::capability || !is_privilege_drop(event)) return;
    f.privilege_drop = true;
    const bool group = f.capability == "SETGID";
    f.explanation += std::string("; a failed privilege drop is required whatever the program does next: "
                                 "otherwise it keeps running ") +
                     (group ? "in group 0" : "as root") +
                     " (without capabilities, uid 0 still owns every root-owned file)";
}

}  // namespace

Finding classify(const SyscallEvent& event, const ClassifyContext& context) {
    const RuleInput input{event, context};
    const auto facts = rule_facts(input);
    for (const Rule& rule : rules()) {
        if (!rule_covers(rule, event.name, event.err)) continue;
        if (rule.when && !rule.when(input)) continue;
        Finding f = from_rule(rule, event, facts);
        refine(f, rule, event, context, facts);
        mark_privilege_drop(f, event);
        return f;
    }
    return unknown_finding(event, context, facts);
}

bool is_denial(const Finding& finding) {
    return finding.verdict != Verdict::unknown || is_denial_errno(finding.event.err);
}

}  // namespace capprof
