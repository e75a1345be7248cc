#pragma once
// Capability names in Docker's spelling ("NET_BIND_SERVICE", no CAP_ prefix),
// backed by libcap so new kernels' capabilities are known.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capprof/caps.hpp"

namespace capprof {

// Highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).
int cap_last_cap();

// Docker spelling of capability `cap` ("CHOWN"); "CAP_40" style if unnamed.
std::string cap_name(int cap);

// Accepts "net_bind_service", "CAP_NET_BIND_SERVICE", "NET_BIND_SERVICE".
std::optional<int> cap_from_name(std::string_view name);

// "CHOWN,SETUID" or a list of such items -> set. "ALL" means every capability.
// Throws UserError (exit 125) naming the bad item and the close matches.
CapSet parse_cap_list(const std::vector<std::string>& items);

// Names in capability-number order.
std::vector<std::string> cap_names(CapSet set);

// The names joined by `separator` ("SETGID SETUID"); "none" for the empty set.
std::string cap_names_text(CapSet set, std::string_view separator = " ");

// All capabilities the running kernel knows.
CapSet cap_all();

}  // namespace capprof
