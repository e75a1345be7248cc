// packet_socket: socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) needs NET_RAW
// (EPERM). Prints one line; exits 0 if the socket was created, 1 if not.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    int err = errno;
    printf("packet_socket pid=%d tid=%d: socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = %d %s\n",
           getpid(), gettid(), fd, fd >= 0 ? "" : strerrorname_np(err));
    return fd >= 0 ? 0 : 1;
}
