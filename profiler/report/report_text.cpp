#include <signal.h>
#include <string.h>

#include <cstdio>
#include <algorithm>
#include <sstream>

#include "common/cap_info.hpp"
#include "common/cap_names.hpp"
#include "capprof/escape.hpp"
#include "report/file_caps_answer.hpp"
#include "report/formats.hpp"
#include "report/pod_security.hpp"
#include "report/report_render.hpp"

namespace capprof {

namespace {

constexpr std::size_t line_width = 78;
constexpr std::size_t heading_width = 19;
constexpr std::size_t max_calls_per_group = 5;

struct Style {
    bool on;
    std::string wrap(const char* code, std::string_view text) const {
        if (!on) return std::string(text);
        return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
    }
    std::string bold(std::string_view t) const { return wrap("1", t); }
    std::string dim(std::string_view t) const { return wrap("2", t); }
    std::string red(std::string_view t) const { return wrap("31", t); }
    std::string yellow(std::string_view t) const { return wrap("33", t); }
    std::string green(std::string_view t) const { return wrap("32", t); }
};

// A string from the workload, as strace would quote it, but bare when quoting
// would change nothing ("httpd", "/srv/data/secret").
std::string shown(std::string_view s) {
    std::string quoted = escape_string(s);
    bool plain = !s.empty() && quoted.size() == s.size() + 2 &&
                 s.find_first_of(" '`$;&|<>()*?") == std::string_view::npos;
    return plain ? std::string(s) : quoted;
}

// Text that already is in strace's notation (args_text) or that quotes the
// workload (explanations naming paths): only what a terminal would act on is
// escaped, in octal as escape_string does.
std::string terminal_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (std::size_t len = escape_detail::safe_utf8_length(s, i)) {
                out.append(s.substr(i, len));
                i += len - 1;
                continue;
            }
        } else if (c >= 0x20 && c != 0x7F) {
            out += static_cast<char>(c);
            continue;
        }
        escape_detail::append_octal(out, c, i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7');
    }
    return out;
}

std::string seconds_text(double seconds) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
    return buffer;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string errno_name(int err) {
    const char* name = ::strerrorname_np(err);
    return name ? name : std::to_string(err);
}

// Word-wraps `text` after a label column: "  why   text...".
void labelled(std::ostream& out, const Style& style, std::string_view label, std::string_view text) {
    constexpr std::size_t label_width = 6;
    const std::string indent(2 + label_width, ' ');
    std::string prefix = "  " + style.dim(label) +
                         std::string(label.size() < label_width ? label_width - label.size() : 1, ' ');
    std::istringstream words{std::string(text)};
    std::string line, word;
    auto flush = [&] {
        out << prefix << line << '\n';
        prefix = indent;
        line.clear();
    };
    while (words >> word) {
        if (!line.empty() && indent.size() + line.size() + 1 + word.size() > line_width) flush();
        if (!line.empty()) line += ' ';
        line += word;
    }
    if (!line.empty()) flush();
}

// A label and one line kept as it is (the program's own words).
void labelled_line(std::ostream& out, const Style& style, std::string_view label, std::string_view text) {
    out << "  " << style.dim(label) << std::string(label.size() < 6 ? 6 - label.size() : 1, ' ') << text << '\n';
}

std::string call_text(const Finding& finding) {
    const SyscallEvent& e = finding.event;
    std::string call = terminal_safe(e.name.empty() ? "syscall_" + std::to_string(e.nr) : e.name) + "(" +
                       terminal_safe(e.args_text) + ") = ";
    // A silent denial succeeded without doing what it asked (errno 0).
    call += e.err == 0 ? std::to_string(e.ret) + " (did not take effect)"
                       : "-1 " + errno_name(e.err) + " (" + ::strerror(e.err) + ")";
    if (e.netlink) call += " in a netlink reply";
    if (finding.count > 1) call += "  ×" + std::to_string(finding.count);
    if (finding.folded > 0) call += " (" + std::to_string(finding.folded) + " of them other calls folded in)";
    return call;
}

