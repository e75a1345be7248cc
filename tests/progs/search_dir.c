// search_dir PATH: stat(PATH) where a directory on the way has no search (x)
// permission for uid 0 without capabilities: EACCES, a file-permission
// problem (DAC_READ_SEARCH would work around it).
// Prints one line; exits 0 if stat succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: search_dir PATH\n");
        return 2;
    }
    struct stat st;
    int rc = stat(argv[1], &st);
    int err = errno;
    printf("search_dir pid=%d tid=%d: stat(\"%s\") = %d %s\n", getpid(), gettid(), argv[1], rc,
           rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
