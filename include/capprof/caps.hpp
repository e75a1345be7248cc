#pragma once
// Capability sets as plain 64-bit masks (bit N = capability number N, as in
// /proc/PID/status and capget(2)). Names and parsing live in the profiler
// (profiler/cap_names.*, backed by libcap); this header stays dependency-free.
#include <cstdint>

namespace capprof {

using CapSet = std::uint64_t;

constexpr CapSet cap_bit(int cap) { return CapSet{1} << cap; }
constexpr bool cap_has(CapSet set, int cap) { return (set & cap_bit(cap)) != 0; }

}  // namespace capprof
