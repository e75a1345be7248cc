#pragma once
// Escaping of strings that come from the workload (paths, comm, arguments)
// before they reach a terminal or a report, in the style of strace's
// string_quote(): a double-quoted C string, \n \t \r \f \v \" \\ spelled out,
// other control bytes as the shortest octal (three digits when a digit
// follows, as strace does, so "\0" "1" stays unambiguous), and `"..."`
// after the closing quote when the input was cut at max_len bytes.
//
// Unlike strace (which prints every byte >= 0x80 in octal), well-formed UTF-8
// is kept so non-English file names stay readable; what a terminal could act
// on is still escaped byte by byte: invalid or overlong sequences, surrogates,
// C1 controls (U+0080..U+009F, e.g. CSI), DEL, line/paragraph separators and
// bidirectional overrides (U+202A..U+202E, U+2066..U+2069, "Trojan Source").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace capprof {

namespace escape_detail {

inline void append_octal(std::string& out, unsigned char c, bool digit_follows) {
    out += '\\';
    if (digit_follows || c >= 0100) {
        out += static_cast<char>('0' + (c >> 6));
        out += static_cast<char>('0' + ((c >> 3) & 7));
    } else if (c >= 010) {
        out += static_cast<char>('0' + ((c >> 3) & 7));
    }
    out += static_cast<char>('0' + (c & 7));
}

// Length of the well-formed, harmless UTF-8 sequence at s[i] (2..4), or 0.
inline std::size_t safe_utf8_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    std::size_t len;
    std::uint32_t cp;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2, cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3, cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4, cp = lead & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    bool invalid = cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF);
    bool c1_control = cp >= 0x80 && cp <= 0x9F;
    bool separator = cp == 0x2028 || cp == 0x2029;
    bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                cp == 0x200E || cp == 0x200F || cp == 0x061C;
    if (overlong || invalid || c1_control || separator || bidi) return 0;
    return len;
}

}  // namespace escape_detail

inline std::string escape_string(std::string_view s, std::size_t max_len = 4096) {
    const bool truncated = s.size() > max_len;
    if (truncated) s = s.substr(0, max_len);
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\f': out += "\\f"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            case '\v': out += "\\v"; continue;
            default: break;
        }
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
            continue;
        }
        if (c >= 0x80) {
            if (std::size_t len = escape_detail::safe_utf8_length(s, i)) {
                out.append(s.substr(i, len));
                i += len - 1;
                continue;
            }
        }
        bool digit_follows = i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7';
        escape_detail::append_octal(out, c, digit_follows);
    }
    out += '"';
    if (truncated) out += "...";
    return out;
}

// A line the workload wrote (Finding::message): escaped as escape_string
// escapes it, without the surrounding quotes, since it is shown as a line
// of its own ("said  httpd: bind: Permission denied").
inline std::string escape_message(std::string_view s) {
    std::string quoted = escape_string(s, s.size());
    return quoted.substr(1, quoted.size() - 2);
}

}  // namespace capprof
