#include <string.h>

#include "project.h"

static void merge_strings(const char** a, const char** tmp, size_t lo, size_t mid, size_t hi) {
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = strcmp(a[i], a[j]) <= 0 ? a[i++] : a[j++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

void sort_strings(const char** items, size_t n) {
    const char* tmp[4096];
    if (n > 4096) n = 4096;
    for (size_t width = 1; width < n; width *= 2)
        for (size_t lo = 0; lo + width < n; lo += 2 * width) {
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge_strings(items, tmp, lo, lo + width, hi);
        }
}

static void sift_down(double* a, size_t root, size_t n) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child] < a[child + 1]) ++child;
        if (a[root] >= a[child]) return;
        double t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

void sort_numbers(double* items, size_t n) {
    for (size_t i = n / 2; i-- > 0;) sift_down(items, i, n);
    for (size_t end = n; end-- > 1;) {
        double t = items[0];
        items[0] = items[end];
        items[end] = t;
        sift_down(items, 0, end);
    }
}
