#pragma once
// The profiler's judgement about one (aggregated) failing call.
#include <optional>
#include <string>
#include <vector>

#include "capprof/syscall_event.hpp"

namespace capprof {

enum class Verdict { capability, file_permission, not_capability, unknown };

// "capability", "file-permission", "not-capability", "unknown" (JSON spelling).
const char* verdict_name(Verdict v);

struct Finding {
    Verdict verdict = Verdict::unknown;
    std::optional<std::string> capability;   // Docker spelling, no CAP_ prefix
    std::vector<std::string> alternatives;   // other capabilities that also fix it
    bool required = true;                    // false: the workload succeeded anyway
    std::string explanation;                 // why the kernel refused
    std::string fix;                         // what the user should do
    std::vector<std::string> notes;          // environment notes that change the answer
    std::string rule;                        // id of the rule that matched
    SyscallEvent event;                      // the first occurrence
    std::uint64_t count = 1;                 // identical failures aggregated
};

}  // namespace capprof
