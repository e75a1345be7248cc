// Fuzzes decode_sockaddr() with the bytes and addrlen a workload passes to
// bind/connect/sendto: any length, any family, unix paths without a NUL.
// The decoder must read only `length` bytes (ASan checks: the input is copied
// to a buffer of exactly that size) and its text, printed in reports, must be
// safe for a terminal.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <cstring>

#include "decode_sockaddr.hpp"
#include "fuzz_hazards.hpp"

using capprof::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // An exactly sized copy, so a read past addrlen is a heap overflow.
    auto bytes = std::make_unique<std::uint8_t[]>(size);
    if (size) std::memcpy(bytes.get(), data, size);
    capprof::SockAddr addr = capprof::decode_sockaddr(bytes.get(), size);
    require(!addr.text.empty() && addr.text.front() == '{' && addr.text.back() == '}');
    capprof::fuzz::require_terminal_safe(addr.text);
    require(addr.port >= -1 && addr.port <= 65535);
    return 0;
}
