// Fuzzes the flag and constant printers with every value a workload can pass
// (unknown bits, negative numbers, huge values). Each must print something,
// in plain printable ASCII.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "decode_flags.hpp"
#include "fuzz_hazards.hpp"

using capprof::fuzz::require;

namespace {

void check(const std::string& text) {
    require(!text.empty() && text.size() < 4096);
    for (char c : text) require(c >= 0x20 && c < 0x7F);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint64_t v[2] = {0, 0};
    std::memcpy(v, data, size < sizeof v ? size : sizeof v);
    for (std::uint64_t value : {v[0], v[1], ~v[0], v[0] & 0xffffffff}) {
        const int small = static_cast<int>(value);
        check(capprof::open_flags_text(value));
        check(capprof::mode_text(value));
        check(capprof::mknod_mode_text(value));
        check(capprof::at_flags_text(value));
        check(capprof::access_mode_text(value));
        check(capprof::dirfd_text(small));
        check(capprof::socket_domain_text(small));
        check(capprof::socket_type_text(value));
        check(capprof::socket_protocol_text(static_cast<int>(v[1]), small));
        check(capprof::signal_text(small));
        check(capprof::clone_flags_text(value, true));
        check(capprof::clone_flags_text(value, false));
        check(capprof::mount_flags_text(value));
        check(capprof::umount_flags_text(value));
        check(capprof::prio_which_text(small));
        check(capprof::sched_policy_text(value));
        check(capprof::resource_text(small));
        check(capprof::ptrace_request_text(value));
        check(capprof::id_text(static_cast<std::uint32_t>(value)));
        check(capprof::hex_text(value));
        check(capprof::pointer_text(value));
        check(capprof::netlink_type_text(static_cast<int>((value >> 16) & 31), static_cast<int>(value & 0xffff)));
    }
    return 0;
}
