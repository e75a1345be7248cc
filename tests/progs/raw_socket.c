// raw_socket: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) needs NET_RAW (EPERM).
// Prints one line; exits 0 if the socket was created, 1 if not.
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int err = errno;
    printf("raw_socket pid=%d tid=%d: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = %d %s\n",
           getpid(), gettid(), fd, fd >= 0 ? "" : strerrorname_np(err));
    return fd >= 0 ? 0 : 1;
}
