#include "classify/dac.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string_view>

#include "capprof/escape.hpp"
#include "classify/protected_dirs.hpp"
#include "classify/event_args.hpp"

namespace capprof {

namespace {

std::string normalized(std::string_view path) {
    std::string out;
    for (char c : path) {
        if (c == '/' && !out.empty() && out.back() == '/') continue;
        out += c;
    }
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
}

bool in_group(const TaskInfo& task, gid_t gid) {
    return task.fsgid == gid ||
           std::find(task.groups.begin(), task.groups.end(), gid) != task.groups.end();
}

enum class PermClass { owner, group, other };

PermClass class_of(const PathComponent& c, const TaskInfo& task) {
    if (c.uid == task.fsuid) return PermClass::owner;
    if (in_group(task, c.gid)) return PermClass::group;
    return PermClass::other;
}

unsigned granted_bits(const PathComponent& c, PermClass k) {
    switch (k) {
    case PermClass::owner: return (c.mode >> 6) & 7;
    case PermClass::group: return (c.mode >> 3) & 7;
    default: return c.mode & 7;
    }
}

std::string mode_text(unsigned mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
    return buf;
}

std::string bits_letters(unsigned bits) {
    std::string s;
    if (bits & may_read) s += 'r';
    if (bits & may_write) s += 'w';
    if (bits & may_exec) s += 'x';
    return s;
}

// What the task tried at this component, as the first words of the explanation.
std::string attempt_words(const std::string& path, bool directory, unsigned wanted,
                          std::string_view role) {
    std::string p = shown_path(path);
    if (role == "walk") return "cannot search directory " + p;
    if (role == "create") return "cannot create entries in directory " + p;
    if (role == "remove") return "cannot remove entries from directory " + p;
    std::string verb;
    if (directory && wanted == may_exec) return "cannot enter directory " + p;
    if (wanted & may_read) verb = "read";
    if (wanted & may_write) verb += verb.empty() ? "write" : " and write";
    if (wanted & may_exec) verb += verb.empty() ? "execute" : " and execute";
    return "cannot " + verb + " " + p;
}

// A chmod/chown of a directory that must keep its owner and mode (see
// protected_dirs.hpp) is never offered: a directory of the program's own
// for what it writes, or the step done while the program is still root.
std::string protected_dir_fix(const PathComponent& c, const TaskInfo& task, unsigned denied,
                              const Protection& protection, const FixLimits& limits) {
    const std::string uid = std::to_string(task.fsuid);
    std::string fix = "keep " + shown_path(c.path) + " as it is (" + protection.reason + "); ";
    if (!(denied & may_write))
        return fix + "make this access while the program still runs as root, or give uid " + uid +
               " a copy of what it reads in a directory it may search";
    // In a chroot, a subdirectory it owns (vsftpd's upload directory);
    // elsewhere, runtime data belongs under /var/lib or /run.
    std::string dir = "/var/lib/NAME";
    if (protection.chroot) {
        const bool chrooted = !limits.root_on_host.empty() && limits.root_on_host != "/";
        std::string host = chrooted ? limits.root_on_host + c.path : c.path;
        while (host.size() > 1 && host.back() == '/') host.pop_back();
        dir = host == "/" ? "/data" : host + "/data";
    }
    const std::string shown = shown_path(dir);
    return fix + "give uid " + uid + " a directory of its own for what it writes (e.g. mkdir " + shown +
           " && chown " + uid + " " + shown + ") and point the program there";
}

// The chmod/chown that fixes one component: never "other" access to a
// file of the system's configuration, never a protected directory.
std::string mode_fix(const PathComponent& c, const TaskInfo& task, PermClass k, unsigned denied,
                     const FixLimits& limits) {
    const std::string p = shown_path(c.path);
    const std::string letters = bits_letters(denied);
    const std::string uid = std::to_string(task.fsuid);
    const std::string run_as = "run as uid " + std::to_string(c.uid);
    if (c.is_dir && !(k == PermClass::owner && task.fsuid == 0))
        if (auto protection = protected_dir_reason(c.path, limits))
            return protected_dir_fix(c, task, denied, *protection, limits);
    const bool system_file = !c.is_dir && in_system_tree(c.path);
    switch (k) {
    case PermClass::owner:
        return "chmod u+" + letters + " " + p;
    case PermClass::group:
        if (system_file) return "chmod g+" + letters + " " + p + ", or " + run_as;
        return "chmod g+" + letters + " " + p + ", or chown " + uid + " " + p + ", or " + run_as;
    case PermClass::other:
        if (system_file)
            return "chgrp " + std::to_string(task.fsgid) + " " + p + " && chmod g+" + letters + " " + p +
                   " (access for the program's group only), or " + run_as;
        return "chown " + uid + " " + p + ", or chmod o+" + letters + " " + p + ", or " + run_as;
    }
    return run_as;
}

// security/commoncap.c cap_emulate_setxuid(): once real, effective and
// saved uid are all non-zero the permitted set is cleared (unless the
// program kept it with PR_SET_KEEPCAPS), and Docker gives a non-root
// --user no effective capabilities: --cap-add does not reach this call.
bool runs_without_root(const TaskInfo& task) { return task.uid != 0 && task.euid != 0 && task.suid != 0; }

void drop_unusable_capability(DacDenial& d, const TaskInfo& task) {
    const std::string uid = std::to_string(task.euid);
    d.explanation += "; uid " + uid + " cannot use " + d.capability +
                     ": a process whose user ids are all non-zero holds no capabilities (one that switched "
                     "away from uid 0 lost them unless it kept them with PR_SET_KEEPCAPS, and Docker gives "
                     "a non-root --user none), so --cap-add does not reach this call";
    d.fix += ", or make this access before the program switches to uid " + uid;
    d.capability.clear();
    d.alternatives.clear();
}

DacDenial make_denial(const PathComponent& c, const TaskInfo& task, unsigned wanted,
                      unsigned denied, std::string_view role, const FixLimits& limits) {
    DacDenial d;
    d.path = c.path;
    d.directory = c.is_dir;
    d.denied = denied;
    d.acl_may_decide = c.has_acl;
    const PermClass k = class_of(c, task);
    const std::string uid = std::to_string(task.fsuid);
    const std::string owner = std::to_string(c.uid) + ":" + std::to_string(c.gid);
    const std::string what = access_words(denied, c.is_dir);
    std::string reason;
    switch (k) {
    case PermClass::owner:
        reason = "uid " + uid + " owns it (" + owner + ", mode " + mode_text(c.mode) +
                 ") but the owner has no " + what + " permission";
        break;
    case PermClass::group:
        reason = "uid " + uid + " is not the owner (" + owner + ", mode " + mode_text(c.mode) +
                 ") and its group " + std::to_string(c.gid) + " (uid " + uid + " is a member) has no " + what +
                 " permission";
        break;
    case PermClass::other:
        reason = "uid " + uid + " is not the owner (" + owner + ", mode " + mode_text(c.mode) +
                 ") and \"other\" has no " + what + " permission";
        break;
    }
    d.explanation = attempt_words(c.path, c.is_dir, wanted, role) + ": " + reason;
    if (c.has_acl) d.explanation += "; a POSIX ACL also applies (getfacl " + shown_path(c.path) + ")";

    // fs/namei.c generic_permission: execute of a non-directory is granted by
    // CAP_DAC_OVERRIDE only when at least one x bit is set.
    if (!c.is_dir && (denied & may_exec) && (c.mode & 0111) == 0) {
        d.no_capability = true;
        d.explanation = attempt_words(c.path, false, wanted, role) + ": no execute bit is set (" +
                        owner + ", mode " + mode_text(c.mode) +
                        "), and no capability allows executing such a file";
        d.fix = "chmod +x " + shown_path(c.path);
        return d;
    }
    d.fix = mode_fix(c, task, k, denied, limits);
    // generic_permission: reads and directory search are also granted by
    // CAP_DAC_READ_SEARCH, everything else only by CAP_DAC_OVERRIDE.
    const bool read_search_only = c.is_dir ? (denied & may_write) == 0 : (denied & ~may_read) == 0;
    if (read_search_only) {
        d.capability = "DAC_READ_SEARCH";
        d.alternatives = {"DAC_OVERRIDE"};
    } else {
        d.capability = "DAC_OVERRIDE";
    }
    if (runs_without_root(task)) drop_unusable_capability(d, task);
    return d;
}

struct Check {
    const PathComponent* component;
    unsigned wanted;
    std::string_view role;   // "walk", "create", "remove", "final"
};

// The permission checks of the kernel's walk, in order: search on each
// directory (link_path_walk -> may_lookup), then w+x on the parent for a
// create or delete (may_create, may_delete), then the final inode (may_open).
std::vector<Check> checks_for(const std::vector<PathComponent>& components,
                              const std::string& path, const AccessNeed& need) {
    std::vector<Check> out;
    if (components.empty()) return out;
    const std::string target = normalized(path);
    // The final entry: the component named by the path itself, or (when it is
    // a followed symlink) the link's target that gather_context appended.
    std::size_t final_index = components.size();
    for (std::size_t i = 0; i < components.size(); ++i)
        if (normalized(components[i].path) == target) {
            final_index = i;
            break;
        }
    const bool reached = final_index < components.size();
    const std::size_t last = components.size() - 1;
    const std::size_t named_index = final_index;
    if (reached && need.follow_last && components[final_index].is_symlink && last > final_index)
        final_index = last;  // the appended target of the symlink
    const std::size_t walk_end = reached ? named_index : components.size();
    const PathComponent* parent = nullptr;
    for (std::size_t i = 0; i < walk_end; ++i) {
        const auto& c = components[i];
        if (!c.exists) break;
        if (!c.is_dir) continue;
        parent = &c;
        // The parent's search permission is part of create/remove's w+x check.
        out.push_back({&c, may_exec, "walk"});
    }
    if (!reached) return out;
    const auto& fin = components[final_index];
    if ((need.create || need.remove) && parent) {
        out.pop_back();  // replace the parent's search check by w+x
        out.push_back({parent, may_write | may_exec, need.create ? "create" : "remove"});
    }
    if (fin.exists && need.last && !fin.is_symlink) out.push_back({&fin, need.last, "final"});
    return out;
}

}  // namespace

bool path_exists_in(const std::vector<PathComponent>& components, const std::string& path) {
    const std::string target = normalized(path);
    for (const auto& c : components)
        if (normalized(c.path) == target) return c.exists;
    return false;
}

bool follows_last_symlink(const SyscallEvent& event, int which) {
    return access_needed(event, which, true).follow_last;
}

std::string access_words(unsigned bits, bool directory) {
    std::vector<std::string> words;
    if (bits & may_read) words.push_back("read");
    if (bits & may_write) words.push_back("write");
    if (bits & may_exec) words.push_back(directory ? "search (x)" : "execute");
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string shown_path(const std::string& path) {
    const bool plain = !path.empty() && std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("/._-+@%,:=~").find(c) != std::string_view::npos;
    });
    return plain ? path : escape_string(path);
}

