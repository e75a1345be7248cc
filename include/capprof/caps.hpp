#pragma once
// Capability sets as plain 64-bit masks (bit N = capability number N, as in
// /proc/PID/status and capget(2)). Names and parsing live in the profiler
// (profiler/cap_names.*, backed by libcap); this header stays dependency-free.
#include <bit>
#include <cstdint>

namespace capprof {

using CapSet = std::uint64_t;

constexpr CapSet cap_bit(int cap) { return CapSet{1} << cap; }
constexpr bool cap_has(CapSet set, int cap) { return (set & cap_bit(cap)) != 0; }

// The capability numbers in a set, lowest first:
//   for (int cap : caps_in(set)) ...
class CapNumbers {
public:
    class iterator {
    public:
        constexpr explicit iterator(CapSet rest) : rest_(rest) {}
        constexpr int operator*() const { return std::countr_zero(rest_); }
        constexpr iterator& operator++() {
            rest_ &= rest_ - 1;  // clear the lowest bit
            return *this;
        }
        constexpr bool operator==(const iterator&) const = default;

    private:
        CapSet rest_;
    };
    constexpr explicit CapNumbers(CapSet set) : set_(set) {}
    constexpr iterator begin() const { return iterator(set_); }
    constexpr iterator end() const { return iterator(0); }

private:
    CapSet set_;
};

constexpr CapNumbers caps_in(CapSet set) { return CapNumbers(set); }

// The lowest capability number in a non-empty set.
constexpr int lowest_cap(CapSet set) { return std::countr_zero(set); }

}  // namespace capprof
