// kallsyms_addresses: reads /proc/kallsyms as a profiler or symbolizer does
// and needs the real addresses. The open succeeds either way; without
// CAP_SYSLOG (unless kernel.kptr_restrict is 0 and kernel.perf_event_paranoid
// at most 1) every address reads as zeros, and nothing reports an error.
// Exits 0 when it found a non-zero address, 1 (with a message on stderr)
// when they were hidden.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    FILE* f = fopen("/proc/kallsyms", "r");
    if (!f) {
        perror("kallsyms_addresses: /proc/kallsyms");
        return 2;
    }
    char line[512];
    int lines = 0, nonzero = 0;
    while (lines < 1000 && fgets(line, sizeof line, f)) {
        ++lines;
        if (strtoull(line, NULL, 16) != 0) {
            nonzero = 1;
            break;
        }
    }
    fclose(f);
    if (!nonzero) {
        fprintf(stderr, "kallsyms_addresses: kernel addresses are hidden (all zero)\n");
        return 1;
    }
    printf("kallsyms_addresses: real addresses\n");
    return 0;
}
