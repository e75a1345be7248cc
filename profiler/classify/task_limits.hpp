#pragma once
// A task's resource limits and memory figures, as /proc/TID/limits and
// /proc/TID/status show them (proc(5)). Reading /proc/TID/limits needs no
// capability, where prlimit(2) on another user's task needs SYS_RESOURCE.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "classify/context.hpp"

namespace capprof {

// The soft limit of the row named `name` ("Max locked memory") of a
// /proc/TID/limits text: nullopt when absent; UINT64_MAX for "unlimited".
std::optional<std::uint64_t> soft_limit(std::string_view limits_text, std::string_view name);

// A "Vm...:   1234 kB" field of a /proc/TID/status text, in bytes.
std::optional<std::uint64_t> status_bytes(std::string_view status_text, std::string_view field);

// The last (innermost namespace) number of a "NStgid:"/"NSpid:" field.
std::optional<pid_t> innermost_id(std::string_view status_text, std::string_view field);

// VmLck, VmSize and the soft RLIMIT_MEMLOCK of task `tid`.
std::optional<MemlockState> read_memlock_state(pid_t tid);

// The soft RLIMIT_NOFILE of task `tid`.
std::optional<long> read_nofile_limit(pid_t tid);

}  // namespace capprof
