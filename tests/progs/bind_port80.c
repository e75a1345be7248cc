// bind_port80: bind(2) a TCP socket to 0.0.0.0:80, or [::]:80 with "-6".
// An optional second argument changes the port. Below
// net.ipv4.ip_unprivileged_port_start this needs NET_BIND_SERVICE (EACCES).
// Prints one line; exits 0 if bind succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int inet6 = argc > 1 && strcmp(argv[1], "-6") == 0;
    int port = argc > 2 ? atoi(argv[2]) : 80;
    int fd = socket(inet6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("bind_port80: socket");
        return 2;
    }
    // As servers do: do not let TIME_WAIT connections of an earlier server
    // on the port turn the answer into EADDRINUSE.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc;
    if (inet6) {
        struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(port),
                                  .sin6_addr = IN6ADDR_ANY_INIT};
        rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    } else {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
                                 .sin_addr.s_addr = htonl(INADDR_ANY)};
        rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    }
    int err = errno;
    printf("bind_port80 pid=%d tid=%d: bind(%d, {%s, %s:%d}) = %s%s\n", getpid(), gettid(), fd,
           inet6 ? "AF_INET6" : "AF_INET", inet6 ? "[::]" : "0.0.0.0", port,
           rc == 0 ? "0" : "-1 ", rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
