#include "mount_table.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace capprof {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo (the kernel's
// mangle(), fs/proc_namespace.c).
std::string unescape_octal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    auto octal = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '7'; };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
            out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
            i += 3;
            continue;
        }
        out += text[i];
    }
    return out;
}

unsigned long per_mount_flags(const std::string& options, bool& read_only) {
    static const std::map<std::string, unsigned long> known = {
        {"ro", MS_RDONLY},         {"nosuid", MS_NOSUID},   {"nodev", MS_NODEV},
        {"noexec", MS_NOEXEC},     {"noatime", MS_NOATIME}, {"nodiratime", MS_NODIRATIME},
        {"relatime", MS_RELATIME},
    };
    unsigned long flags = 0;
    std::stringstream list(options);
    for (std::string option; std::getline(list, option, ',');) {
        auto it = known.find(option);
        if (it != known.end()) flags |= it->second;
    }
    read_only = (flags & MS_RDONLY) != 0;
    return flags;
}

bool has_option(const std::string& options, const std::string& name) {
    std::stringstream list(options);
    for (std::string option; std::getline(list, option, ',');)
        if (option == name) return true;
    return false;
}

// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
bool parse_line(const std::string& line, MountEntry& entry) {
    std::istringstream fields(line);
    std::string device, root, mount_point, options;
    if (!(fields >> entry.id >> entry.parent >> device >> root >> mount_point >> options)) return false;
    std::string field;
    while (fields >> field && field != "-") {
    }  // optional fields: shared:N, master:N, ...
    std::string fstype, source, super_options;
    if (field != "-" || !(fields >> fstype >> source >> super_options)) return false;
    entry.root = unescape_octal(root);
    entry.mount_point = unescape_octal(mount_point);
    entry.fstype = unescape_octal(fstype);
    entry.source = unescape_octal(source);
    bool read_only = false;
    entry.flags = per_mount_flags(options, read_only);
    entry.read_only = read_only || has_option(super_options, "ro");
    return !entry.mount_point.empty() && entry.mount_point[0] == '/';
}

struct MountTree {
    std::map<int, const MountEntry*> by_id;
    std::map<int, std::vector<const MountEntry*>> children;  // in mountinfo order
};

void walk(const MountTree& tree, const MountEntry& mount, std::vector<MountEntry>& out, int depth) {
    if (depth > 4096) return;  // a cycle in a corrupt table
    auto it = tree.children.find(mount.id);
    const std::vector<const MountEntry*> none;
    const auto& children = it == tree.children.end() ? none : it->second;
    // Covered: the last mount on the same mount point is the one lookups reach.
    for (auto c = children.rbegin(); c != children.rend(); ++c) {
        if ((*c)->mount_point == mount.mount_point) return walk(tree, **c, out, depth + 1);
    }
    out.push_back(mount);
    for (std::size_t i = 0; i < children.size(); ++i) {
        const MountEntry& child = *children[i];
        // Hidden under a sibling mounted on one of its directories.
        bool hidden = std::any_of(children.begin(), children.end(), [&](const MountEntry* other) {
            return other != &child && other->mount_point != child.mount_point &&
                   path_is_under(child.mount_point, other->mount_point);
        });
        if (!hidden) walk(tree, child, out, depth + 1);
    }
}

}  // namespace

bool path_is_under(std::string_view path, std::string_view dir) {
    if (dir == "/") return !path.empty() && path[0] == '/';
    if (path.substr(0, dir.size()) != dir) return false;
    return path.size() == dir.size() || path[dir.size()] == '/';
}

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
    std::vector<MountEntry> mounts;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        MountEntry entry;
        if (parse_line(line, entry)) mounts.push_back(std::move(entry));
    }
    return mounts;
}

std::vector<MountEntry> read_mount_table() {
    std::ifstream in("/proc/self/mountinfo");
    std::stringstream text;
    text << in.rdbuf();
    return parse_mountinfo(text.str());
}

std::vector<MountEntry> visible_mounts(const std::vector<MountEntry>& mounts) {
    MountTree tree;
    for (const MountEntry& mount : mounts) tree.by_id[mount.id] = &mount;
    const MountEntry* root = nullptr;
    for (const MountEntry& mount : mounts) {
        if (mount.parent != mount.id && tree.by_id.count(mount.parent)) {
            tree.children[mount.parent].push_back(&mount);
        } else if (mount.mount_point == "/" && !root) {
            root = &mount;  // its parent lies outside this root (chroot, namespace)
        }
    }
    std::vector<MountEntry> out;
    if (root) walk(tree, *root, out, 0);
    return out;
}

}  // namespace capprof
