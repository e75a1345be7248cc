// netlink_setlink [IFNAME]: asks rtnetlink to set the MTU of IFNAME (default
// "lo") to the value it already has (RTM_NEWLINK, as `ip link set lo mtu N`
// does). Without NET_ADMIN sendmsg succeeds and the refusal comes back in the
// reply: recvmsg returns an NLMSG_ERROR whose error is -EPERM (rtnetlink(7)).
// Prints one line; exits 0 if the kernel accepted the request, 1 if not.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *ifname = argc > 1 ? argv[1] : "lo";
    // SIOCGIFMTU needs no capability: read the MTU to set it to itself.
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    int inet = socket(AF_INET, SOCK_DGRAM, 0);
    if (inet < 0 || ioctl(inet, SIOCGIFMTU, &ifr) != 0) {
        perror("netlink_setlink: SIOCGIFMTU");
        return 2;
    }
    unsigned mtu = (unsigned)ifr.ifr_mtu;
    int index = (int)if_nametoindex(ifname);

    struct {
        struct nlmsghdr header;
        struct ifinfomsg info;
        char attrs[64];
    } request = {0};
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof request.info);
    request.header.nlmsg_type = RTM_NEWLINK;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    request.header.nlmsg_seq = 1;
    request.info.ifi_family = AF_UNSPEC;
    request.info.ifi_index = index;
    struct rtattr *attr = (struct rtattr *)((char *)&request + NLMSG_ALIGN(request.header.nlmsg_len));
    attr->rta_type = IFLA_MTU;
    attr->rta_len = RTA_LENGTH(sizeof mtu);
    memcpy(RTA_DATA(attr), &mtu, sizeof mtu);
    request.header.nlmsg_len = NLMSG_ALIGN(request.header.nlmsg_len) + RTA_ALIGN(attr->rta_len);

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        perror("netlink_setlink: socket");
        return 2;
    }
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec out = {&request, request.header.nlmsg_len};
    struct msghdr sent = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &out,
                          .msg_iovlen = 1};
    if (sendmsg(fd, &sent, 0) < 0) {
        perror("netlink_setlink: sendmsg");
        return 2;
    }
    char reply[4096];
    struct iovec in = {reply, sizeof reply};
    struct msghdr received = {.msg_iov = &in, .msg_iovlen = 1};
    ssize_t len = recvmsg(fd, &received, 0);
    if (len < 0) {
        perror("netlink_setlink: recvmsg");
        return 2;
    }
    struct nlmsghdr *answer = (struct nlmsghdr *)reply;
    int error = 0;
    if (NLMSG_OK(answer, (unsigned)len) && answer->nlmsg_type == NLMSG_ERROR)
        error = ((struct nlmsgerr *)NLMSG_DATA(answer))->error;
    printf("netlink_setlink pid=%d tid=%d: RTM_NEWLINK %s mtu %u: recvmsg -> NLMSG_ERROR %d %s\n",
           getpid(), gettid(), ifname, mtu, error, error == 0 ? "" : strerrorname_np(-error));
    return error == 0 ? 0 : 1;
}
