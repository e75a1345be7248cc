#include "classify/privilege_drop.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace capprof {

namespace {

constexpr std::uint32_t unchanged = 0xffffffffu;  // (uid_t)-1: "leave this id as it is"

// i386's setuid, setgid, setreuid... (without the 32 suffix) take 16-bit ids.
std::uint32_t id_argument(const SyscallEvent& event, int i) {
    const std::uint64_t raw = event.args[static_cast<std::size_t>(i)];
    const bool narrow = event.arch == Arch::i386 && !event.name.ends_with("32");
    if (narrow) return (raw & 0xffff) == 0xffff ? unchanged : static_cast<std::uint32_t>(raw & 0xffff);
    return static_cast<std::uint32_t>(raw);
}

int id_arguments(std::string_view name) {
    if (name.starts_with("setres")) return 3;
    if (name.starts_with("setre")) return 2;
    return 1;  // setuid, setgid, setfsuid, setfsgid
}

// Any of the call's ids that names someone else than root.
bool asks_other_than_root(const SyscallEvent& event) {
    for (int i = 0; i < id_arguments(event.name); ++i) {
        const std::uint32_t id = id_argument(event, i);
        if (id != unchanged && id != 0) return true;
    }
    return false;
}

bool holds_root(std::uint32_t real, std::uint32_t effective, std::uint32_t saved, std::uint32_t fs) {
    return real == 0 || effective == 0 || saved == 0 || fs == 0;
}

bool is_uid_call(std::string_view name) {
    return name == "setuid" || name == "setuid32" || name == "setreuid" || name == "setreuid32" ||
           name == "setresuid" || name == "setresuid32" || name == "setfsuid" || name == "setfsuid32";
}

bool is_gid_call(std::string_view name) {
    return name == "setgid" || name == "setgid32" || name == "setregid" || name == "setregid32" ||
           name == "setresgid" || name == "setresgid32" || name == "setfsgid" || name == "setfsgid32";
}

// setgroups that leaves out a group the task holds (or more groups than
// capprof decoded, which it cannot rule out).
bool removes_a_group(const SyscallEvent& event) {
    const auto& held = event.task.groups;
    const auto& asked = event.groups_requested;
    if (held.empty()) return false;
    if (event.groups_truncated) return true;
    return std::any_of(held.begin(), held.end(),
                       [&](gid_t group) { return std::find(asked.begin(), asked.end(), group) == asked.end(); });
}

}  // namespace

bool is_privilege_drop(const SyscallEvent& event) {
    const TaskInfo& t = event.task;
    if (is_uid_call(event.name)) return holds_root(t.uid, t.euid, t.suid, t.fsuid) && asks_other_than_root(event);
    if (is_gid_call(event.name)) return holds_root(t.gid, t.egid, t.sgid, t.fsgid) && asks_other_than_root(event);
    if (event.name == "setgroups" || event.name == "setgroups32") return removes_a_group(event);
    return false;
}

}  // namespace capprof
