// Hostile strings: makes failing syscalls whose paths, socket addresses and
// comm hold newlines, terminal escape sequences, invalid UTF-8, bidi overrides,
// 4 KiB+ lengths and pointers into unmapped memory. capprof must print them
// escaped, keep its JSON valid, and never crash.
// Usage: hostile_strings DIR   (DIR: an empty directory; files are made there)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static const char* const names[] = {
    "hostile-newline\nfake: line",
    "hostile-esc\x1b[2J\x1b]0;pwned\x07",
    "hostile-utf8\xff\xfe\xc0\xaf",
    "hostile-bidi\xe2\x80\xae" "txt.exe",
    "hostile-csi\xc2\x9b" "31m",
    "hostile-quote\"back\\slash",
};

// A file that uid 0 without CAP_DAC_OVERRIDE cannot read: mode 000, so even
// its owner gets EACCES (generic_permission checks the owner bits).
static void make_unreadable(const char* path) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0);
    if (fd >= 0) close(fd);
    chmod(path, 0);
}

static void expect_denied(const char* what, long ret) {
    if (ret >= 0 || (errno != EACCES && errno != EPERM))
        fprintf(stderr, "hostile_strings: %s: unexpected result %ld (%s)\n", what, ret,
                strerror(errno));
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: hostile_strings DIR\n");
        return 2;
    }
    const char* dir = argv[1];
    char path[8192];

    // 1. Paths with hostile bytes (openat -> EACCES).
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        make_unreadable(path);
        expect_denied("open", open(path, O_RDONLY));
    }

    // 2. A path close to PATH_MAX (4096) made of "./" components.
    snprintf(path, sizeof path, "%s/hostile-long", dir);
    make_unreadable(path);
    size_t len = (size_t)snprintf(path, sizeof path, "%s/", dir);
    while (len + 2 + strlen("hostile-long") < 4000) {
        memcpy(path + len, "./", 2);
        len += 2;
    }
    strcpy(path + len, "hostile-long");
    expect_denied("open long", open(path, O_RDONLY));

    // 3. Strings the kernel never reads: swapon(2) and acct(2) check their
    // capability before copying the path (mm/swapfile.c, kernel/acct.c).
    long page = sysconf(_SC_PAGESIZE);
    char* pages = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) return 3;
    munmap(pages + 2 * page, (size_t)page);       // third page unmapped
    memset(pages, 'A', (size_t)page * 2);         // no NUL before the hole
    expect_denied("swapon unterminated", syscall(SYS_swapon, pages, 0));
    expect_denied("acct unterminated", syscall(SYS_acct, pages + page + 10));
    expect_denied("swapon unmapped", syscall(SYS_swapon, pages + 2 * page, 0));
    expect_denied("acct bad pointer", syscall(SYS_acct, (char*)16));
    char* huge = malloc(70000);                   // 4 KiB+ string, NUL-terminated
    if (!huge) return 3;
    memset(huge, 'B', 69999);
    huge[69999] = '\0';
    memcpy(huge, "/\x1b[31m", 6);
    expect_denied("swapon huge", syscall(SYS_swapon, huge, 0));
    free(huge);
    // sethostname checks CAP_SYS_ADMIN before the length (kernel/sys.c).
    expect_denied("sethostname", sethostname("evil\n\x1b[2Jhost", 14));
    expect_denied("sethostname unmapped", syscall(SYS_sethostname, pages + 2 * page, 64));

    // 4. A unix socket address with hostile bytes, sun_path filled to the end
    // without a NUL, in a directory its owner (uid 0) may not write: EACCES.
    snprintf(path, sizeof path, "%s/hostile-sockdir", dir);
    mkdir(path, 0500);
    chmod(path, 0500);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun;
    memset(&sun, 'S', sizeof sun);
    sun.sun_family = AF_UNIX;
    int n = snprintf(sun.sun_path, sizeof sun.sun_path, "%s/\x1b]0;sock\x07\n", path);
    if (n > 0 && (size_t)n < sizeof sun.sun_path) sun.sun_path[n] = 'S';  // no NUL
    expect_denied("bind", bind(fd, (struct sockaddr*)&sun, sizeof sun));
    // a socklen larger than any sockaddr (EPERM is not what it gets; decode only)
    char big[4096];
    memset(big, 0x1b, sizeof big);
    ((struct sockaddr*)big)->sa_family = AF_UNIX;
    bind(fd, (struct sockaddr*)big, sizeof big);
    close(fd);

    // 5. A hostile comm, then one more failing call so it shows in a report.
    snprintf(path, sizeof path, "%s/hostile-comm", dir);
    make_unreadable(path);
    prctl(PR_SET_NAME, "\x1b[31mred\nx", 0, 0, 0);
    expect_denied("open after comm", open(path, O_RDONLY));
    return 0;
}
