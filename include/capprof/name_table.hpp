#pragma once
// A constant table of (number, name) pairs and its lookup, for the kernel
// constants capprof prints by name (netlink request types, socket options).
#include <cstddef>
#include <utility>

namespace capprof {

using NumberName = std::pair<int, const char*>;

// The name of `value` in `table`, or nullptr.
template <std::size_t N>
const char* name_of(const NumberName (&table)[N], int value) {
    for (const auto& [number, name] : table)
        if (number == value) return name;
    return nullptr;
}

}  // namespace capprof
