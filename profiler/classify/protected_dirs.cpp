#include "classify/protected_dirs.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "classify/dac.hpp"

namespace capprof {

namespace {

constexpr std::string_view system_trees[] = {"/etc", "/usr", "/boot", "/bin", "/sbin",
                                             "/lib", "/lib32", "/lib64", "/libx32"};

std::string without_trailing_slash(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

bool is_top_level(std::string_view path) {
    return path.size() > 1 && path[0] == '/' && path.find('/', 1) == std::string_view::npos;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

bool in_system_tree(std::string_view path) {
    for (std::string_view tree : system_trees) {
        if (path.substr(0, tree.size()) != tree) continue;
        if (path.size() == tree.size() || path[tree.size()] == '/') return true;
    }
    return false;
}

std::string path_with_host_view(const std::string& path, const FixLimits& limits) {
    if (limits.root_on_host == "/" || limits.root_on_host.empty()) return shown_path(path);
    const std::string host = path == "/" ? limits.root_on_host : limits.root_on_host + path;
    return shown_path(path) + " (" + shown_path(host) + " on the host)";
}

std::optional<Protection> protected_dir_reason(const std::string& dir, const FixLimits& limits) {
    const std::string path = without_trailing_slash(dir);
    const std::string shown = path_with_host_view(path, limits);
    const std::string chroot_rule = "a chroot directory must stay root-owned and not writable by the users "
                                    "inside it (vsftpd refuses to run with a writable root inside chroot(), "
                                    "sshd refuses such a ChrootDirectory)";
    if (path == "/" && limits.root_on_host != "/" && !limits.root_on_host.empty())
        return Protection{shown + " is the directory this process chrooted into: " + chroot_rule, true};
    for (const std::string& chroot : limits.chroot_dirs)
        if (without_trailing_slash(chroot) == path)
            return Protection{shown + " is named as a chroot directory in the daemon's configuration: " +
                                  chroot_rule,
                              true};
    if (path == "/") return Protection{"/ is the root directory: whoever may write there can replace anything below it"};
    if (in_system_tree(path))
        return Protection{shown + " holds the system's configuration or programs: whoever may write there can "
                                  "replace what root later reads or runs"};
    if (is_top_level(path)) return Protection{shown + " is a top-level directory of the system"};
    return std::nullopt;
}

std::vector<std::string> vsftpd_chroot_dirs(std::string_view config) {
    // vsftpd.conf(5): one "option=value" per line, no spaces around "=".
    std::vector<std::string> out;
    std::istringstream lines{std::string(config)};
    for (std::string line; std::getline(lines, line);) {
        const auto equals = line.find('=');
        if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
        const std::string key = lower(line.substr(0, equals));
        std::string value = line.substr(equals + 1);
        while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
        if ((key == "secure_chroot_dir" || key == "anon_root" || key == "local_root") && !value.empty() &&
            value[0] == '/')
            out.push_back(value);
    }
    return out;
}

std::vector<std::string> sshd_chroot_dirs(std::string_view config) {
    // sshd_config(5): "Keyword argument", keywords case-insensitive.
    std::vector<std::string> out;
    std::istringstream lines{std::string(config)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string key, value;
        if (!(words >> key >> value) || lower(key) != "chrootdirectory") continue;
        if (value[0] == '/' && value.find('%') == std::string::npos) out.push_back(value);
    }
    return out;
}

}  // namespace capprof