void print_call(std::ostream& out, const Style& style, const Finding& finding) {
    std::string who = "pid " + std::to_string(finding.event.task.pid) + " " + shown(finding.event.task.comm);
    if (finding.event.task.tid != finding.event.task.pid && finding.event.task.tid != 0)
        who += " (tid " + std::to_string(finding.event.task.tid) + ")";
    std::string padded = who.size() < 16 ? who + std::string(16 - who.size(), ' ') : who;
    out << "  " << style.bold(padded) << ' ' << call_text(finding) << '\n';
}

std::string risk_text(const Style& style, const std::string& risk) {
    std::string text = risk + " risk";
    if (risk == "critical" || risk == "high") return style.red(text);
    if (risk == "medium") return style.yellow(text);
    return style.green(text);
}

std::string padded_heading(const Style& style, const std::string& title) {
    std::string pad = title.size() < heading_width ? std::string(heading_width - title.size(), ' ') : " ";
    return style.bold(title) + pad;
}

struct Group {
    enum Kind { capability, file, not_capability, unknown } kind;
    std::string title;
    std::vector<const Finding*> findings;
};

std::vector<Group> group_findings(const std::vector<const Finding*>& findings) {
    std::vector<Group> capability_groups, file_groups;
    Group not_capability{Group::not_capability, "NOT A CAPABILITY", {}};
    Group unknown{Group::unknown, "UNKNOWN", {}};
    auto add_to = [](std::vector<Group>& groups, Group::Kind kind, const std::string& title,
                     const Finding* finding) {
        for (auto& group : groups) {
            if (group.title == title) return group.findings.push_back(finding);
        }
        groups.push_back(Group{kind, title, {finding}});
    };
    for (const Finding* one : findings) {
        const Finding& finding = *one;
        switch (finding.verdict) {
            case Verdict::capability:
                if (finding.capability) {
                    add_to(capability_groups, Group::capability, *finding.capability, &finding);
                } else {
                    unknown.findings.push_back(&finding);
                }
                break;
            case Verdict::file_permission:
                add_to(file_groups, Group::file,
                       finding.event.path.value_or(finding.file ? finding.file->path : ""), &finding);
                break;
            case Verdict::not_capability: not_capability.findings.push_back(&finding); break;
            case Verdict::unknown: unknown.findings.push_back(&finding); break;
        }
    }
    std::vector<Group> groups = std::move(capability_groups);
    for (auto& group : file_groups) groups.push_back(std::move(group));
    if (!not_capability.findings.empty()) groups.push_back(std::move(not_capability));
    if (!unknown.findings.empty()) groups.push_back(std::move(unknown));
    return groups;
}

void print_heading(std::ostream& out, const Style& style, const Group& group) {
    const Finding& first = *group.findings.front();
    switch (group.kind) {
        case Group::capability: {
            bool required = false;
            for (const Finding* f : group.findings) required = required || f->required;
            auto cap = cap_from_name(group.title);
            // Titles, alternatives and capability names come from the rule
            // table, yet are escaped like any other text bound for a terminal.
            std::string line = padded_heading(style, terminal_safe(group.title)) +
                               (required ? style.bold("required") : style.yellow("optional"));
            if (cap) {
                const CapInfo& info = cap_info(*cap);
                line += " · " + risk_text(style, info.risk) + " · " +
                        (info.docker_default ? "in Docker's default set" : "not in Docker's default set");
            }
            out << line << '\n';
            break;
        }
        case Group::file: {
            std::string line = padded_heading(style, "FILE PERMISSION") + shown(group.title);
            if (first.file) {
                char facts[96];
                std::snprintf(facts, sizeof facts, "owner %u:%u, mode %04o", first.file->uid,
                              first.file->gid, first.file->mode & 07777);
                line += first.file->path == group.title
                            ? " (" + std::string(facts) + ")"
                            : " (" + shown(first.file->path) + ": " + facts + ")";
            }
            out << line << '\n';
            break;
        }
        case Group::not_capability:
        case Group::unknown: out << style.bold(terminal_safe(group.title)) << '\n'; break;
    }
}

