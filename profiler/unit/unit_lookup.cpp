#include "unit/unit_lookup.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "capprof/error.hpp"

namespace capprof {

namespace fs = std::filesystem;

namespace {

bool valid_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_' || c == '.' ||
           c == '\\' || c == '@';
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError("cannot read unit file " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_masked(const fs::path& path) {
    std::error_code error;
    return fs::is_symlink(path, error) && fs::read_symlink(path, error) == "/dev/null";
}

// The "*.conf" files of `dir` into `found`, unless a namesake is already there.
void collect_drop_ins(const fs::path& dir, std::map<std::string, fs::path>& found) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) return;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string base = entry.path().filename().string();
        if (entry.path().extension() != ".conf") continue;
        found.emplace(base, entry.path());
    }
}

fs::path find_fragment(const UnitName& name, const std::vector<std::string>& dirs) {
    std::vector<std::string> candidates{name.full};
    if (name.is_instance()) candidates.push_back(name.template_name());
    for (const auto& candidate : candidates) {
        for (const auto& dir : dirs) {
            const fs::path path = fs::path(dir) / candidate;
            std::error_code error;
            if (is_masked(path)) throw UserError(name.full + " is masked (" + path.string() + " -> /dev/null)");
            if (fs::exists(path, error)) return path;
        }
    }
    std::string where;
    for (const auto& dir : dirs) where += (where.empty() ? "" : ", ") + dir;
    throw UserError("unit " + name.full + " not found in " + where + "; give the path of its unit file");
}

// The drop-in directories of `name`, in systemd's order: the type's
// ("service.d"), the template's, the unit's own, each in every directory.
std::vector<fs::path> drop_in_dirs(const UnitName& name, const std::vector<std::string>& dirs,
                                   const fs::path& fragment, bool by_path) {
    std::vector<std::string> names{name.suffix + ".d"};
    if (name.is_instance()) names.push_back(name.template_name() + ".d");
    names.push_back(name.full + ".d");
    std::vector<fs::path> out;
    if (by_path) out.push_back(fs::path(fragment.string() + ".d"));
    for (const auto& dir : dirs)
        for (const auto& one : names) out.push_back(fs::path(dir) / one);
    return out;
}

}  // namespace

std::vector<std::string> default_unit_dirs() {
    return {"/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"};
}

UnitName parse_unit_name(const std::string& given) {
    UnitName name;
    std::string full = given;
    const auto dot = full.rfind('.');
    if (dot == std::string::npos || full.find('@', dot) != std::string::npos) full += ".service";
    name.full = full;
    name.suffix = full.substr(full.rfind('.') + 1);
    if (name.suffix != "service")
        throw UserError(full + ": only services can be profiled (a ." + name.suffix + " unit runs no ExecStart=)");
    const std::string stem = full.substr(0, full.rfind('.'));
    if (stem.empty() || !std::all_of(stem.begin(), stem.end(), valid_name_char))
        throw UserError("not a valid unit name: " + given);
    const auto at = stem.find('@');
    name.prefix = stem.substr(0, at);
    if (at != std::string::npos) name.instance = stem.substr(at + 1);
    if (name.prefix.empty()) throw UserError("not a valid unit name: " + given);
    return name;
}

std::string unescape_unit_name(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-') {
            out += '/';
        } else if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 3]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
            i += 3;
        } else {
            out += text[i];
        }
    }
    return out;
}

LoadedUnit load_unit(const std::string& unit, const std::vector<std::string>& dirs) {
    if (unit.empty()) throw UserError("--unit needs a unit name or the path of a unit file");
    const bool by_path = unit.find('/') != std::string::npos;
    LoadedUnit loaded;
    loaded.name = parse_unit_name(by_path ? fs::path(unit).filename().string() : unit);
    fs::path fragment = by_path ? fs::path(unit) : find_fragment(loaded.name, dirs);
    std::error_code error;
    if (by_path && !fs::is_regular_file(fragment, error))
        throw UserError("unit file " + unit + " not found (or not a regular file)");
    loaded.path = fragment.string();
    loaded.file.parse(read_text(fragment), loaded.path);
    std::map<std::string, fs::path> found;
    for (const auto& dir : drop_in_dirs(loaded.name, dirs, fragment, by_path)) collect_drop_ins(dir, found);
    for (const auto& [base, path] : found) {  // std::map: in the order of the file names
        if (is_masked(path)) continue;
        loaded.file.parse(read_text(path), path.string());
        loaded.drop_ins.push_back(path.string());
    }
    if (!loaded.file.has("Service", "ExecStart"))
        throw UserError(loaded.path + ": no ExecStart= in [Service]: nothing to run");
    return loaded;
}

}  // namespace capprof
