#include <stdlib.h>
#include <string.h>

#include "project.h"

struct entry {
    char* word;
    size_t count;
    struct entry* next;
};

struct table {
    struct entry** buckets;
    size_t nbuckets, size;
};

static size_t hash_of(const char* s) {
    size_t h = 1469598103934665603ull;
    for (; *s; ++s) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct table* table_new(size_t buckets) {
    struct table* t = calloc(1, sizeof *t);
    t->buckets = calloc(buckets, sizeof *t->buckets);
    t->nbuckets = buckets;
    return t;
}

void table_add(struct table* t, const char* word) {
    size_t b = hash_of(word) % t->nbuckets;
    for (struct entry* e = t->buckets[b]; e; e = e->next)
        if (strcmp(e->word, word) == 0) {
            ++e->count;
            return;
        }
    struct entry* e = malloc(sizeof *e);
    e->word = strdup(word);
    e->count = 1;
    e->next = t->buckets[b];
    t->buckets[b] = e;
    ++t->size;
}

size_t table_size(const struct table* t) { return t->size; }

size_t table_top(const struct table* t, const char** words, size_t* counts, size_t n) {
    size_t filled = 0;
    for (size_t b = 0; b < t->nbuckets; ++b)
        for (struct entry* e = t->buckets[b]; e; e = e->next) {
            size_t i = filled < n ? filled++ : n;
            while (i > 0 && counts[i - 1] < e->count) {
                if (i < n) {
                    counts[i] = counts[i - 1];
                    words[i] = words[i - 1];
                }
                --i;
            }
            if (i < n) {
                counts[i] = e->count;
                words[i] = e->word;
            }
        }
    return filled;
}

void table_free(struct table* t) {
    for (size_t b = 0; b < t->nbuckets; ++b)
        for (struct entry* e = t->buckets[b]; e;) {
            struct entry* next = e->next;
            free(e->word);
            free(e);
            e = next;
        }
    free(t->buckets);
    free(t);
}
