#pragma once
// Finding a unit the way systemd finds it (systemd.unit(5), "Unit File Load
// Path"): a path is read as it is; a name is looked up in
// /etc/systemd/system, /run/systemd/system, /lib/systemd/system (the first
// wins; an instance "a@b.service" falls back to its template "a@.service"),
// and the drop-ins `*.conf` of every "NAME.d/" (also the template's and the
// type's "service.d/") are applied in the order of their file names, one of
// a higher-priority directory hiding a namesake below.
#include <string>
#include <vector>

#include "unit/unit_file.hpp"

namespace capprof {

struct UnitName {
    std::string full;      // "getty@tty1.service"
    std::string prefix;    // "getty"
    std::string instance;  // "tty1" (escaped, as in the name)
    std::string suffix;    // "service"
    bool is_instance() const { return !instance.empty(); }
    std::string template_name() const { return prefix + "@." + suffix; }
};

// Splits a unit name; "nginx" is taken as "nginx.service". Throws
// UserError for a name that is not a service or not a valid unit name.
UnitName parse_unit_name(const std::string& name);

struct LoadedUnit {
    UnitName name;
    std::string path;                  // the fragment read
    std::vector<std::string> drop_ins; // applied, in order
    UnitFile file;
};

// systemd's system unit directories, highest priority first.
std::vector<std::string> default_unit_dirs();

// Loads `unit` (a path, or a name looked up in `dirs`). Throws UserError
// (125) when it cannot be found, is masked or does not parse.
LoadedUnit load_unit(const std::string& unit, const std::vector<std::string>& dirs = default_unit_dirs());

// systemd's unit-name unescaping (systemd-escape(1)): "-" is "/",
// "\xNN" is the byte NN.
std::string unescape_unit_name(const std::string& text);

}  // namespace capprof
