#include "task_access.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ptrace_ops.hpp"

namespace capprof {

namespace {
constexpr std::uint64_t page_size = 4096;
}

std::optional<std::string> TaskAccess::read_string(std::uint64_t address, std::size_t max_length,
                                                   bool* truncated) const {
    if (truncated) *truncated = false;
    std::string text;
    char chunk[page_size];
    while (text.size() < max_length) {
        std::size_t to_page_end = page_size - (address % page_size);
        std::size_t want = std::min<std::size_t>(to_page_end, max_length - text.size());
        if (!read(address, chunk, want)) {
            if (text.empty()) return std::nullopt;
            return text;  // the string runs into an unreadable page
        }
        if (const void* nul = std::memchr(chunk, '\0', want)) {
            text.append(chunk, static_cast<const char*>(nul) - chunk);
            return text;
        }
        text.append(chunk, want);
        address += want;
    }
    if (truncated) *truncated = true;
    return text;
}

bool ProcTaskAccess::read(std::uint64_t address, void* buffer, std::size_t length) const {
    if (length == 0) return true;
    if (address == 0) return false;
    iovec local{buffer, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t n = ::process_vm_readv(tid_, &local, 1, &remote, 1, 0);
    if (n == static_cast<ssize_t>(length)) return true;
    if (n >= 0 || (errno != ENOSYS && errno != EPERM)) return false;
    // process_vm_readv unavailable (ENOSYS, or EPERM under some LSMs): one
    // word at a time through ptrace, which the tracer is always allowed.
    auto* out = static_cast<unsigned char*>(buffer);
    std::uint64_t offset = address % sizeof(long);
    std::uint64_t word_address = address - offset;
    std::size_t copied = 0;
    while (copied < length) {
        long word;
        if (ptrace_ops::peek_word(tid_, word_address, word) != 0) return false;
        auto* bytes = reinterpret_cast<unsigned char*>(&word);
        std::size_t take = std::min<std::size_t>(sizeof(long) - offset, length - copied);
        std::memcpy(out + copied, bytes + offset, take);
        copied += take;
        offset = 0;
        word_address += sizeof(long);
    }
    return true;
}

std::optional<std::string> ProcTaskAccess::proc_link(const std::string& name) const {
    std::string link = "/proc/" + std::to_string(tid_) + "/" + name;
    char target[PATH_MAX];
    ssize_t n = ::readlink(link.c_str(), target, sizeof target);
    if (n <= 0) return std::nullopt;
    return std::string(target, static_cast<std::size_t>(n));
}

std::optional<std::string> ProcTaskAccess::fd_path(int fd) const {
    return proc_link("fd/" + std::to_string(fd));
}

std::optional<std::string> ProcTaskAccess::cwd() const { return proc_link("cwd"); }

std::optional<std::string> ProcTaskAccess::root() const { return proc_link("root"); }

std::optional<std::string> ProcTaskAccess::netlink_sockets() const {
    std::ifstream in("/proc/" + std::to_string(tid_) + "/net/netlink");
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace capprof
