#pragma once
// The exec plan of a service: what systemd would set up for its commands,
// as a RunSpec the runner carries out without systemd (CI containers have
// none). ExecStartPre= lines become RunSpec::before, ExecStart= the main
// command; User=, Group=, SupplementaryGroups=, WorkingDirectory=,
// Environment=, EnvironmentFile=, UMask=, Limit*=, the Runtime/State/
// Cache/Logs/ConfigurationDirectory= directories, Type= and PIDFile= map to
// RunSpec fields. Settings capprof does not emulate (namespacing such as
// PrivateTmp=, ProtectSystem=) are listed in `not_emulated`.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "unit/unit_lookup.hpp"

namespace capprof {

struct ServicePlan {
    RunSpec spec;                           // granted, probe... are the caller's
    std::string type;                       // Type=, "simple" by default
    std::optional<std::string> user;        // User= as written (after specifiers)
    bool non_root = false;                  // User= names another user than root
    std::vector<std::string> not_emulated;  // "PrivateTmp=yes", ...
    std::vector<std::string> notes;         // adjustments capprof made (a clamped limit)
};

// Where /etc/passwd and /etc/group are read; "/" normally.
ServicePlan plan_service(const LoadedUnit& unit, const std::string& root_dir = "/");

// systemd's fixed search path for Exec names without a slash.
std::string find_exec_binary(const std::string& name, const std::string& where);

// "infinity", "1024", "4K", "soft:hard" (systemd.exec(5) Limit*=); throws
// UserError naming `where`.
ResourceLimit parse_limit(const std::string& key, const std::string& value, const std::string& where);

// The environment file's assignments (systemd.exec(5) EnvironmentFile=).
std::map<std::string, std::string> parse_environment_file(const std::string& text);

}  // namespace capprof
