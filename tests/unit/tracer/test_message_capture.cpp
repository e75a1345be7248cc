// The program's own words after a denial: the first line written to fd 2,
// read from a synthetic task's memory.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>

#include "message_capture.hpp"
#include "silent_denial.hpp"

namespace capprof {
namespace {

class Memory : public TaskAccess {
public:
    std::uint64_t put(const void* data, std::size_t length) {
        std::uint64_t address = next_;
        memory_[address] = std::string(static_cast<const char*>(data), length);
        next_ += length + 0x1000;
        return address;
    }
    std::uint64_t put(const std::string& text) { return put(text.data(), text.size()); }
    bool read(std::uint64_t address, void* buffer, std::size_t length) const override {
        ++reads;
        for (const auto& [start, bytes] : memory_) {
            if (address >= start && address + length <= start + bytes.size()) {
                std::memcpy(buffer, bytes.data() + (address - start), length);
                return true;
            }
        }
        return false;
    }
    std::optional<std::string> fd_path(int) const override { return std::nullopt; }
    std::optional<std::string> cwd() const override { return "/"; }
    std::optional<std::string> root() const override { return "/"; }
    std::optional<std::string> netlink_sockets() const override { return std::nullopt; }
    mutable int reads = 0;

private:
    std::map<std::uint64_t, std::string> memory_;
    std::uint64_t next_ = 0x10000;
};

ArchSyscalls numbers() {
    ArchSyscalls n;
    n.write = 1;
    n.writev = 20;
    return n;
}

SyscallEntry write_entry(int fd, std::uint64_t buffer, std::size_t length) {
    SyscallEntry e;
    e.nr = 1;
    e.args = {static_cast<std::uint64_t>(fd), buffer, length, 0, 0, 0};
    return e;
}

TEST(MessageCapture, OnlyWritesToFd2Count) {
    EXPECT_TRUE(writes_to_stderr(numbers(), write_entry(2, 0, 0)));
    EXPECT_FALSE(writes_to_stderr(numbers(), write_entry(1, 0, 0)));
    SyscallEntry read = write_entry(2, 0, 0);
    read.nr = 0;
    EXPECT_FALSE(writes_to_stderr(numbers(), read));
}

TEST(MessageCapture, ALineInOneWrite) {
    Memory task;
    const std::string text = "httpd: bind: Permission denied\nmore\n";
    PendingMessage pending{true, {}};
    auto line = capture_written(pending, numbers(), write_entry(2, task.put(text), text.size()),
                                static_cast<long>(text.size()), task, false);
    EXPECT_EQ(line, "httpd: bind: Permission denied");
    EXPECT_FALSE(pending.awaiting) << "one message per denial";
}

TEST(MessageCapture, ALineInPiecesAndWhatWasWrittenNotAsked) {
    Memory task;
    PendingMessage pending{true, {}};
    const std::string first = "su: ";
    EXPECT_FALSE(capture_written(pending, numbers(), write_entry(2, task.put(first), 4), 4, task, false));
    // Only the 6 bytes the kernel says were written count.
    const std::string second = "cannot set groups\nIGNORED";
    auto line = capture_written(pending, numbers(), write_entry(2, task.put(second), second.size()), 18, task,
                                false);
    EXPECT_EQ(line, "su: cannot set groups");
}

TEST(MessageCapture, WritevAndTheByteLimit) {
    Memory task;
    const std::string a(150, 'a'), b(150, 'b');
    std::uint64_t iov[4] = {task.put(a), a.size(), task.put(b), b.size()};
    SyscallEntry e;
    e.nr = 20;
    e.args = {2, task.put(iov, sizeof iov), 2, 0, 0, 0};
    PendingMessage pending{true, {}};
    auto line = capture_written(pending, numbers(), e, 300, task, false);
    ASSERT_TRUE(line);
    EXPECT_EQ(line->size(), max_message_bytes);
    EXPECT_EQ(*line, a + std::string(50, 'b'));
}

TEST(MessageCapture, APartialLineIsTakenWhenTheWindowCloses) {
    Memory task;
    PendingMessage pending{true, {}};
    EXPECT_FALSE(capture_written(pending, numbers(), write_entry(2, task.put("\n\nno newline"), 12), 12, task,
                                 false));
    EXPECT_EQ(close_message(pending), "no newline");
    EXPECT_FALSE(pending.awaiting);
    EXPECT_FALSE(close_message(pending));
}

TEST(SilentDenial, KernelAddressesAreHiddenWithoutSyslog) {
    constexpr std::uint64_t syslog = std::uint64_t{1} << 34;
    EXPECT_TRUE(kernel_addresses_hidden(0, 0, 2)) << "this machine: kptr_restrict 0, perf_event_paranoid 2";
    EXPECT_FALSE(kernel_addresses_hidden(syslog, 0, 2));
    EXPECT_FALSE(kernel_addresses_hidden(0, 0, 1)) << "perf_event_paranoid <= 1 shows them to all";
    EXPECT_TRUE(kernel_addresses_hidden(0, 1, 1));
    EXPECT_FALSE(kernel_addresses_hidden(syslog, 1, 1));
    EXPECT_TRUE(kernel_addresses_hidden(syslog, 2, 0)) << "kptr_restrict 2 hides them from everyone";
}

}  // namespace
}  // namespace capprof
