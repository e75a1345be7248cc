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

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

// Decodes one UTF-8 sequence at s[i] (strictly: no overlongs, no surrogates);
// returns its length or 0 when invalid.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3
                    : (lead >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return 0;
    cp = len == 1 ? lead : lead & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

bool harmless(std::uint32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x200E || cp == 0x200F || cp == 0x061C)
        return false;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return false;
    return true;
}

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
    for (std::size_t i = 0; i < body.size();) {
        std::uint32_t cp = 0;
        std::size_t len = decode_utf8(body, i, cp);
        require(len != 0 && harmless(cp));
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
