// drop_if_capable: switches to nobody (gid then uid 65534) only when it holds
// CAP_SETGID and CAP_SETUID in its effective set, silently staying root
// otherwise, as programs that look before they drop do. No call fails.
// Prints "euid=U egid=G" and exits 0.
#include <linux/capability.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int holds(int cap) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {{0}};
    if (syscall(SYS_capget, &header, data) != 0) return 0;
    return (data[cap / 32].effective >> (cap % 32)) & 1;
}

int main(void) {
    if (holds(CAP_SETGID)) setgid(65534);
    if (holds(CAP_SETUID)) setuid(65534);
    printf("euid=%d egid=%d\n", (int)geteuid(), (int)getegid());
    return 0;
}
