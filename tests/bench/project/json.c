#include <stdio.h>

#include "project.h"

size_t json_escape(const char* in, char* out, size_t out_size) {
    size_t o = 0;
    for (; *in && o + 7 < out_size; ++in) {
        unsigned char c = (unsigned char)*in;
        switch (c) {
        case '"': out[o++] = '\\'; out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; out[o++] = '\\'; break;
        case '\n': out[o++] = '\\'; out[o++] = 'n'; break;
        case '\t': out[o++] = '\\'; out[o++] = 't'; break;
        default:
            if (c < 0x20) o += (size_t)snprintf(out + o, out_size - o, "\\u%04x", c);
            else out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}
