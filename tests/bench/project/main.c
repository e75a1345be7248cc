// wordstat: counts words on stdin, prints the most frequent ones, a CRC of
// the input and a small matrix checksum.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "project.h"

int main(void) {
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, stdin);
    text[len] = '\0';
    uint32_t crc = crc32_of(text, len);
    lower_ascii(text);
    static const char* words[1 << 16];
    size_t n = split_words(text, words, sizeof words / sizeof *words);
    struct table* t = table_new(4099);
    for (size_t i = 0; i < n; ++i) table_add(t, words[i]);
    const char* top[10];
    size_t counts[10];
    size_t k = table_top(t, top, counts, 10);
    sort_strings(top, k);
    char escaped[256];
    for (size_t i = 0; i < k; ++i) {
        json_escape(top[i], escaped, sizeof escaped);
        printf("\"%s\"\n", escaped);
    }
    double a[16], b[16], c[16];
    for (int i = 0; i < 16; ++i) a[i] = b[i] = sqrt((double)i);
    matrix_multiply(a, b, c, 4);
    sort_numbers(c, 16);
    printf("words %zu distinct %zu crc %08x trace %.3f\n", n, table_size(t), crc, matrix_trace(c, 4));
    table_free(t);
    return 0;
}