void print_group(std::ostream& out, const Style& style, const Group& group) {
    print_heading(out, style, group);
    std::string last_why, last_fix;
    std::size_t shown_calls = 0;
    std::uint64_t hidden_calls = 0;
    std::vector<std::string> notes;
    for (const Finding* finding : group.findings) {
        if (shown_calls == max_calls_per_group) {
            hidden_calls += finding->count;
            continue;
        }
        ++shown_calls;
        print_call(out, style, *finding);
        if (finding->message) labelled_line(out, style, "said", escape_message(*finding->message));
        if (!finding->step.empty()) labelled(out, style, "in", terminal_safe(finding->step));
        if (!finding->explanation.empty() && finding->explanation != last_why)
            labelled(out, style, "why", terminal_safe(finding->explanation));
        if (!finding->fix.empty() && finding->fix != last_fix)
            labelled(out, style, "fix", terminal_safe(finding->fix));
        last_why = finding->explanation;
        last_fix = finding->fix;
        if (group.kind == Group::file && finding->capability && shown_calls == 1) {
            std::string alternative = "--cap-add " + terminal_safe(*finding->capability);
            if (auto cap = cap_from_name(*finding->capability)) {
                const CapInfo& info = cap_info(*cap);
                alternative += " (" + info.risk + " risk: " + info.summary + ")";
            }
            labelled(out, style, "or", alternative);
        }
        if (!finding->together.empty()) {
            std::string names;
            for (const auto& name : finding->together) names += (names.empty() ? "" : ", ") + terminal_safe(name);
            labelled(out, style, "with", names + " too: the call needs them all at once");
        }
        for (const auto& alternative : finding->alternatives) {
            if (group.kind == Group::capability && shown_calls > 1) break;
            std::string text = terminal_safe(alternative) + " works too";
            if (auto cap = cap_from_name(alternative)) text += " (" + cap_info(*cap).risk + " risk)";
            labelled(out, style, "also", text);
        }
        for (const auto& note : finding->notes) {
            if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
        }
    }
    if (hidden_calls > 0)
        out << "  " << style.dim("… " + plural(hidden_calls, "more failing call", "more failing calls"))
            << '\n';
    if (group.kind == Group::capability) {
        if (auto cap = cap_from_name(group.title); cap && !cap_info(*cap).docker_note.empty())
            notes.push_back(cap_info(*cap).docker_note);
    }
    for (const auto& note : notes) labelled(out, style, "note", terminal_safe(note));
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : " ") + name;
    return out;
}

// "/usr/bin/ping (file capabilities NET_RAW) ran without ..." once for all.
std::string ignored_privileges_text(const std::vector<IgnoredPrivilege>& ignored) {
    std::string programs;
    for (const auto& one : ignored) {
        std::vector<std::string> what;
        if (one.setuid) what.push_back("set-user-ID");
        if (one.setgid) what.push_back("set-group-ID");
        if (one.file_caps) what.push_back("file capabilities " + join(cap_names(one.file_caps)));
        std::string text;
        for (const auto& w : what) text += (text.empty() ? "" : ", ") + w;
        programs += (programs.empty() ? "" : "; ") + shown(one.exe) + " (" + text + ")";
    }
    return programs + " ran without the privilege it carries: the kernel ignores set-user-ID bits and file "
           "capabilities of a program traced without CAP_SYS_PTRACE, which capprof lacks here "
           "(an ordinary user, or a container's default set). Untraced it would hold them: "
           "denials that follow may not happen without capprof; run capprof as root for the "
           "real answer";
}

// A non-root --user gets nothing from --cap-add under Docker or Kubernetes:
// the image build must give the program a file capability.
void print_file_capabilities(std::ostream& out, const Style& style, const Report& report) {
    const auto files = file_capabilities_needed(report);
    for (const auto& file : files)
        out << style.bold("image:") << " RUN " << terminal_safe(setcap_command(file)) << '\n';
    if (!files.empty())
        labelled(out, style, "",
                 "(Docker and Kubernetes give --user " + terminal_safe(*report.user) +
                     " no capability from --cap-add: only a file capability does, so "
                     "no-new-privileges must stay off)");
}

std::string ended_text(const ExitStatus& exit) {
    return exit.signal ? "killed by " + signal_name(*exit.signal) : "exit " + std::to_string(exit.code);
}

