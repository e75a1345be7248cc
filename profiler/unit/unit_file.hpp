#pragma once
// The unit-file syntax (systemd.syntax(7)): [Section] headers, Key=Value
// assignments, lines continued by a trailing backslash, comments starting
// with '#' or ';'. Several files (the unit and its drop-ins) are read into one
// UnitFile in order; an empty assignment resets a list setting, which
// values() honours.
#include <string>
#include <string_view>
#include <vector>

namespace capprof {

struct UnitAssignment {
    std::string section;
    std::string key;
    std::string value;
    std::string origin;  // "file:line", for error messages
};

class UnitFile {
public:
    // Appends the assignments of `text`; `origin` names the file in errors.
    // Throws UserError on a line that is neither a section, an assignment
    // nor a comment.
    void parse(std::string_view text, const std::string& origin);

    // The last value of a single-valued setting, or "" when unset.
    std::string value(std::string_view section, std::string_view key) const;
    bool has(std::string_view section, std::string_view key) const;
    // Every value of a list setting since its last empty assignment.
    std::vector<std::string> values(std::string_view section, std::string_view key) const;
    // The same, with where each came from.
    std::vector<UnitAssignment> assignments(std::string_view section, std::string_view key) const;
    const std::vector<UnitAssignment>& all() const { return entries_; }

private:
    std::vector<UnitAssignment> entries_;
};

}  // namespace capprof
