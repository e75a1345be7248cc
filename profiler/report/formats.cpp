#include "report/formats.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "common/cap_info.hpp"
#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "capprof/escape.hpp"
#include "report/file_caps_answer.hpp"
#include "report/pod_security.hpp"

namespace capprof {
namespace {

enum class Target { docker, compose, k8s, systemd };

}  // namespace

// POSIX sh single quoting; no library in our set quotes for the shell.
std::string shell_quote(const std::string& word) {
    if (!word.empty() &&
        word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789_@%+=:,./-") == std::string::npos)
        return word;
    // Control bytes, DEL, invalid UTF-8 and terminal-reordering characters
    // would act on the terminal that shows this line: bash's $'...' quoting
    // spells them as \ooo and still pastes as the same word.
    bool plain = true;
    for (std::size_t i = 0; i < word.size() && plain; ++i) {
        const auto c = static_cast<unsigned char>(word[i]);
        if (c < 0x20 || c == 0x7F) plain = false;
        else if (c >= 0x80) {
            const std::size_t len = escape_detail::safe_utf8_length(word, i);
            if (len == 0) plain = false;
            else i += len - 1;
        }
    }
    if (plain) {
        std::string out = "'";
        for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    }
    std::string out = "$'";
    for (std::size_t i = 0; i < word.size(); ++i) {
        const auto c = static_cast<unsigned char>(word[i]);
        if (c == '\'' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else if (std::size_t len = c >= 0x80 ? escape_detail::safe_utf8_length(word, i) : 0) {
            out.append(word, i, len);
            i += len - 1;
        } else {
            char octal[5];
            std::snprintf(octal, sizeof octal, "\\%03o", c);
            out += octal;
        }
    }
    return out + "'";
}

std::string command_text(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& word : argv) out += (out.empty() ? "" : " ") + shell_quote(word);
    return out;
}

namespace {

std::string words_text(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += " " + shell_quote(word);
    return out;
}

// What follows the options of `docker run`: IMAGE and the command. With
// --image, the image's own name, the --docker-arg words before it (they
// changed the answer: ports, sysctls, network), and only the command the
// user gave (the image's ENTRYPOINT and CMD are its own).
std::string docker_run_tail(const Report& report) {
    if (!report.image) return " IMAGE" + (report.command.empty() ? "" : " " + command_text(report.command));
    std::string out = words_text(report.docker_args);
    if (report.entrypoint) out += " --entrypoint " + shell_quote(*report.entrypoint);
    return out + " " + shell_quote(*report.image) + words_text(report.image_command);
}

// A JSON string is a valid YAML double-quoted scalar (YAML 1.2 is a superset
// of JSON), so nlohmann does the escaping. The workload's bytes may be
// invalid UTF-8: replace those (U+FFFD) rather than throw.
std::string yaml_string(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string yaml_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + yaml_string(item);
    return out + "]";
}

// "1000", "www-data:www-data": everything before ':' names the user.
std::string user_part(const std::string& spec) { return spec.substr(0, spec.find(':')); }
std::optional<std::string> group_part(const std::string& spec) {
    auto colon = spec.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return spec.substr(colon + 1);
}
bool is_number(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Whether no_new_privs (allowPrivilegeEscalation: false, NoNewPrivileges=yes,
// no-new-privileges) can be set without breaking the workload.
// no_new_privs only changes execve (prctl(2) PR_SET_NO_NEW_PRIVS): set-user-ID
// bits and file capabilities stop granting anything. It does not stop
// setuid(2)/setgid(2)/setgroups(2) with SETUID/SETGID held, so a server that
// switches users itself (nginx, sshd's privilege separation) keeps working.
//  - uid 0 with --cap-drop ALL: the granted capabilities are in the permitted
//    set from the start; execve cannot add to them anyway (bounding set).
//    SYS_ADMIN is no exception: Kubernetes refuses the combination only for
//    the spelling "CAP_SYS_ADMIN" (ValidateSecurityContext), not "SYS_ADMIN".
//  - a non-root user under Docker or Kubernetes gets added capabilities only
//    from file capabilities at execve, which no_new_privs disables: unsafe
//    whenever the set is not empty. systemd grants them as ambient
//    capabilities, which no_new_privs keeps (capabilities(7)).
//  - a failing execve in the findings means the workload executes something
//    that wants privilege (file capabilities, setuid): unsafe.
// What capprof cannot see: a successful execve of a setuid-root binary after
// the workload switched to another user. Such a workload needs the default.
// Returns why no_new_privs would break the workload, or "" when it would not.
std::string why_privilege_escalation(const Report& report, Target target) {
    for (const auto& f : report.findings)
        if (f.event.name == "execve" || f.event.name == "execveat")
            return "it executes a program with file capabilities or set-user-ID (execve failed)";
    if (target != Target::systemd && runs_as_non_root(report) && report.cap_add != 0)
        return "the file capabilities (setcap) need it: no_new_privs makes execve ignore them";
    return "";
}

bool no_new_privs_safe(const Report& report, Target target) {
    return why_privilege_escalation(report, target).empty();
}

bool has_capability(const Report& report, const char* name) {
    auto cap = cap_from_name(name);
    return cap && cap_has(report.cap_add, *cap);
}

// The setcap line for each executable, for the image build (empty for root).
std::string setcap_lines(const Report& report) {
    std::string out;
    for (const auto& file : file_capabilities_needed(report)) out += setcap_command(file) + "; ";
    if (out.size() >= 2) out.resize(out.size() - 2);
    return out;
}

// For a non-root --user: what works under Docker or Kubernetes, which give
// such a user no capability from --cap-add (file_caps_answer.hpp).
std::string file_capability_comments(const Report& report, Target target) {
    const auto files = file_capabilities_needed(report);
    if (files.empty() || target == Target::systemd) return "";
    const std::string user = shell_quote(user_part(*report.user));
    std::string out = "# --user " + user + " is not root: " +
                      (target == Target::k8s ? "capabilities.add" : "--cap-add") +
                      " gives it no effective capability (only the bounding set).\n"
                      "# It works once the image gives the program a file capability:\n";
    for (const auto& file : files) {
        out += "#   RUN " + setcap_command(file) + "\n";
        if (auto caveat = interpreter_caveat(file.exe); !caveat.empty()) out += "#   (" + caveat + ")\n";
    }
    out += "# Or start it as root (no --user) if it switches to " + user + " itself";
    if (has_capability(report, "NET_BIND_SERVICE")) out += ", or listen on a port >= 1024";
    return out + ".\n";
}

std::string risk_line(int cap) {
    const CapInfo& info = cap_info(cap);
    std::string line = cap_name(cap) + ": " + (info.risk.empty() ? "unknown" : info.risk) +
                       " risk, " +
                       (info.docker_default ? "in Docker's default set" : "not in Docker's default set");
    if (!info.summary.empty()) line += " - " + info.summary;
    return line;
}

// Facts about the target environment that change the answer.
std::vector<std::string> environment_notes(const Report& report, Target target) {
    std::vector<std::string> notes;
    auto has = [&](const char* name) { return has_capability(report, name); };
    if (has("NET_BIND_SERVICE")) {
        if (target == Target::docker || target == Target::compose)
            notes.push_back(
                "NET_BIND_SERVICE: Docker 20.10+ sets net.ipv4.ip_unprivileged_port_start=0 in "
                "containers with their own network namespace, so they don't need it; keep it "
                "for --network host (network_mode: host)");
        else if (target == Target::k8s)
            notes.push_back(
                "NET_BIND_SERVICE: needed unless the runtime or the pod sets "
                "net.ipv4.ip_unprivileged_port_start=0 (containerd enable_unprivileged_ports); "
                "hostNetwork pods always need it");
        else
            notes.push_back("NET_BIND_SERVICE: a service in the host network namespace needs it "
                            "for ports below net.ipv4.ip_unprivileged_port_start");
    }
    if (has("NET_RAW")) {
        if (target == Target::docker || target == Target::compose)
            notes.push_back(
                "NET_RAW: Docker 20.10+ sets net.ipv4.ping_group_range=\"0 2147483647\" in "
                "containers with their own network namespace: ICMP echo (ping) works without "
                "it there; raw and packet sockets still need it");
        else if (target == Target::k8s)
            notes.push_back("NET_RAW: ping works without it only where the pod sets "
                            "net.ipv4.ping_group_range (containerd enable_unprivileged_icmp)");
    }
    if (runs_as_non_root(report) && report.cap_add != 0 && target == Target::systemd)
        notes.push_back("User=" + user_part(*report.user) +
                        ": AmbientCapabilities= is what gives a non-root service these "
                        "capabilities");
    for (int cap : caps_in(report.cap_add))
        if (!cap_info(cap).docker_note.empty() && target != Target::systemd)
            notes.push_back(cap_name(cap) + ": " + cap_info(cap).docker_note);
    return notes;
}

// The "# ..." lines every format starts with: what, each capability's risk,
// optional capabilities, environment notes.
std::string header_comments(const Report& report, Target target) {
    std::string out = "# capprof: ";
    out += report.success ? "capabilities for `" : "INCOMPLETE (the workload never succeeded) `";
    out += command_text(report.command) + "`\n";
    if (report.cap_add == 0) out += "# needs no capability\n";
    for (int cap : caps_in(report.cap_add)) out += "# " + risk_line(cap) + "\n";
    if (report.optional) {
        std::string names;
        for (const auto& n : cap_names(report.optional)) names += " " + n;
        out += "# optional (the workload succeeded without):" + names + "\n";
    }
    for (const auto& note : environment_notes(report, target)) out += "# note: " + note + "\n";
    return out + file_capability_comments(report, target);
}

std::string render_docker(const Report& report) {
    std::string line = "docker run --cap-drop ALL";
    for (const auto& name : cap_names(report.cap_add)) line += " --cap-add " + name;
    if (no_new_privs_safe(report, Target::docker))
        line += " --security-opt no-new-privileges";
    if (report.user) line += " --user " + shell_quote(*report.user);
    line += docker_run_tail(report);
    // The condition goes with the line wherever it is pasted.
    if (std::string setcap = setcap_lines(report); !setcap.empty())
        line += "  # only with the file capability in IMAGE: " + setcap;
    return header_comments(report, Target::docker) + line + "\n";
}

std::string render_compose(const Report& report) {
    std::string out = header_comments(report, Target::compose);
    const std::string setcap = setcap_lines(report);
    out += "services:\n  " + service_name(report) + ":\n    image: " +
           (report.image ? yaml_string(*report.image) : "IMAGE");
    out += setcap.empty() ? "\n" : "  # built with: RUN " + setcap + "\n";
    if (report.image) {
        if (report.entrypoint) out += "    entrypoint: " + yaml_list({*report.entrypoint}) + "\n";
        if (!report.image_command.empty()) out += "    command: " + yaml_list(report.image_command) + "\n";
    } else if (!report.command.empty()) {
        out += "    command: " + yaml_list(report.command) + "\n";
    }
    if (report.user) out += "    user: " + yaml_string(*report.user) + "\n";
    out += "    cap_drop: [ALL]\n";
    out += "    cap_add: " + yaml_list(cap_names(report.cap_add));
    out += setcap.empty() ? "\n" : "  # held by user " + shell_quote(user_part(*report.user)) +
                                          " only through the file capability\n";
    if (no_new_privs_safe(report, Target::compose))
        out += "    security_opt: [\"no-new-privileges:true\"]\n";
    return out;
}

std::string render_k8s(const Report& report) {
    std::string out = header_comments(report, Target::k8s);
    out += "# Pod Security Standards: " + pod_security_text(pod_security(report)) + "\n";
    if (report.image) {
        out += "# container\n";
        out += "name: " + yaml_string(service_name(report)) + "\n";
        out += "image: " + yaml_string(*report.image) + "\n";
        if (report.entrypoint) out += "command: " + yaml_list({*report.entrypoint}) + "\n";
        if (report.entrypoint || !report.image_command.empty()) out += "args: " + yaml_list(report.image_command) + "\n";
    } else {
        out += "# container securityContext\n";
    }
    out += "securityContext:\n";
    if (report.user) {
        std::string user = user_part(*report.user);
        if (is_number(user))
            out += "  runAsUser: " + user + "\n";
        else
            out += "  # runAsUser: the uid of " + user + " in the image (Kubernetes wants a number)\n";
        auto group = group_part(*report.user);
        if (group && is_number(*group)) out += "  runAsGroup: " + *group + "\n";
        if (runs_as_non_root(report)) out += "  runAsNonRoot: true\n";
    }
    const std::string escalation = why_privilege_escalation(report, Target::k8s);
    out += escalation.empty() ? "  allowPrivilegeEscalation: false\n"
                              : "  allowPrivilegeEscalation: true  # " + escalation + "\n";
    out += "  capabilities:\n";
    out += "    drop: [\"ALL\"]\n";
    out += "    add: " + yaml_list(cap_names(report.cap_add));
    const std::string setcap = setcap_lines(report);
    out += setcap.empty() ? "\n" : "  # held by runAsUser only through the file capability: RUN " + setcap + "\n";
    return out;
}

std::string render_systemd(const Report& report) {
    std::string out = header_comments(report, Target::systemd);
    std::string caps;
    for (const auto& name : cap_names(report.cap_add)) caps += (caps.empty() ? "" : " ") + ("CAP_" + name);
    out += "[Service]\n";
    if (report.user) {
        out += "User=" + user_part(*report.user) + "\n";
        if (auto group = group_part(*report.user)) out += "Group=" + *group + "\n";
    }
    // An empty CapabilityBoundingSet= drops every capability (systemd.exec(5)).
    out += "CapabilityBoundingSet=" + caps + "\n";
    out += "AmbientCapabilities=" + caps + "\n";
    if (no_new_privs_safe(report, Target::systemd)) out += "NoNewPrivileges=yes\n";
    return out;
}

}  // namespace

std::string render_format(const Report& report, std::string_view format) {
    if (format == "docker") return render_docker(report);
    if (format == "compose") return render_compose(report);
    if (format == "k8s") return render_k8s(report);
    if (format == "systemd") return render_systemd(report);
    throw UserError("unknown --format '" + std::string(format) +
                    "' (expected text, docker, compose, k8s or systemd)");
}

std::string docker_line(const Report& report) {
    std::string line = "docker run --cap-drop ALL";
    for (const auto& name : cap_names(report.cap_add)) line += " --cap-add " + name;
    if (report.user) line += " --user " + shell_quote(*report.user);
    if (report.image) return line + docker_run_tail(report);
    return line + " …";
}

std::string privilege_escalation_needed(const Report& report) { return why_privilege_escalation(report, Target::k8s); }

std::string service_name(const Report& report) {
    if (!report.image) return "app";
    std::string name = *report.image;
    name = name.substr(0, name.find('@'));
    if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
    name = name.substr(0, name.find(':'));
    std::string out;
    for (char c : name) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else out += keep ? c : '-';
    }
    while (!out.empty() && out.front() == '-') out.erase(out.begin());
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "app" : out.substr(0, 63);
}

}  // namespace capprof
