#pragma once
// Unit specifiers (systemd.unit(5), "Specifiers"): "%n" and the others
// expanded in the settings where systemd expands them, for the system
// service manager (%t is /run, %h is root's home).
#include <string>

#include "unit/unit_lookup.hpp"

namespace capprof {

struct SpecifierContext {
    UnitName name;
    std::string fragment_path;  // %y
};

// Expands every "%X" of `text`. Throws UserError naming `where` for an
// unknown specifier or a trailing '%'.
std::string expand_specifiers(const std::string& text, const SpecifierContext& context, const std::string& where);

}  // namespace capprof
