#pragma once
#include <stddef.h>
#include <stdint.h>

struct table;
struct table* table_new(size_t buckets);
void table_add(struct table* t, const char* word);
size_t table_size(const struct table* t);
size_t table_top(const struct table* t, const char** words, size_t* counts, size_t n);
void table_free(struct table* t);

void sort_strings(const char** items, size_t n);
void sort_numbers(double* items, size_t n);

size_t split_words(char* text, const char** words, size_t max);
void lower_ascii(char* text);

void matrix_multiply(const double* a, const double* b, double* out, size_t n);
double matrix_trace(const double* m, size_t n);

size_t json_escape(const char* in, char* out, size_t out_size);

uint32_t crc32_of(const void* data, size_t size);
