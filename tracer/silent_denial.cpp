#include "silent_denial.hpp"

#include <linux/audit.h>

#include "capprof/proc_status.hpp"
#include "decode_event.hpp"
#include "syscall_names.hpp"

namespace capprof {

namespace {

constexpr std::uint32_t unchanged = 0xffffffffu;  // (uid_t)-1 asks for nothing

// The id a setfsuid/setfsgid call asked for; i386's calls without the 32
// suffix take a 16-bit id.
std::uint32_t requested_id(const std::string& name, const SyscallEntry& entry) {
    if (entry.audit_arch == AUDIT_ARCH_I386 && !name.ends_with("32")) {
        const auto id = static_cast<std::uint32_t>(entry.args[0] & 0xffff);
        return id == 0xffff ? unchanged : id;
    }
    return static_cast<std::uint32_t>(entry.args[0]);
}

}  // namespace

std::optional<SyscallEvent> decode_silent_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                 const TaskAccess& task) {
    const Arch arch = arch_from_audit(entry.audit_arch, entry.nr);
    const std::string name = syscall_name(arch, static_cast<int>(entry.nr));
    const bool uid = name.starts_with("setfsuid");
    if (!uid && !name.starts_with("setfsgid")) return std::nullopt;
    const std::uint32_t asked = requested_id(name, entry);
    if (asked == unchanged) return std::nullopt;  // setfsuid(-1): the query idiom
    auto info = read_task_info(tid);
    if (!info) return std::nullopt;
    if ((uid ? info->fsuid : info->fsgid) == asked) return std::nullopt;
    return decode_failure(tid, tgid, entry, ret, task);
}

}  // namespace capprof
