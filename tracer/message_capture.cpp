#include "message_capture.hpp"

#include <algorithm>
#include <cstdint>

namespace capprof {

namespace {

constexpr std::size_t max_iovecs = 16;  // a logger writes a line in a few pieces

// Appends up to `length` bytes at `address`; false when nothing more fits.
bool append_bytes(std::string& text, std::uint64_t address, std::size_t length, const TaskAccess& task) {
    const std::size_t room = max_message_bytes - std::min(text.size(), max_message_bytes);
    const std::size_t take = std::min(length, room);
    if (take == 0) return false;
    std::string bytes(take, '\0');
    if (!task.read(address, bytes.data(), take)) return false;
    text += bytes;
    return text.size() < max_message_bytes;
}

void append_iovecs(std::string& text, const SyscallEntry& entry, std::size_t written, const TaskAccess& task,
                   bool compat) {
    const std::size_t count = std::min<std::uint64_t>(entry.args[2], max_iovecs);
    for (std::size_t i = 0; i < count && written > 0; ++i) {
        std::uint64_t base = 0, length = 0;
        if (compat) {
            std::uint32_t iov[2];
            if (!task.read(entry.args[1] + i * sizeof iov, iov, sizeof iov)) return;
            base = iov[0], length = iov[1];
        } else {
            std::uint64_t iov[2];
            if (!task.read(entry.args[1] + i * sizeof iov, iov, sizeof iov)) return;
            base = iov[0], length = iov[1];
        }
        length = std::min<std::uint64_t>(length, written);
        written -= length;
        if (!append_bytes(text, base, length, task)) return;
    }
}

}  // namespace

std::optional<std::string> capture_written(PendingMessage& pending, const ArchSyscalls& numbers,
                                           const SyscallEntry& entry, long ret, const TaskAccess& task,
                                           bool compat) {
    if (ret <= 0) return std::nullopt;
    if (entry.nr == numbers.write)
        append_bytes(pending.text, entry.args[1], static_cast<std::size_t>(ret), task);
    else
        append_iovecs(pending.text, entry, static_cast<std::size_t>(ret), task, compat);
    // Blank lines before the first words are not a message.
    const std::size_t start = pending.text.find_first_not_of('\n');
    if (start == std::string::npos) {
        pending.text.clear();
        return std::nullopt;
    }
    pending.text.erase(0, start);
    const std::size_t newline = pending.text.find('\n');
    if (newline == std::string::npos && pending.text.size() < max_message_bytes) return std::nullopt;
    std::string line = pending.text.substr(0, std::min(newline, max_message_bytes));
    pending = PendingMessage{};
    return line;
}

std::optional<std::string> close_message(PendingMessage& pending) {
    std::optional<std::string> rest;
    if (pending.awaiting && !pending.text.empty()) rest = std::move(pending.text);
    pending = PendingMessage{};
    return rest;
}

}  // namespace capprof
