#include "unit/service_settings.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "capprof/error.hpp"
#include "unit/exec_line.hpp"
#include "unit/service_plan.hpp"

namespace capprof {

namespace {

struct DirectoryKind {
    const char* setting;
    const char* base;
    const char* variable;
    bool owned_by_user;
};

constexpr DirectoryKind directory_kinds[] = {
    {"RuntimeDirectory", "/run", "RUNTIME_DIRECTORY", true},
    {"StateDirectory", "/var/lib", "STATE_DIRECTORY", true},
    {"CacheDirectory", "/var/cache", "CACHE_DIRECTORY", true},
    {"LogsDirectory", "/var/log", "LOGS_DIRECTORY", true},
    {"ConfigurationDirectory", "/etc", "CONFIGURATION_DIRECTORY", false},
};

struct LimitKind {
    const char* setting;
    int resource;
};

constexpr LimitKind limit_kinds[] = {
    {"LimitCPU", RLIMIT_CPU},         {"LimitFSIZE", RLIMIT_FSIZE},     {"LimitDATA", RLIMIT_DATA},
    {"LimitSTACK", RLIMIT_STACK},     {"LimitCORE", RLIMIT_CORE},       {"LimitRSS", RLIMIT_RSS},
    {"LimitNOFILE", RLIMIT_NOFILE},   {"LimitAS", RLIMIT_AS},           {"LimitNPROC", RLIMIT_NPROC},
    {"LimitMEMLOCK", RLIMIT_MEMLOCK}, {"LimitLOCKS", RLIMIT_LOCKS},     {"LimitSIGPENDING", RLIMIT_SIGPENDING},
    {"LimitMSGQUEUE", RLIMIT_MSGQUEUE}, {"LimitNICE", RLIMIT_NICE},     {"LimitRTPRIO", RLIMIT_RTPRIO},
    {"LimitRTTIME", RLIMIT_RTTIME},
};

// What capprof reads and emulates, or what does not change what the
// service's processes may do (restarts, timeouts, logging, stop commands).
const std::set<std::string>& understood_settings() {
    static const std::set<std::string> names = {
        "Type", "ExecStart", "ExecStartPre", "ExecStartPost", "User", "Group", "SupplementaryGroups", "WorkingDirectory",
        "Environment", "EnvironmentFile", "UMask", "PIDFile", "RuntimeDirectory", "RuntimeDirectoryMode",
        "StateDirectory", "StateDirectoryMode", "CacheDirectory", "CacheDirectoryMode", "LogsDirectory",
        "LogsDirectoryMode", "ConfigurationDirectory", "ConfigurationDirectoryMode", "RuntimeDirectoryPreserve",
        // replaced by the drop-in capprof writes
        "CapabilityBoundingSet", "AmbientCapabilities", "NoNewPrivileges",
        // no effect on the service's permissions
        "Restart", "RestartSec", "RestartPreventExitStatus", "RestartForceExitStatus", "SuccessExitStatus",
        "TimeoutSec", "TimeoutStartSec", "TimeoutStopSec", "TimeoutAbortSec", "RuntimeMaxSec", "WatchdogSec",
        "ExecReload", "ExecStop", "ExecStopPost", "KillMode", "KillSignal", "RestartKillSignal", "SendSIGKILL",
        "SendSIGHUP", "FinalKillSignal", "RemainAfterExit", "GuessMainPID", "NotifyAccess", "StandardInput",
        "StandardOutput", "StandardError", "SyslogIdentifier", "SyslogFacility", "SyslogLevel",
        "SyslogLevelPrefix", "LogLevelMax", "StartLimitBurst", "StartLimitIntervalSec", "StartLimitInterval",
        "Slice", "Sockets", "CPUAccounting", "MemoryAccounting", "TasksAccounting", "IOAccounting", "IPAccounting",
        "OOMPolicy", "FileDescriptorStoreMax", "TimeoutStartFailureMode", "TimeoutStopFailureMode"};
    return names;
}

bool is_limit(const std::string& key) {
    return std::any_of(std::begin(limit_kinds), std::end(limit_kinds), [&](const LimitKind& k) { return key == k.setting; });
}

unsigned parse_mode(const std::string& text, const std::string& where) {
    if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos)
        throw UserError(where + ": expected an octal mode such as 0755, got: " + text);
    return static_cast<unsigned>(std::stoul(text, nullptr, 8));
}

std::uint64_t parse_limit_value(const std::string& text, const std::string& where) {
    if (text == "infinity") return RLIM_INFINITY;
    std::size_t used = 0;
    std::uint64_t value = 0;
    try {
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        throw UserError(where + ": expected a number or infinity, got: " + text);
    }
    const std::string suffix = text.substr(used);
    const std::string units = "KMGTPE";
    if (suffix.empty()) return value;
    const auto at = units.find(suffix);
    if (suffix.size() != 1 || at == std::string::npos)
        throw UserError(where + ": unknown unit \"" + suffix + "\" in: " + text);
    return value << (10 * (at + 1));
}

}  // namespace

