// Fuzzes parse_proc_status(), which reads /proc/TID/status of a task whose
// "Name:" line the workload chooses (prctl(PR_SET_NAME)): missing fields,
// overlong numbers, junk, no newline at the end.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capprof/proc_status.hpp"
#include "fuzz_hazards.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    capprof::TaskInfo info = capprof::parse_proc_status(text);
    capprof::fuzz::require(info.comm.size() <= size);
    return 0;
}
