// many_denials DIR N [long]: opens N distinct files below DIR, which must be a
// directory that uid 0 without DAC_READ_SEARCH cannot search (owner 1000,
// mode 0700): each openat fails with EACCES for a different path. Then binds
// port 80 (NET_BIND_SERVICE below ip_unprivileged_port_start). With "long",
// each name is about 3,000 bytes of control characters and invalid UTF-8 (the
// worst case for what capprof stores and prints). Prints one line; exits 1
// when a call failed, as a program that needs both would.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { long_name = 3000 };

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: many_denials DIR N [long]\n");
        return 2;
    }
    const char *dir = argv[1];
    long n = atol(argv[2]);
    int hostile = argc > 3 && strcmp(argv[3], "long") == 0;
    static char path[4096];
    long denied = 0;
    for (long i = 0; i < n; ++i) {
        int len = snprintf(path, sizeof path, "%s/%ld-", dir, i);
        if (hostile) {
            // 255 bytes per component (NAME_MAX), "/" between them.
            for (int k = 0; k < long_name && len < (int)sizeof path - 2; ++k)
                path[len++] = k % 256 == 255 ? '/' : (char)(k % 2 ? 0x1b : 0xff);
            path[len] = '\0';
        }
        int fd = open(path, O_RDONLY);
        if (fd >= 0) close(fd);
        else if (errno == EACCES) ++denied;
    }
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(80),
                             .sin_addr.s_addr = htonl(INADDR_ANY)};
    int bound = bind(sock, (struct sockaddr *)&sa, sizeof sa) == 0;
    printf("many_denials pid=%d: %ld of %ld opens denied, bind port 80 %s\n", getpid(), denied, n,
           bound ? "ok" : "denied");
    return denied == 0 && bound ? 0 : 1;
}
