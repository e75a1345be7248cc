// Fuzzes the netlink decoders: the reply bytes a workload receives (an
// NLMSG_ERROR hides rtnetlink denials, KERNEL-NOTES.md), the /proc/TID/fd
// link text, and /proc/TID/net/netlink. The first input byte picks the
// decoder; the rest is its input, copied to a buffer of exactly that size.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "decode_netlink.hpp"
#include "fuzz_hazards.hpp"

using capprof::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t which = data[0] % 3;
    ++data, --size;
    auto bytes = std::make_unique<std::uint8_t[]>(size);
    if (size) std::memcpy(bytes.get(), data, size);
    std::string_view text(reinterpret_cast<const char*>(bytes.get()), size);
    switch (which) {
        case 0:
            if (auto denial = capprof::parse_netlink_denial(bytes.get(), size)) {
                require(denial->error == EPERM || denial->error == EACCES);
                require(size >= capprof::netlink_error_bytes);
            }
            break;
        case 1:
            if (auto inode = capprof::socket_inode(text)) require(text.rfind("socket:[", 0) == 0);
            break;
        case 2: {
            std::uint64_t inode = 0;
            if (size >= sizeof inode) std::memcpy(&inode, bytes.get(), sizeof inode);
            capprof::netlink_protocol(text, inode);
            capprof::netlink_protocol(text, 12345);
            break;
        }
    }
    return 0;
}
