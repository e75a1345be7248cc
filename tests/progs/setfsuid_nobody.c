// setfsuid_nobody: setfsuid(65534) from uid 0 without CAP_SETUID. The call
// never fails: it returns the old fsuid and leaves it unchanged. Prints the
// fsuid before and after (Uid: line of /proc/self/status); exits 0 when it
// changed, 1 when it silently did not.
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>

static int fsuid_now(void) {
    FILE* status = fopen("/proc/self/status", "r");
    char line[256];
    int real = -1, effective = -1, saved = -1, fs = -1;
    while (status && fgets(line, sizeof line, status))
        if (strncmp(line, "Uid:", 4) == 0) sscanf(line + 4, "%d %d %d %d", &real, &effective, &saved, &fs);
    if (status) fclose(status);
    return fs;
}

int main(void) {
    int before = fsuid_now();
    setfsuid(65534);
    int after = fsuid_now();
    printf("setfsuid_nobody: fsuid %d -> %d\n", before, after);
    return after == 65534 ? 0 : 1;
}
