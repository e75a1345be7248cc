#include "silent_denial.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "capprof/proc_status.hpp"
#include "decode_event.hpp"
#include "syscall_names.hpp"

namespace capprof {

namespace {

constexpr std::uint32_t unchanged = 0xffffffffu;  // (uid_t)-1 asks for nothing
constexpr int cap_syslog = 34;                    // CAP_SYSLOG

// The id a setfsuid/setfsgid call asked for; i386's calls without the 32
// suffix take a 16-bit id.
std::uint32_t requested_id(const std::string& name, const SyscallEntry& entry) {
    if (entry.audit_arch == AUDIT_ARCH_I386 && !name.ends_with("32")) {
        const auto id = static_cast<std::uint32_t>(entry.args[0] & 0xffff);
        return id == 0xffff ? unchanged : id;
    }
    return static_cast<std::uint32_t>(entry.args[0]);
}

std::optional<SyscallEvent> fs_id_unchanged(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
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

// chmod(path, mode), fchmod(fd, mode): mode is the second argument;
// fchmodat(dirfd, path, mode[, flags]): the third.
std::optional<SyscallEvent> set_group_id_dropped(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                 const ArchSyscalls& numbers, const TaskAccess& task) {
    const bool at = entry.nr == numbers.fchmodat || entry.nr == numbers.fchmodat2;
    const auto mode = static_cast<mode_t>(entry.args[at ? 2 : 1]);
    if (!(mode & S_ISGID) || ret != 0) return std::nullopt;
    SyscallEvent event = decode_failure(tid, tgid, entry, ret, task);
    // The file as the task sees it: through its fd, or its root.
    const std::string proc = "/proc/" + std::to_string(tid);
    std::string file;
    if (entry.nr == numbers.fchmod) file = proc + "/fd/" + std::to_string(static_cast<int>(entry.args[0]));
    else if (event.path && !event.path->empty() && event.path->front() == '/') file = proc + "/root" + *event.path;
    else return std::nullopt;
    struct stat st {};
    const int flags = entry.nr == numbers.fchmodat2 ? static_cast<int>(entry.args[3] & AT_SYMLINK_NOFOLLOW) : 0;
    if (::fstatat(AT_FDCWD, file.c_str(), &st, flags) != 0 || (st.st_mode & S_ISGID)) return std::nullopt;
    return event;
}

std::optional<int> read_sysctl(const char* path) {
    std::ifstream in(path);
    int value = 0;
    if (in >> value) return value;
    return std::nullopt;
}

// open(path, flags), openat(dirfd, path, ...), openat2(dirfd, path, how):
// only read-only opens of the two files, by their absolute path.
std::optional<SyscallEvent> kernel_addresses_zeroed(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                    const ArchSyscalls& numbers, const TaskAccess& task) {
    if (ret < 0) return std::nullopt;
    const bool plain_open = entry.nr == numbers.open;
    if (entry.nr != numbers.openat2 && (entry.args[plain_open ? 1 : 2] & O_ACCMODE) == O_WRONLY)
        return std::nullopt;
    char path[16] = {};
    if (!task.read(entry.args[plain_open ? 0 : 1], path, sizeof path - 1)) {
        // A path near the end of a mapping: read_string reads page by page.
        auto text = task.read_string(entry.args[plain_open ? 0 : 1], sizeof path - 1);
        if (!text) return std::nullopt;
        std::strncpy(path, text->c_str(), sizeof path - 1);
    }
    if (std::strcmp(path, "/proc/kallsyms") != 0 && std::strcmp(path, "/proc/modules") != 0) return std::nullopt;
    auto info = read_task_info(tid);
    if (!info) return std::nullopt;
    if (!kernel_addresses_hidden(info->cap_eff, read_sysctl("/proc/sys/kernel/kptr_restrict").value_or(1),
                                 read_sysctl("/proc/sys/kernel/perf_event_paranoid").value_or(2)))
        return std::nullopt;
    return decode_failure(tid, tgid, entry, ret, task);
}

}  // namespace

bool kernel_addresses_hidden(std::uint64_t cap_eff, int kptr_restrict, int perf_event_paranoid) {
    if (kptr_restrict >= 2) return true;  // to everyone: the rule table says no capability helps
    if (cap_eff & (std::uint64_t{1} << cap_syslog)) return false;
    return kptr_restrict == 1 || perf_event_paranoid > 1;
}

std::optional<SyscallEvent> decode_silent_denial(pid_t tid, pid_t tgid, const SyscallEntry& entry, long ret,
                                                 const ArchSyscalls& numbers, const TaskAccess& task) {
    if (numbers.changes_mode(entry.nr)) return set_group_id_dropped(tid, tgid, entry, ret, numbers, task);
    if (numbers.opens(entry.nr)) return kernel_addresses_zeroed(tid, tgid, entry, ret, numbers, task);
    return fs_id_unchanged(tid, tgid, entry, ret, task);
}

}  // namespace capprof