// What a finding asks for, in a few words, for the "stopped by" line.
std::string asks_text(const Finding& f) {
    switch (f.verdict) {
        case Verdict::capability: return f.capability ? terminal_safe(*f.capability) : "unknown cause";
        case Verdict::file_permission:
            return "file permission" + (f.event.path ? " of " + shown(*f.event.path) : std::string());
        case Verdict::not_capability: return "not a capability";
        case Verdict::unknown: break;
    }
    return "unknown cause";
}

// "stopped by: bind(3, {AF_INET, 0.0.0.0:80}, 16) -> NET_BIND_SERVICE, then
// `httpd: bind: Permission denied`, exit 1": the denials that ended a
// process, first, as an expert reads them off an strace.
void print_stopped_by(std::ostream& out, const Style& style, const std::vector<Finding>& findings) {
    std::size_t shown_lines = 0, more = 0;
    for (const Finding& f : findings) {
        if (f.outcome != Outcome::stopped) continue;
        if (shown_lines == max_calls_per_group) {
            ++more;
            continue;
        }
        if (shown_lines++ == 0) out << '\n';
        const SyscallEvent& e = f.event;
        std::string line = terminal_safe(e.name.empty() ? "syscall_" + std::to_string(e.nr) : e.name) + "(" +
                           terminal_safe(e.args_text) + ") -> " + asks_text(f);
        if (f.message) line += ", then `" + escape_message(*f.message) + "`";
        if (f.stopped_exit) line += ", " + ended_text(*f.stopped_exit);
        line += "  (pid " + std::to_string(e.task.pid) + " " + shown(e.task.comm) + ")";
        out << style.bold("stopped by:") << ' ' << line << '\n';
    }
    if (more > 0) out << "            " << style.dim("… and " + plural(more, "more call", "more calls")) << '\n';
}

// Stopped and other required findings first; those the workload carried on
// past grouped after them.
void print_findings(std::ostream& out, const Style& style, const std::vector<Finding>& findings) {
    print_stopped_by(out, style, findings);
    std::vector<const Finding*> first, carried;
    for (const Finding& f : findings)
        (f.outcome == Outcome::carried_on && !f.privilege_drop ? carried : first).push_back(&f);
    for (const Group& group : group_findings(first)) {
        out << '\n';
        print_group(out, style, group);
    }
    if (carried.empty()) return;
    out << '\n' << style.bold("carried on past:") << '\n';
    for (const Group& group : group_findings(carried)) {
        out << '\n';
        print_group(out, style, group);
    }
}

}  // namespace

