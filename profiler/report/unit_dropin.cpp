#include "report/unit_dropin.hpp"

#include <algorithm>

#include "common/cap_names.hpp"
#include "report/formats.hpp"

namespace capprof {

namespace {

// A comment stays on its line: control bytes of the workload's strings
// (already escaped by the tracer, but paths and comm may hold them) become '?'.
std::string escape_for_terminal(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    return text;
}

// The first finding that asks for `cap` (a capability, or file-permission
// finding naming it), preferring those that stopped a process.
const Finding* finding_for(const Report& report, int cap) {
    const Finding* found = nullptr;
    const std::string name = cap_name(cap);
    for (const Finding& finding : report.findings) {
        if (!finding.capability) continue;
        const bool asks = *finding.capability == name ||
                          std::find(finding.together.begin(), finding.together.end(), name) != finding.together.end();
        if (!asks || finding.verdict == Verdict::not_capability || finding.verdict == Verdict::unknown) continue;
        if (!found || (finding.required && !found->required)) found = &finding;
    }
    return found;
}

// "# CAP_NET_BIND_SERVICE: bind(6, {AF_INET, 0.0.0.0:80}, 16) by nginx (pid 12, ExecStart=...)"
std::string capability_comment(const Report& report, int cap) {
    std::string line = "# CAP_" + cap_name(cap) + ": ";
    const Finding* finding = finding_for(report, cap);
    if (!finding) return line + "granted to the run (--cap-add/--allow); no call was seen failing without it\n";
    const SyscallEvent& e = finding->event;
    std::string call = e.name + "(" + e.args_text + ")";
    if (call.size() > 120) call = call.substr(0, 117) + "...";
    line += call + " by " + e.task.comm + " (pid " + std::to_string(e.task.pid) + ")";
    if (!finding->step.empty()) line += " in " + finding->step.substr(0, finding->step.find('='));
    // The workload's bytes must not break the comment onto a new line.
    return escape_for_terminal(line) + "\n";
}

std::string capability_list(CapSet set) {
    std::string out;
    for (const auto& name : cap_names(set)) out += (out.empty() ? "" : " ") + ("CAP_" + name);
    return out;
}

}  // namespace

std::string unit_needs_privilege_escalation(const Report& report) {
    for (const auto& f : report.findings)
        if (f.event.name == "execve" || f.event.name == "execveat")
            return "a program it executes has file capabilities or a set-user-ID bit (execve failed)";
    for (const auto& ignored : report.ignored_privileges)
        return ignored.exe + " has " + (ignored.file_caps ? "file capabilities" : "a set-user-ID/set-group-ID bit");
    return "";
}

std::string render_unit_dropin(const Report& report) {
    const UnitSummary& unit = *report.unit;
    std::string out = "# capprof: " + std::string(report.success ? "" : "INCOMPLETE (the service never started) ") +
                      "capabilities for " + unit.name + " (" + unit.path + ")\n";
    out += "# install: sudo SYSTEMD_EDITOR=tee systemctl edit " + shell_quote(unit.name) +
           " < THIS_FILE && sudo systemctl restart " + shell_quote(unit.name) + "\n";
    for (const auto& setting : unit.not_emulated)
        out += "# not emulated while profiling: " + escape_for_terminal(setting) + "\n";
    if (report.optional)
        out += "# optional (denied, the service worked without): " + capability_list(report.optional) + "\n";
    out += "[Service]\n";
    for (int cap = 0; cap < 64; ++cap)
        if (cap_has(report.cap_add, cap)) out += capability_comment(report, cap);
    // The empty assignment resets what the unit set before (systemd.exec(5)):
    // the next line is then the whole bounding set.
    out += "CapabilityBoundingSet=\n";
    if (report.cap_add) out += "CapabilityBoundingSet=" + capability_list(report.cap_add) + "\n";
    if (unit.non_root) {
        out += "# User=" + escape_for_terminal(unit.user.value_or("")) +
               " is not root: it holds capabilities only as ambient ones\n";
        out += "AmbientCapabilities=\n";
        if (report.cap_add) out += "AmbientCapabilities=" + capability_list(report.cap_add) + "\n";
    }
    const std::string escalation = unit_needs_privilege_escalation(report);
    if (escalation.empty()) out += "NoNewPrivileges=yes\n";
    else out += "# no NoNewPrivileges=yes: " + escape_for_terminal(escalation) + "\n";
    return out;
}

std::string unit_install_commands(const Report& report) {
    const std::string name = shell_quote(report.unit->name);
    return "sudo SYSTEMD_EDITOR=tee systemctl edit " + name + " <<'CAPPROF_EOF'\n" + render_unit_dropin(report) +
           "CAPPROF_EOF\nsudo systemctl restart " + name + "\n";
}

}  // namespace capprof