std::optional<DacDenial> find_dac_denial(const std::vector<PathComponent>& components,
                                         const std::string& path, const AccessNeed& need,
                                         const TaskInfo& task, const FixLimits& limits) {
    const auto checks = checks_for(components, path, need);
    for (const auto& check : checks) {
        const PathComponent& c = *check.component;
        unsigned denied = check.wanted & ~granted_bits(c, class_of(c, task));
        if (denied) return make_denial(c, task, check.wanted, denied, check.role, limits);
    }
    // The mode bits allow every step; a POSIX ACL entry for this user or one
    // of its groups may still refuse (named entries override "other").
    for (const auto& check : checks) {
        const PathComponent& c = *check.component;
        if (c.has_acl && class_of(c, task) != PermClass::owner) {
            DacDenial d = make_denial(c, task, check.wanted, check.wanted, check.role, limits);
            d.explanation = attempt_words(c.path, c.is_dir, check.wanted, check.role) +
                            ": the mode (" + std::to_string(c.uid) + ":" + std::to_string(c.gid) +
                            ", mode " + mode_text(c.mode) + ") allows it, but a POSIX ACL applies (getfacl " +
                            shown_path(c.path) + ")";
            d.fix = "setfacl -m u:" + std::to_string(task.fsuid) + ":" + bits_letters(check.wanted) +
                    " " + shown_path(c.path) + ", or run as uid " + std::to_string(c.uid);
            return d;
        }
    }
    return std::nullopt;
}

