#pragma once
// What the decoders may read of a stopped task: its memory and the /proc
// links that say how it sees the filesystem. An interface so that decoders
// are tested with synthetic tasks.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace capprof {

class TaskAccess {
public:
    virtual ~TaskAccess() = default;
    // Exactly `length` bytes at `address`, or false (unmapped, unreadable).
    virtual bool read(std::uint64_t address, void* buffer, std::size_t length) const = 0;
    // The target of /proc/TID/fd/N, /proc/TID/cwd, /proc/TID/root.
    virtual std::optional<std::string> fd_path(int fd) const = 0;
    virtual std::optional<std::string> cwd() const = 0;
    virtual std::optional<std::string> root() const = 0;
    // The text of /proc/TID/net/netlink (the task's network namespace).
    virtual std::optional<std::string> netlink_sockets() const = 0;

    // A NUL-terminated string of at most max_length bytes. Reads page by
    // page so a string ending just before an unmapped page is still read
    // (strace's umovestr). nullopt if the first byte cannot be read.
    // `truncated` is set when no NUL was found within max_length.
    std::optional<std::string> read_string(std::uint64_t address, std::size_t max_length,
                                           bool* truncated = nullptr) const;
};

// The real thing: process_vm_readv(2), falling back to PTRACE_PEEKDATA when
// the kernel refuses it, and readlink(2) under /proc/TID.
class ProcTaskAccess : public TaskAccess {
public:
    explicit ProcTaskAccess(pid_t tid) : tid_(tid) {}
    bool read(std::uint64_t address, void* buffer, std::size_t length) const override;
    std::optional<std::string> fd_path(int fd) const override;
    std::optional<std::string> cwd() const override;
    std::optional<std::string> root() const override;
    std::optional<std::string> netlink_sockets() const override;

private:
    std::optional<std::string> proc_link(const std::string& name) const;
    pid_t tid_;
};

}  // namespace capprof
