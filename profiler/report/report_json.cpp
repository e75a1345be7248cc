#include <string.h>

#include "capprof/escape.hpp"
#include "common/cap_names.hpp"
#include "report/file_caps_answer.hpp"
#include "report/pod_security.hpp"
#include "report/report_render.hpp"
#include "report/unit_dropin.hpp"

namespace capprof {

namespace {

// Built for both nlohmann::json (to_json) and ordered_json (render_json, so
// the file lists the fields in docs/ARCHITECTURE.md's order).
template <typename json>
json optional_string(const std::optional<std::string>& value) {
    return value ? json(*value) : json(nullptr);
}

// "code" is what a shell reports ($?): 128+N when killed by signal N.
template <typename json>
json exit_json(const ExitStatus& exit) {
    return json{{"code", exit.shell_code()},
                {"signal", exit.signal ? json(*exit.signal) : json(nullptr)}};
}

const char* arch_name(Arch arch) {
    switch (arch) {
        case Arch::x86_64: return "x86_64";
        case Arch::i386: return "i386";
        case Arch::x32: return "x32";
        default: return "unknown";
    }
}

template <typename json>
json finding_json(const Finding& finding) {
    const SyscallEvent& e = finding.event;
    const char* errno_text = ::strerrorname_np(e.err);
    json out = {
        {"verdict", verdict_name(finding.verdict)},
        {"capability", optional_string<json>(finding.capability)},
        {"alternatives", finding.alternatives},
        {"required", finding.required},
        {"syscall", e.name},
        // null: a silent denial (the call succeeded, the kernel dropped what it asked)
        {"errno", e.err == 0 ? json(nullptr) : json(errno_text ? errno_text : std::to_string(e.err))},
        {"pid", e.task.pid},
        {"comm", e.task.comm},
        {"exe", e.task.exe},
        {"args", e.args_text},
        {"path", optional_string<json>(e.path)},
        {"count", finding.count},
        {"explanation", finding.explanation},
        {"fix", finding.fix},
        // additions to the documented fields
        {"outcome", finding.outcome ? json(outcome_name(*finding.outcome)) : json(nullptr)},
        {"message", finding.message ? json(escape_message(*finding.message)) : json(nullptr)},
        {"notes", finding.notes},
        {"together", finding.together},
        {"rule", finding.rule},
        {"privilege_drop", finding.privilege_drop},
        {"tid", e.task.tid},
        {"uid", e.task.euid},
        {"path2", optional_string<json>(e.path2)},
        {"folded", finding.folded},
        {"nr", e.nr},
        {"arch", arch_name(e.arch)},
        {"step", finding.step.empty() ? json(nullptr) : json(finding.step)},
    };
    if (finding.stopped_exit) out["stopped_exit"] = exit_json<json>(*finding.stopped_exit);
    if (finding.file) {
        out["file"] = {{"path", finding.file->path},
                       {"uid", finding.file->uid},
                       {"gid", finding.file->gid},
                       {"mode", finding.file->mode & 07777}};
    }
    return out;
}

template <typename json>
json run_json(const RunRecord& run) {
    return json{
        {"granted", cap_names(run.granted)},
        {"exit", exit_json<json>(run.exit)},
        {"success", run.success},
        {"probe_ok", run.probe_ok ? json(*run.probe_ok) : json(nullptr)},
        {"seconds", run.seconds},
        {"missing", run.missing},
        {"purpose", run.purpose},
        {"isolated", run.isolated},
    };
}

template <typename json>
json untried_json(const Report& report) {
    json untried = json::array();
    for (const UntriedCapability& u : report.untried)
        untried.push_back(json{{"capability", cap_name(u.cap)}, {"reason", u.reason}, {"worked_without", report.success}});
    return untried;
}

template <typename json>
json ignored_privileges_json(const Report& report) {
    json list = json::array();
    for (const auto& ignored : report.ignored_privileges)
        list.push_back(json{{"exe", ignored.exe}, {"setuid", ignored.setuid}, {"setgid", ignored.setgid},
                            {"file_capabilities", cap_names(ignored.file_caps)}});
    return list;
}

// A non-root --user's answer under Docker and Kubernetes (file_caps_answer.hpp).
template <typename json>
json file_capabilities_json(const Report& report) {
    json files = json::array();
    for (const auto& file : file_capabilities_needed(report))
        files.push_back(json{{"exe", file.exe}, {"capabilities", cap_names(file.caps)},
                             {"setcap", setcap_command(file)}});
    return files;
}

// --unit: the service, what the run did not emulate, and the drop-in.
template <typename json>
json unit_json(const Report& report) {
    if (!report.unit) return json(nullptr);
    const UnitSummary& unit = *report.unit;
    const std::string escalation = unit_needs_privilege_escalation(report);
    return json{
        {"name", unit.name},
        {"path", unit.path},
        {"drop_ins", unit.drop_ins},
        {"type", unit.type},
        {"user", optional_string<json>(unit.user)},
        {"ambient", unit.non_root},
        {"no_new_privileges", escalation.empty()},
        {"not_emulated", unit.not_emulated},
        {"notes", unit.notes},
        {"failed_step", report.failed_step.empty() ? json(nullptr) : json(report.failed_step)},
        {"drop_in", render_unit_dropin(report)},
    };
}

template <typename json>
json identities_json(const Report& report) {
    json list = json::array();
    for (const auto& id : report.identities)
        list.push_back(json{{"exe", id.exe}, {"euid", id.euid}, {"egid", id.egid}});
    return list;
}

template <typename json>
json pod_security_next_json(const PodSecurity& security) {
    if (security.to_next.empty()) return json(nullptr);
    return json{{"level", pod_security_name(stricter_level(security.level))}, {"needs", security.to_next}};
}

template <typename json>
json report_json(const Report& report) {
    const PodSecurity security = pod_security(report);
    json findings = json::array();
    for (const Finding& finding : report.findings) findings.push_back(finding_json<json>(finding));
    json runs = json::array();
    for (const RunRecord& run : report.runs) runs.push_back(run_json<json>(run));
    return json{
        {"schema", "capprof.report/v1"},
        {"command", report.command},
        {"granted", cap_names(report.granted)},
        {"exit", exit_json<json>(report.exit)},
        {"cap_add", cap_names(report.cap_add)},
        {"optional", cap_names(report.optional)},
        {"findings", std::move(findings)},
        {"runs", std::move(runs)},
        // additions to the documented fields
        {"success", report.success},
        {"user", optional_string<json>(report.user)},
        {"probe", optional_string<json>(report.probe)},
        {"probe_ok", report.probe_ok ? json(*report.probe_ok) : json(nullptr)},
        {"stopped_by_capprof", report.stopped_by_capprof},
        {"interrupted", report.interrupted.has_value()},
        {"started", report.started},
        {"seconds", report.seconds},
        {"syscalls", report.syscalls},
        {"processes", report.processes},
        {"threads", report.threads},
        {"failures", report.failures},
        {"pinned_cpu", report.pinned_cpu >= 0 ? json(report.pinned_cpu) : json(nullptr)},
        {"untried", untried_json<json>(report)},
        {"notes", report.notes},
        {"file_capabilities", file_capabilities_json<json>(report)},
        {"ignored_privileges", ignored_privileges_json<json>(report)},
        {"isolated", report.isolated},
        {"isolation_warning", optional_string<json>(report.isolation_warning)},
        {"pod_security", pod_security_name(security.level)},
        {"pod_security_next", pod_security_next_json<json>(security)},
        {"image", optional_string<json>(report.image)},
        {"identities", identities_json<json>(report)},
        {"trial", optional_string<json>(report.trial_token)},
        {"unit", unit_json<json>(report)},
    };
}

}  // namespace

nlohmann::json to_json(const Report& report) { return report_json<nlohmann::json>(report); }

std::string render_json(const Report& report) {
    return report_json<nlohmann::ordered_json>(report).dump(2, ' ', false,
                                                            nlohmann::json::error_handler_t::replace) +
           "\n";
}

}  // namespace capprof
