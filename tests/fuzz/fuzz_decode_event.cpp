// Fuzzes the whole failing-call decoder (decode_failure and the netlink reply
// decoder) against a synthetic task whose memory, /proc links and netlink
// table are the fuzz input: any syscall number on x86_64 or i386, arguments
// pointing anywhere (into the memory, just past it, nowhere), strings without
// NUL that run into unmapped memory. The strings it prints must be safe for a
// terminal; ASan checks that nothing is read out of bounds.
//
// Input layout: arch(1) nr(2) pointer_mask(1) links(1) args(6*8) memory...
#include <linux/audit.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "decode_event.hpp"
#include "fuzz_hazards.hpp"

using capprof::fuzz::require;

namespace {

constexpr std::uint64_t memory_base = 0x10000000;  // page aligned, below 4 GiB for i386

class FuzzTask : public capprof::TaskAccess {
public:
    FuzzTask(const std::uint8_t* data, std::size_t size, std::uint8_t links)
        : memory_(data, data + size), links_(links) {}

    bool read(std::uint64_t address, void* buffer, std::size_t length) const override {
        if (length == 0) return true;
        if (address < memory_base || address - memory_base > memory_.size() ||
            length > memory_.size() - (address - memory_base))
            return false;
        std::memcpy(buffer, memory_.data() + (address - memory_base), length);
        return true;
    }
    std::optional<std::string> fd_path(int fd) const override {
        if (links_ & 1) return std::nullopt;  // the task closed it, or exited
        if (fd == 3) return std::string("socket:[12345]");
        if (fd == 4) return std::string("/srv/\x1b[2Jdir\nname");
        return std::string("/var/chroot/data");
    }
    std::optional<std::string> cwd() const override {
        if (links_ & 2) return std::nullopt;
        return std::string(links_ & 4 ? "/var/chroot/home" : "/tmp/\xff\xfe cwd");
    }
    std::optional<std::string> root() const override {
        if (links_ & 8) return std::nullopt;
        return std::string(links_ & 4 ? "/var/chroot" : "/");
    }
    std::optional<std::string> netlink_sockets() const override {
        return std::string(
            "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
            "ffff8f0c0a3c5800 0   1234       00000000 0        0        0     2        0        12345\n");
    }

private:
    std::vector<std::uint8_t> memory_;
    std::uint8_t links_;
};

void check_event(const capprof::SyscallEvent& event) {
    capprof::fuzz::require_terminal_safe(event.name);
    capprof::fuzz::require_terminal_safe(event.args_text);
    require(event.args_text.size() < 64 * 1024);
    if (event.path) require(event.path->size() <= 2 * 4096 + 256);
    if (event.sockaddr) capprof::fuzz::require_terminal_safe(event.sockaddr->text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t header = 1 + 2 + 1 + 1 + 6 * 8;
    if (size < header) return 0;
    capprof::SyscallEntry entry;
    entry.audit_arch = (data[0] & 1) ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    std::uint16_t nr;
    std::memcpy(&nr, data + 1, sizeof nr);
    entry.nr = nr % 512;
    const std::uint8_t pointer_mask = data[3];
    const std::uint8_t links = data[4];
    const std::size_t memory_size = size - header;
    for (int i = 0; i < 6; ++i) {
        std::uint64_t value;
        std::memcpy(&value, data + 5 + 8 * i, sizeof value);
        // A pointer argument lands in the memory or up to 16 bytes past it.
        if (pointer_mask & (1u << i)) value = memory_base + value % (memory_size + 16);
        if (entry.audit_arch == AUDIT_ARCH_I386) value &= 0xffffffff;
        entry.args[static_cast<std::size_t>(i)] = value;
    }
    FuzzTask task(data + header, memory_size, links);

    long ret = (data[0] & 2) ? -EACCES : -EPERM;
    check_event(capprof::decode_failure(100, 100, entry, ret, task));
    // The same call seen as a successful receive of `ret` bytes.
    long received = static_cast<long>(entry.args[2] % 8192);
    if (auto event = capprof::decode_netlink_denial(100, 100, entry, received, task)) {
        require(event->err == EPERM || event->err == EACCES || event->netlink.has_value());
        check_event(*event);
    }
    capprof::creates_netlink_socket(entry, task);
    return 0;
}
