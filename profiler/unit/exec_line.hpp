#pragma once
// Exec lines (systemd.service(5), "Command lines"): words with systemd's
// quoting and C escapes, specifiers, a lone ";" between commands, prefixes
// on the executable ("-" failure ignored, "@" argv[0] given apart, ":" no
// environment expansion), and $VAR / ${VAR} expanded from the service's
// environment when the command runs.
#include <map>
#include <string>
#include <vector>

#include "unit/specifiers.hpp"

namespace capprof {

struct ExecCommand {
    std::string setting;      // "ExecStartPre"
    std::string executable;   // absolute path, or a name systemd looks up
    std::vector<std::string> argv;
    bool ignore_failure = false;   // "-"
    bool expand_environment = true;  // no ":"
    std::string origin;       // "file:line"
    // "ExecStartPre=/usr/sbin/nginx -t -q" as written (for reports).
    std::string label() const;
};

// The words of a value: whitespace separates, '...' and "..." quote, C
// escapes (\n \t \s \xNN \NNN \\ \" \') are decoded. Throws UserError
// naming `where` on an unfinished quote or escape.
std::vector<std::string> split_unit_words(const std::string& text, const std::string& where,
                                          std::vector<bool>* quoted = nullptr);

// One Exec line: its commands (several when separated by a lone ";").
// Throws UserError on the prefixes capprof does not emulate ("+", "!",
// "!!": other credentials than the service's; "|": a login shell).
std::vector<ExecCommand> parse_exec_line(const std::string& setting, const std::string& value,
                                         const SpecifierContext& context, const std::string& origin);

// systemd's expansion at exec time: a word that is exactly "$NAME" becomes
// the value's whitespace-separated words (none when unset), "${NAME}" inside
// a word the value, "$$" a dollar sign.
std::vector<std::string> expand_exec_environment(const std::vector<std::string>& argv,
                                                 const std::map<std::string, std::string>& environment);

}  // namespace capprof