std::optional<AttrBlock> find_attr_block(const std::vector<PathComponent>& components,
                                         const std::string& path, const AccessNeed& need) {
    if (components.empty()) return std::nullopt;
    const std::string target = normalized(path);
    std::size_t final_index = components.size();
    for (std::size_t i = 0; i < components.size(); ++i)
        if (normalized(components[i].path) == target) final_index = i;
    if (final_index == components.size()) return std::nullopt;
    std::size_t file_index = final_index;
    if (need.follow_last && components[final_index].is_symlink && final_index + 1 < components.size())
        file_index = components.size() - 1;
    const PathComponent* parent = nullptr;
    for (std::size_t i = final_index; i-- > 0;)
        if (components[i].is_dir && components[i].exists) {
            parent = &components[i];
            break;
        }
    auto block = [](const PathComponent& c, bool immutable, std::string what) {
        AttrBlock b;
        b.path = c.path;
        b.immutable = immutable;
        const std::string p = shown_path(c.path);
        if (immutable) {
            b.explanation = p + " has the immutable attribute (chattr +i): " + what +
                            " is refused to everyone, even with every capability";
            b.fix = "chattr -i " + p +
                    " where the file is made (removing the flag needs LINUX_IMMUTABLE), or use another path";
        } else {
            b.explanation = p + " is append-only (chattr +a): " + what +
                            " is refused to everyone, even with every capability; only appending is allowed";
            b.fix = "chattr -a " + p +
                    " where the file is made (removing the flag needs LINUX_IMMUTABLE), or open it with O_APPEND";
        }
        return b;
    };
    const PathComponent& file = components[file_index];
    if (file.exists && (need.change_inode || need.remove)) {
        if (file.attr_flags & FS_IMMUTABLE_FL) return block(file, true, "changing it");
        if ((file.attr_flags & FS_APPEND_FL) && !need.append_only_ok)
            return block(file, false, need.remove ? "removing or renaming it" : "changing it except by appending");
    }
    if (parent && (need.create || need.remove)) {
        if (parent->attr_flags & FS_IMMUTABLE_FL)
            return block(*parent, true, need.create ? "adding entries to it" : "removing entries from it");
        if ((parent->attr_flags & FS_APPEND_FL) && need.remove)
            return block(*parent, false, "removing entries from it");
    }
    return std::nullopt;
}

}  // namespace capprof
