// Reading passwd(5) and group(5) by hand rather than with getpwnam(3): NSS
// needs dlopen'ed modules, which a static capprof cannot load (glibc warns
// "Using 'getpwnam' in statically linked applications requires at runtime
// the shared libraries from the glibc version used for linking").
#include "common/user_db.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "capprof/error.hpp"

namespace capprof {
namespace {

// runc refuses ids outside [0, 2^31-1] (libcontainer/user: minID, maxID).
constexpr std::uint64_t max_id = (std::uint64_t{1} << 31) - 1;

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// A decimal id, all digits, within runc's range.
std::optional<std::uint32_t> parse_id(std::string_view text) {
    if (text.empty() || !std::all_of(text.begin(), text.end(),
                                     [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value > max_id)
        return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

bool skipped_line(std::string_view line) {
    return line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-';
}

template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!skipped_line(line)) fn(line);
    }
}

std::string join_path(std::string_view root_dir, std::string_view relative) {
    std::string path(root_dir);
    if (path.empty() || path.back() != '/') path += '/';
    path += relative;
    return path;
}

// nullopt when the file does not exist or cannot be read.
std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

[[noreturn]] void unknown(std::string_view what, std::string_view name, const std::string& file,
                          bool file_exists, std::string_view spec) {
    std::string message = "--user " + std::string(spec) + ": unknown " + std::string(what) +
                          " \"" + std::string(name) + "\"";
    message += file_exists ? " (not in " + file + ")" : " (" + file + " does not exist; use a number)";
    throw UserError(message, exit_usage);
}

// All digits but not a valid id: say so rather than "unknown user".
void reject_out_of_range(std::string_view arg, const std::optional<std::uint32_t>& id,
                         std::string_view spec) {
    if (id || arg.empty() ||
        !std::all_of(arg.begin(), arg.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return;
    throw UserError("--user " + std::string(spec) + ": id " + std::string(arg) +
                        " is out of range (0 to 2147483647)",
                    exit_usage);
}

}  // namespace

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
    std::vector<PasswdEntry> entries;
    for_each_line(text, [&](std::string_view line) {
        auto fields = split(line, ':');
        if (fields.size() < 4 || fields[0].empty()) return;
        auto uid = parse_id(fields[2]);
        auto gid = parse_id(fields[3]);
        if (!uid || !gid) return;
        PasswdEntry entry{std::string(fields[0]), *uid, *gid};
        if (fields.size() > 5) entry.home = std::string(fields[5]);
        if (fields.size() > 6) entry.shell = std::string(fields[6]);
        entries.push_back(std::move(entry));
    });
    return entries;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
    std::vector<GroupEntry> entries;
    for_each_line(text, [&](std::string_view line) {
        auto fields = split(line, ':');
        if (fields.size() < 3 || fields[0].empty()) return;
        auto gid = parse_id(fields[2]);
        if (!gid) return;
        GroupEntry entry{std::string(fields[0]), *gid, {}};
        if (fields.size() > 3)
            for (auto member : split(fields[3], ','))
                if (!member.empty()) entry.members.emplace_back(member);
        entries.push_back(std::move(entry));
    });
    return entries;
}

std::optional<UserSpec> lookup_user(std::string_view spec, std::string_view root_dir) {
    if (spec.empty()) return std::nullopt;

    // USER[:GROUP]; an empty USER means root, as in runc.
    auto colon = spec.find(':');
    std::string_view user_arg = spec.substr(0, colon);
    std::string_view group_arg = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
    if (user_arg.empty()) user_arg = "0";

    const std::string passwd_path = join_path(root_dir, "etc/passwd");
    const std::string group_path = join_path(root_dir, "etc/group");
    const auto passwd_text = read_file(passwd_path);
    const auto group_text = read_file(group_path);
    const auto users = parse_passwd(passwd_text.value_or(""));
    const auto groups = parse_group(group_text.value_or(""));

    UserSpec result;
    result.text = std::string(spec);

    // A numeric USER matches by uid only, a name by name only (runc).
    const auto uid_arg = parse_id(user_arg);
    reject_out_of_range(user_arg, uid_arg, spec);
    auto user_it = std::find_if(users.begin(), users.end(), [&](const PasswdEntry& u) {
        return uid_arg ? u.uid == *uid_arg : u.name == user_arg;
    });
    std::optional<std::string> user_name;
    if (user_it != users.end()) {
        result.uid = user_it->uid;
        result.gid = user_it->gid;
        user_name = user_it->name;
    } else if (uid_arg) {
        result.uid = *uid_arg;
        result.gid = 0;
    } else {
        unknown("user", user_arg, passwd_path, passwd_text.has_value(), spec);
    }

    if (!group_arg.empty()) {
        // Explicit group: a name or gid from group(5), or any number.
        const auto gid_arg = parse_id(group_arg);
        reject_out_of_range(group_arg, gid_arg, spec);
        auto group_it = std::find_if(groups.begin(), groups.end(), [&](const GroupEntry& g) {
            return g.name == group_arg || (gid_arg && g.gid == *gid_arg);
        });
        if (group_it != groups.end())
            result.gid = group_it->gid;
        else if (gid_arg)
            result.gid = *gid_arg;
        else
            unknown("group", group_arg, group_path, group_text.has_value(), spec);
    } else if (user_name) {
        // Implicit group: supplementary groups are those listing the user.
        for (const auto& g : groups)
            if (std::find(g.members.begin(), g.members.end(), *user_name) != g.members.end() &&
                std::find(result.groups.begin(), result.groups.end(), g.gid) == result.groups.end())
                result.groups.push_back(g.gid);
    }
    return result;
}

}  // namespace capprof
