// Fuzzes escape_string(), which stands between every workload-controlled
// string (paths, comm, socket names) and the user's terminal. Checks what a
// terminal must never receive: control bytes, DEL, C1 controls, invalid
// UTF-8, line separators and bidirectional overrides; and that the result is
// one quoted string.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "capprof/escape.hpp"
#include "fuzz_hazards.hpp"

namespace {

using capprof::fuzz::require;

void check(std::string_view input, std::size_t max_len) {
    const std::string out = capprof::escape_string(input, max_len);
    std::string_view body = out;
    const bool truncated = input.size() > max_len;
    if (truncated) {
        require(body.size() >= 5 && body.substr(body.size() - 3) == "...");
        body.remove_suffix(3);
    }
    require(body.size() >= 2 && body.front() == '"' && body.back() == '"');
    body = body.substr(1, body.size() - 2);
    capprof::fuzz::require_terminal_safe(body);
    for (std::size_t i = 0; i < body.size();) {
        std::uint32_t cp = 0;
        std::size_t len = capprof::fuzz::decode_utf8(body, i, cp);
        if (cp == '"') require(false);          // every quote inside is escaped
        if (cp == '\\') {
            require(i + 1 < body.size());       // a backslash always starts an escape
            len = 2;
        }
        i += len;
    }
    // Escaping only grows the string, so nothing the workload wrote was dropped.
    if (!truncated) require(out.size() >= input.size() + 2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    check(input, 4096);
    check(input, size > 0 ? data[0] % 32 : 0);  // short limits cut inside sequences
    return 0;
}
