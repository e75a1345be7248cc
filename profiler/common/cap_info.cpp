#include "common/cap_info.hpp"

#include <array>
#include <linux/capability.h>

namespace capprof {

namespace {

// Indexed by capability number (capabilities(7)). "docker_default" is
// Docker's default set of 14 (moby oci/caps/defaults.go).
const std::array<CapInfo, 41>& cap_table() {
    static const std::array<CapInfo, 41> table = {{
        /* 0 CHOWN */ {"medium", true, "change the owner and group of any file", ""},
        /* 1 DAC_OVERRIDE */
        {"high", true, "bypass file read, write and execute permission checks", ""},
        /* 2 DAC_READ_SEARCH */
        {"high", false,
         "read any file and search any directory (reads only; narrower than DAC_OVERRIDE)", ""},
        /* 3 FOWNER */
        {"medium", true, "act as the owner of any file (chmod, utimes, sticky directories)", ""},
        /* 4 FSETID */ {"low", true, "keep set-user/group-ID bits when modifying files", ""},
        /* 5 KILL */ {"low", true, "send signals to processes of other users", ""},
        /* 6 SETGID */ {"medium", true, "change group IDs and supplementary groups", ""},
        /* 7 SETUID */ {"medium", true, "change user IDs", ""},
        /* 8 SETPCAP */
        {"medium", true, "drop capabilities from the bounding set, change securebits", ""},
        /* 9 LINUX_IMMUTABLE */ {"medium", false, "set and clear immutable and append-only flags", ""},
        /* 10 NET_BIND_SERVICE */ {"low", true, "bind to ports below 1024", ""},
        /* 11 NET_BROADCAST */ {"low", false, "broadcast and multicast (unused by the kernel)", ""},
        /* 12 NET_ADMIN */
        {"high", false, "configure interfaces, routes, firewall and other network settings", ""},
        /* 13 NET_RAW */ {"medium", true, "use raw and packet sockets (spoofing, sniffing)", ""},
        /* 14 IPC_LOCK */ {"low", false, "lock memory (mlock, huge pages) beyond RLIMIT_MEMLOCK", ""},
        /* 15 IPC_OWNER */ {"medium", false, "bypass permission checks on System V IPC objects", ""},
        /* 16 SYS_MODULE */ {"high", false, "load and unload kernel modules: full control of the kernel", ""},
        /* 17 SYS_RAWIO */ {"high", false, "raw I/O ports, /dev/mem, FIBMAP and similar device access", ""},
        /* 18 SYS_CHROOT */ {"low", true, "call chroot(2)", ""},
        /* 19 SYS_PTRACE */ {"high", false, "trace and inspect any process (ptrace, process_vm_*)", ""},
        /* 20 SYS_PACCT */ {"low", false, "switch process accounting on and off", ""},
        /* 21 SYS_ADMIN */
        {"critical", false,
         "the new root: mount, namespaces, and dozens of unrelated administrative operations", ""},
        /* 22 SYS_BOOT */ {"high", false, "reboot the machine and load a new kernel (kexec)", ""},
        /* 23 SYS_NICE */
        {"low", false, "raise priorities, set real-time scheduling and CPU affinity of any process", ""},
        /* 24 SYS_RESOURCE */
        {"medium", false, "raise resource limits and override quotas and reserved space", ""},
        /* 25 SYS_TIME */ {"high", false, "set the system clock (not namespaced: the host's clock)", ""},
        /* 26 SYS_TTY_CONFIG */ {"low", false, "vhangup(2) and privileged terminal ioctls", ""},
        /* 27 MKNOD */ {"low", true, "create device nodes (the device cgroup still limits their use)", ""},
        /* 28 LEASE */ {"low", false, "take leases on files the process does not own", ""},
        /* 29 AUDIT_WRITE */ {"low", true, "write records to the kernel audit log", ""},
        /* 30 AUDIT_CONTROL */ {"medium", false, "configure kernel auditing", ""},
        /* 31 SETFCAP */ {"medium", true, "set file capabilities", ""},
        /* 32 MAC_OVERRIDE */ {"high", false, "override mandatory access control (Smack)", ""},
        /* 33 MAC_ADMIN */ {"high", false, "configure mandatory access control (Smack, AppArmor)", ""},
        /* 34 SYSLOG */ {"medium", false, "read the kernel log (dmesg) and kernel addresses", ""},
        /* 35 WAKE_ALARM */ {"low", false, "set alarms that wake the system", ""},
        /* 36 BLOCK_SUSPEND */ {"low", false, "prevent system suspend (EPOLLWAKEUP)", ""},
        /* 37 AUDIT_READ */ {"low", false, "read the audit log through multicast netlink", ""},
        /* 38 PERFMON */
        {"medium", false, "performance monitoring (perf_event_open) since Linux 5.8",
         "dockerd 20.10 rejects the name PERFMON; there use SYS_ADMIN (or lower "
         "kernel.perf_event_paranoid)"},
        /* 39 BPF */
        {"high", false, "load BPF programs and create BPF maps since Linux 5.8",
         "dockerd 20.10 rejects the name BPF; there use SYS_ADMIN"},
        /* 40 CHECKPOINT_RESTORE */
        {"medium", false, "checkpoint/restore operations (set_tid, ns_last_pid) since Linux 5.9",
         "dockerd 20.10 rejects the name CHECKPOINT_RESTORE; there use SYS_ADMIN"},
    }};
    return table;
}

static_assert(CAP_NET_BIND_SERVICE == 10 && CAP_SYS_ADMIN == 21 && CAP_CHECKPOINT_RESTORE == 40,
              "the table is indexed by capability number");

}  // namespace

const CapInfo& cap_info(int cap) {
    static const CapInfo unknown{"high", false, "a capability this version of capprof does not describe",
                                 ""};
    if (cap < 0 || cap >= static_cast<int>(cap_table().size())) return unknown;
    return cap_table()[static_cast<std::size_t>(cap)];
}

}  // namespace capprof
