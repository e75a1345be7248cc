#include "project.h"

void matrix_multiply(const double* a, const double* b, double* out, size_t n) {
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
            double sum = 0;
            for (size_t k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
            out[i * n + j] = sum;
        }
}

double matrix_trace(const double* m, size_t n) {
    double t = 0;
    for (size_t i = 0; i < n; ++i) t += m[i * n + i];
    return t;
}
