#include <ctype.h>
#include <string.h>

#include "project.h"

size_t split_words(char* text, const char** words, size_t max) {
    size_t n = 0;
    char* p = text;
    while (*p && n < max) {
        while (*p && !isalnum((unsigned char)*p)) ++p;
        if (!*p) break;
        words[n++] = p;
        while (*p && isalnum((unsigned char)*p)) ++p;
        if (*p) *p++ = '\0';
    }
    return n;
}

void lower_ascii(char* text) {
    for (; *text; ++text) *text = (char)tolower((unsigned char)*text);
}
