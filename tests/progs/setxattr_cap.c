// setxattr_cap PATH: sets file capabilities (xattr security.capability,
// cap_net_raw=ep) on PATH. Needs SETFCAP (EPERM,
// security/commoncap.c cap_convert_nscap).
// Prints one line; exits 0 if setxattr succeeded, 1 if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: setxattr_cap PATH\n");
        return 2;
    }
    struct vfs_cap_data value = {0};
    value.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
    value.data[0].permitted = 1u << CAP_NET_RAW;
    int rc = setxattr(argv[1], "security.capability", &value, XATTR_CAPS_SZ_2, 0);
    int err = errno;
    printf("setxattr_cap pid=%d tid=%d: setxattr(\"%s\", \"security.capability\", "
           "cap_net_raw=ep) = %d %s\n",
           getpid(), gettid(), argv[1], rc, rc == 0 ? "" : strerrorname_np(err));
    return rc == 0 ? 0 : 1;
}
