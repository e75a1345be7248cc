#pragma once
// What a user should know about granting each capability.
#include <string>

namespace capprof {

struct CapInfo {
    std::string risk;            // "low", "medium", "high", "critical" (SYS_ADMIN: "the new root")
    bool docker_default = false; // in Docker's default 14
    std::string summary;         // one line: what it allows
    std::string docker_note;     // e.g. "dockerd 20.10 rejects this name; use SYS_ADMIN"
};

const CapInfo& cap_info(int cap);

}  // namespace capprof
