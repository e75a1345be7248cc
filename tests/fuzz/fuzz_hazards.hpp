#pragma once
// Checks shared by the fuzz targets: what text bound for a terminal must not
// contain. A failed check aborts, which libFuzzer reports with the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace capprof::fuzz {

inline void require(bool ok) {
    if (!ok) std::abort();
}

// Decodes one strict UTF-8 sequence (no overlongs, no surrogates) at s[i];
// returns its length, or 0 when invalid.
inline std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
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
    if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// Code points a terminal acts on or that reorder text (C0/C1 controls, DEL,
// line separators, bidirectional controls).
inline bool terminal_hazard(std::uint32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x200E || cp == 0x200F || cp == 0x061C) return true;
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Valid UTF-8 with no hazard; `allowed` lists control bytes that may appear
// (e.g. "\n" for multi-line reports).
inline void require_terminal_safe(std::string_view text, std::string_view allowed = "") {
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        require(len != 0);
        require(!terminal_hazard(cp) || (cp < 0x80 && allowed.find(static_cast<char>(cp)) != std::string_view::npos));
        i += len;
    }
}

}  // namespace capprof::fuzz
