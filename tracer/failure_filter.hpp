#pragma once
// Which failing syscall exits the tracer decodes: EPERM and EACCES always,
// plus the (syscall, errno) pairs the sink watches (EventSink::
// watched_failures), resolved to numbers per architecture once, when the
// run starts. Asked at every failing exit, so it reads nothing and
// allocates nothing: an errno nobody watches costs one bit test.
#include <bitset>
#include <cerrno>
#include <cstdint>
#include <vector>

#include "capprof/runner.hpp"

namespace capprof {

class FailureFilter {
public:
    explicit FailureFilter(const std::vector<WatchedFailure>& watched);

    // `ret` is the syscall's return value (-errno) at a failing exit.
    bool wants(std::uint32_t audit_arch, std::uint64_t nr, long ret) const {
        if (ret == -EPERM || ret == -EACCES) return true;
        const long err = -ret;
        if (err <= 0 || err >= static_cast<long>(max_errno) || !errnos_.test(static_cast<std::size_t>(err)))
            return false;
        return watched(audit_arch, nr, static_cast<int>(err));
    }

    // How many (architecture, number, errno) entries the watch resolved to.
    std::size_t size() const { return entries_.size(); }

private:
    static constexpr std::size_t max_errno = 256;
    struct Entry {
        std::uint32_t audit_arch;
        std::uint64_t nr;
        int err;
    };
    bool watched(std::uint32_t audit_arch, std::uint64_t nr, int err) const;
    void add(std::uint32_t audit_arch, std::uint64_t nr, int err);

    std::bitset<max_errno> errnos_;  // every watched errno, for the first test
    std::vector<Entry> entries_;     // a handful: a linear scan beats a hash
};

}  // namespace capprof