ResourceLimit parse_limit(const std::string& key, const std::string& value, const std::string& where) {
    ResourceLimit limit;
    const auto kind = std::find_if(std::begin(limit_kinds), std::end(limit_kinds),
                                   [&](const LimitKind& k) { return key == k.setting; });
    if (kind == std::end(limit_kinds)) throw UserError(where + ": unknown limit " + key);
    limit.resource = kind->resource;
    const auto colon = value.find(':');
    limit.soft = parse_limit_value(value.substr(0, colon), where);
    limit.hard = colon == std::string::npos ? limit.soft : parse_limit_value(value.substr(colon + 1), where);
    if (limit.soft > limit.hard) throw UserError(where + ": soft limit above the hard one: " + value);
    return limit;
}

std::vector<ResourceLimit> service_limits(const UnitFile& file, std::vector<std::string>& notes) {
    std::vector<ResourceLimit> limits;
    for (const LimitKind& kind : limit_kinds) {
        const auto all = file.assignments("Service", kind.setting);
        if (all.empty()) continue;
        ResourceLimit limit = parse_limit(kind.setting, all.back().value, all.back().origin);
        struct rlimit own {};
        if (::getrlimit(kind.resource, &own) == 0 && limit.hard > own.rlim_max) {
            notes.push_back(std::string(kind.setting) + "=" + all.back().value +
                            ": above capprof's own hard limit, which it cannot raise; run with " +
                            std::to_string(own.rlim_max));
            limit.hard = own.rlim_max;
            limit.soft = std::min(limit.soft, limit.hard);
        }
        limits.push_back(limit);
    }
    return limits;
}

std::vector<ServiceDirectory> service_directories(const UnitFile& file, const SpecifierContext& specifiers, uid_t uid,
                                                  gid_t gid, std::map<std::string, std::string>& environment) {
    std::vector<ServiceDirectory> out;
    for (const DirectoryKind& kind : directory_kinds) {
        const auto lines = file.assignments("Service", kind.setting);
        if (lines.empty()) continue;
        const auto mode_lines = file.assignments("Service", std::string(kind.setting) + "Mode");
        const unsigned mode = mode_lines.empty() ? 0755 : parse_mode(mode_lines.back().value, mode_lines.back().origin);
        std::string paths;
        for (const auto& line : lines) {
            for (const auto& name : split_unit_words(expand_specifiers(line.value, specifiers, line.origin), line.origin)) {
                if (name.empty() || name.starts_with("/") || name.find("..") != std::string::npos)
                    throw UserError(line.origin + ": " + kind.setting + "= takes relative paths, got: " + name);
                std::string path = kind.base;
                for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1))
                    out.push_back({path + "/" + name.substr(0, slash), 0, 0, 0755, false});
                path += "/" + name;
                out.push_back({path, kind.owned_by_user ? uid : 0, kind.owned_by_user ? gid : 0, mode, true});
                paths += (paths.empty() ? "" : ":") + path;
            }
        }
        environment[kind.variable] = paths;
    }
    return out;
}

// Socket activation: systemd passes the listening sockets of these .socket
// units (LISTEN_FDS, sd_listen_fds(3)); capprof passes none.
std::vector<std::string> activating_sockets(const UnitFile& file) {
    std::vector<std::string> out;
    for (const auto& entry : file.all()) {
        const bool dependency = entry.section == "Unit" && (entry.key == "Requires" || entry.key == "Wants" ||
                                                            entry.key == "BindsTo" || entry.key == "Requisite");
        if (!dependency && !(entry.section == "Service" && entry.key == "Sockets")) continue;
        for (const auto& name : split_unit_words(entry.value, entry.origin))
            if (name.ends_with(".socket") && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

std::vector<std::string> not_emulated_settings(const UnitFile& file) {
    std::vector<std::string> out;
    for (const auto& socket : activating_sockets(file))
        out.push_back("socket activation by " + socket + " (capprof passes no LISTEN_FDS)");
    std::set<std::string> seen;
    for (const auto& entry : file.all()) {
        if (entry.section != "Service" || understood_settings().count(entry.key) || is_limit(entry.key)) continue;
        if (!seen.insert(entry.key).second) continue;
        const std::string value = file.value("Service", entry.key);
        if (!value.empty()) out.push_back(entry.key + "=" + value);
    }
    return out;
}

std::map<std::string, std::string> parse_environment_file(const std::string& text) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        while (!line.empty() && line.back() == '\\' && start < text.size()) {  // continued
            line.pop_back();
            end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            line += text.substr(start, end - start);
            start = end + 1;
        }
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#' || line[first] == ';') continue;
        line = line.substr(first);
        if (line.starts_with("export ")) line.erase(0, 7);
        const auto equals = line.find('=');
        if (equals == std::string::npos || equals == 0) continue;
        std::string name = line.substr(0, equals), value = line.substr(equals + 1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) value.pop_back();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        out[name] = value;
    }
    return out;
}

}  // namespace capprof
