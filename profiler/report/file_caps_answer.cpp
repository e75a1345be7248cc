#include "report/file_caps_answer.hpp"

#include <algorithm>
#include <cctype>

#include "common/cap_names.hpp"
#include "report/formats.hpp"

namespace capprof {

namespace {

CapSet set_of(const std::vector<std::string>& names) {
    CapSet set = 0;
    for (const auto& name : names)
        if (auto cap = cap_from_name(name)) set |= cap_bit(*cap);
    return set;
}

// The capabilities of `cap_add` this finding's call needs: its capability
// (with those needed together), else the alternative that was chosen.
CapSet needed_by(const Finding& finding, CapSet cap_add) {
    if (finding.verdict != Verdict::capability && finding.verdict != Verdict::file_permission) return 0;
    if (!finding.capability) return 0;
    CapSet own = set_of({*finding.capability}) | set_of(finding.together);
    if (own && (own & cap_add) == own) return own;
    return set_of(finding.alternatives) & cap_add;
}

// The command as the image would name it: its path, or a lookup in PATH.
std::string command_path(const Report& report) {
    if (report.command.empty()) return "BINARY";
    const std::string& word = report.command.front();
    if (word.find('/') != std::string::npos) return word;
    return "$(command -v " + shell_quote(word) + ")";
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

bool runs_as_non_root(const Report& report) {
    if (!report.user) return false;
    const std::string user = report.user->substr(0, report.user->find(':'));
    return !(user == "0" || user == "root" || user.empty());
}

std::vector<FileCapability> file_capabilities_needed(const Report& report) {
    std::vector<FileCapability> files;
    if (!runs_as_non_root(report) || report.cap_add == 0) return files;
    CapSet attributed = 0;
    for (const Finding& finding : report.findings) {
        const CapSet caps = needed_by(finding, report.cap_add);
        if (!caps || finding.event.task.exe.empty()) continue;
        attributed |= caps;
        auto same = std::find_if(files.begin(), files.end(),
                                 [&](const FileCapability& f) { return f.exe == finding.event.task.exe; });
        if (same == files.end()) files.push_back({finding.event.task.exe, caps});
        else same->caps |= caps;
    }
    if (CapSet rest = report.cap_add & ~attributed) {
        const std::string path = command_path(report);
        auto same = std::find_if(files.begin(), files.end(), [&](const FileCapability& f) { return f.exe == path; });
        if (same == files.end()) files.push_back({path, rest});
        else same->caps |= rest;
    }
    return files;
}

std::string setcap_command(const FileCapability& file) {
    std::string caps;
    for (const auto& name : cap_names(file.caps)) caps += (caps.empty() ? "cap_" : ",cap_") + lower(name);
    // A path computed by the shell ($(command -v ...)) stays unquoted.
    const bool lookup = file.exe.rfind("$(", 0) == 0;
    return "setcap " + caps + "+ep " + (lookup ? file.exe : shell_quote(file.exe));
}

std::string interpreter_caveat(const std::string& exe) {
    static const char* const interpreters[] = {"sh", "bash", "dash", "zsh", "busybox", "python",
                                               "perl", "ruby", "node", "php", "java", "lua"};
    std::string base = exe.substr(exe.find_last_of('/') + 1);
    // python3.11 -> python, perl5.36.0 -> perl
    std::size_t end = 0;
    while (end < base.size() && std::isalpha(static_cast<unsigned char>(base[end]))) ++end;
    const std::string stem = base.substr(0, end);
    for (const char* name : interpreters) {
        if (stem == name)
            return shell_quote(exe) + " runs other programs: a file capability on it reaches every script or "
                         "applet it runs; give it to a copy used only by this program";
    }
    return "";
}

}  // namespace capprof
