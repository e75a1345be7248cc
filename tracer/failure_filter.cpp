#include "failure_filter.hpp"

#include <linux/audit.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "decode_event.hpp"
#include "syscall_names.hpp"

namespace capprof {

namespace {

struct ArchOf {
    Arch arch;
    std::uint32_t audit_arch;
};
// x32 numbers come from libseccomp with __X32_SYSCALL_BIT set, as the
// kernel reports them under AUDIT_ARCH_X86_64.
constexpr ArchOf arches[] = {
    {Arch::x86_64, AUDIT_ARCH_X86_64}, {Arch::x32, AUDIT_ARCH_X86_64}, {Arch::i386, AUDIT_ARCH_I386}};

// libseccomp names i386 socket and IPC calls by pseudo numbers, so
// syscall_number() scans for them (milliseconds): each run of minimize
// builds a filter, the numbers are looked up once per process.
std::optional<int> number_of(Arch arch, const std::string& name) {
    static std::mutex mutex;
    static std::map<std::pair<Arch, std::string>, std::optional<int>> known;
    std::lock_guard lock(mutex);
    auto [it, added] = known.try_emplace({arch, name});
    if (added) it->second = syscall_number(arch, name.c_str());
    return it->second;
}

}  // namespace

FailureFilter::FailureFilter(const std::vector<WatchedFailure>& watched) {
    for (const WatchedFailure& w : watched) {
        if (w.err <= 0 || static_cast<std::size_t>(w.err) >= max_errno || w.err == EPERM || w.err == EACCES)
            continue;
        for (const ArchOf& a : arches) {
            if (auto nr = number_of(a.arch, w.syscall))
                add(a.audit_arch, static_cast<std::uint64_t>(*nr), w.err);
            // glibc on i386 may reach shmctl through ipc(2) and sendmsg
            // through socketcall(2): the decoder tells them apart later.
            if (a.arch != Arch::i386) continue;
            if (const char* multiplexer = i386_multiplexer(w.syscall))
                if (auto nr = number_of(a.arch, multiplexer))
                    add(a.audit_arch, static_cast<std::uint64_t>(*nr), w.err);
        }
    }
}

void FailureFilter::add(std::uint32_t audit_arch, std::uint64_t nr, int err) {
    const Entry entry{audit_arch, nr, err};
    auto same = [&](const Entry& e) { return e.audit_arch == audit_arch && e.nr == nr && e.err == err; };
    if (std::any_of(entries_.begin(), entries_.end(), same)) return;
    entries_.push_back(entry);
    errnos_.set(static_cast<std::size_t>(err));
}

bool FailureFilter::watched(std::uint32_t audit_arch, std::uint64_t nr, int err) const {
    for (const Entry& e : entries_)
        if (e.nr == nr && e.err == err && e.audit_arch == audit_arch) return true;
    return false;
}

}  // namespace capprof
