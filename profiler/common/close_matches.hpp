#pragma once
// "did you mean ...?" for a name the user typed: capability names, syscall
// names.
#include <string>
#include <string_view>
#include <vector>

namespace capprof {

// Names of `known` close to `typed`: those it is part of ("NET_BIND" in
// "NET_BIND_SERVICE"), else those within a few edits ("NET_BIND_SERVCE"),
// nearest first; at most a handful. Case-sensitive: normalise both first.
std::vector<std::string> close_matches(std::string_view typed, const std::vector<std::string>& known);

// "did you mean A, B or C?", or "" when `matches` is empty.
std::string did_you_mean(const std::vector<std::string>& matches);

}  // namespace capprof