std::string signal_name(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// --unit: the service, a failed ExecStartPre=, what was not emulated.
void print_unit_lines(std::ostream& out, const Style& style, const Report& report) {
    const UnitSummary& unit = *report.unit;
    out << "         unit " << terminal_safe(unit.name) << " (" << terminal_safe(unit.path) << "), Type=" << unit.type;
    if (unit.user) out << ", User=" << terminal_safe(*unit.user);
    out << '\n';
    if (!report.failed_step.empty())
        out << "         " << style.yellow(terminal_safe(report.failed_step) + " failed: ExecStart= did not run") << '\n';
    else if (!report.probe && report.probe_ok && !*report.probe_ok)
        out << "         the service never became ready (Type=" << unit.type << ")\n";
    for (const auto& setting : unit.not_emulated) out << "         not emulated: " << terminal_safe(setting) << '\n';
    for (const auto& note : unit.notes) out << "         note: " << terminal_safe(note) << '\n';
}

namespace {

// The run: what ran, how it ended, counts, CPU, isolation.
void print_run_summary(std::ostream& out, const Style& style, const Report& report) {
    std::string ended = report.exit.signal ? "was killed by " + signal_name(*report.exit.signal)
                                           : "exited " + std::to_string(report.exit.code);
    std::string who;
    if (report.user) who += " as " + shown(*report.user);
    if (report.granted) who += " with " + join(cap_names(report.granted));
    if (!report.started) {
        ended = "could not be executed (" + ended + ")";
    } else if (report.probe && report.probe_ok.value_or(false)) {
        ended = "passed the probe and was stopped";
    } else if (report.unit && !report.probe && report.probe_ok.value_or(false)) {
        ended = "started (Type=" + report.unit->type + ": ready) and was stopped";
    } else if (report.stopped_by_capprof && !report.probe) {
        ended = "was still running and was stopped";
    }
    if (report.interrupted)
        out << "capprof: interrupted by " << signal_name(*report.interrupted)
            << ": the run in progress was killed and no further run made; this result is partial\n";
    out << "capprof: `" << command_text(report.command) << "`" << who << ' ' << ended << " after "
        << seconds_text(report.seconds) << '\n';
    if (report.probe && !report.probe_ok.value_or(false)) {
        out << "         the probe `" << terminal_safe(*report.probe) << "` never succeeded\n";
    }
    if (report.unit) print_unit_lines(out, style, report);
    std::string counts = plural(report.processes, "process", "processes");
    if (report.threads > report.processes) counts += " (" + plural(report.threads, "task", "tasks") + ")";
    out << "         " << counts << ", " << plural(report.syscalls, "syscall", "syscalls") << ", "
        << report.failures << " denied\n";
    if (report.pinned_cpu >= 0) {
        // The trade-off of the default CPU placement (docs/PERFORMANCE.md).
        out << "         ran on CPU " << report.pinned_cpu
            << " with the workload (it saw 1 CPU; --no-pin keeps its mask, tracing slower)\n";
    }
    if (!report.ignored_privileges.empty())
        labelled(out, style, "note", ignored_privileges_text(report.ignored_privileges));
    if (report.isolated) {
        if (report.image)
            out << "         " << (report.runs.empty() ? "ran in a fresh container of " : "trials isolated: a fresh container of ")
                << terminal_safe(*report.image) << (report.runs.empty() ? "\n" : " for each run\n");
        else
            out << "         " << (report.runs.empty() ? "isolated: fresh copy-on-write view of the host, thrown away after the run"
                                                       : "trials isolated: fresh copy-on-write view of the host for each run")
                << '\n';
    } else if (report.isolation_warning) {
        out << "         " << style.yellow("warning: " + terminal_safe(*report.isolation_warning)) << '\n';
    }
}

// The answer: what to add (or why nothing), optional, untried, notes, and
// the Pod Security level.
void print_answer(std::ostream& out, const Style& style, const Report& report) {
    if (report.cap_add != 0 && report.unit) {
        // A service's answer is its drop-in, printed after this report.
        std::string caps;
        for (const auto& name : cap_names(report.cap_add)) caps += (caps.empty() ? "" : " ") + ("CAP_" + name);
        out << style.bold("add:") << "  CapabilityBoundingSet=" << caps << '\n';
    } else if (report.cap_add != 0) {
        out << style.bold("add:") << "  " << docker_line(report) << '\n';
        print_file_capabilities(out, style, report);
    } else if (report.interrupted) {
        out << "no verdict: capprof was interrupted before the workload could show what it needs\n";
    } else if (!report.success && !report.findings.empty()) {
        const bool unexplained = std::any_of(report.findings.begin(), report.findings.end(),
                                             [](const Finding& f) { return f.verdict == Verdict::unknown; });
        out << (unexplained ? "no capability identified: capprof could not explain every denial above "
                              "(UNKNOWN)\n"
                            : "no capability needed: no capability would fix the denials above\n");
    } else if (!report.success) {
        out << "no capability needed: no call was denied, the failure has another cause\n";
    } else {
        out << "no capability needed\n";
    }
    if (report.optional != 0) {
        out << style.dim("optional:") << " " << join(cap_names(report.optional))
            << " (denied, yet the workload carried on past it)\n";
    }
    for (const UntriedCapability& u : report.untried) {
        std::string text = cap_name(u.cap) + ": " + u.reason +
                           (report.success ? "; the workload worked without it" : "");
        labelled(out, style, "untried", terminal_safe(text));
    }
    for (const std::string& note : report.notes) labelled(out, style, "note", terminal_safe(note));
    if (!report.interrupted && (report.success || report.cap_add != 0))
        out << style.dim("pod security:") << ' ' << terminal_safe(pod_security_text(pod_security(report))) << '\n';
}

}  // namespace

void render_text(const Report& report, std::ostream& out, bool color) {
    const Style style{color};
    print_run_summary(out, style, report);
    print_findings(out, style, report.findings);
    out << '\n';
    print_answer(out, style, report);
}

}  // namespace capprof
