#pragma once
// What the rules look at: the argument predicates of the rule table and the
// facts that fill the explanation templates (typed access to the raw
// arguments is in event_args.hpp).
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "classify/dac.hpp"
#include "classify/event_args.hpp"
#include "classify/rules.hpp"

namespace capprof {

// The first component that refuses the access the call needed (path, then path2).
std::optional<DacDenial> dac_denial_for(const RuleInput& input);
// An immutable/append-only inode that refused the change (path, then path2).
std::optional<AttrBlock> attr_block_for(const RuleInput& input);

// Capabilities an execve needed for the file's capabilities but could not get.
std::uint64_t exec_missing_caps(const RuleInput& input);

// The bytes a failing mlock/mlock2/mmap/mmap2/mremap asked to lock or map:
// page-aligned as mm/mlock.c counts them (mremap: the growth).
std::optional<std::uint64_t> memlock_request(const SyscallEvent& event);

// The kernel interface a path belongs to when a container sees it read-only
// (Docker mounts /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus and
// /sys read-only): "/proc/sys", ..., or nullopt.
std::optional<std::string> read_only_kernel_mount(std::string_view path);

// Capability names ("NET_RAW, NET_ADMIN") of a set.
std::string cap_list_text(std::uint64_t set);

// Values for the {placeholders} of explanation, fix and note templates.
std::map<std::string, std::string> rule_facts(const RuleInput& input);

// The predicates of the rule table (named as `capprof rules` describes them).
namespace pred {
bool bind_low_port(const RuleInput&);
bool raw_or_packet_socket(const RuleInput&);
bool icmp_datagram_socket(const RuleInput&);
bool sockopt_mark_priority_transparent(const RuleInput&);
bool sockopt_net_admin(const RuleInput&);
bool sockopt_bindtodevice(const RuleInput&);
bool netlink_bind_groups(const RuleInput&);
bool net_ioctl_set(const RuleInput&);
bool netlink_netfilter_request(const RuleInput&);
bool netlink_route_request(const RuleInput&);
bool netlink_audit_user(const RuleInput&);
bool netlink_audit_control(const RuleInput&);
bool netlink_other(const RuleInput&);
bool exec_file_caps(const RuleInput&);
bool exec_noexec_mount(const RuleInput&);
bool dac_denied(const RuleInput&);
bool dac_denied_no_capability(const RuleInput&);
bool attr_blocked(const RuleInput&);
bool protected_symlink(const RuleInput&);
bool protected_regular(const RuleInput&);
bool hardlink_protected(const RuleInput&);
bool sticky_dir_not_owner(const RuleInput&);
bool open_noatime(const RuleInput&);
bool fcntl_noatime(const RuleInput&);
bool fcntl_setlease(const RuleInput&);
bool fcntl_pipe_size(const RuleInput&);
bool xattr_acl_or_sticky(const RuleInput&);
bool xattr_capability(const RuleInput&);
bool xattr_trusted(const RuleInput&);
bool xattr_smack(const RuleInput&);
bool xattr_security_other(const RuleInput&);
bool ioctl_setflags(const RuleInput&);
bool ioctl_setflags_not_owner(const RuleInput&);
bool ioctl_tiocsti(const RuleInput&);
bool ioctl_fibmap(const RuleInput&);
bool kill_other_user(const RuleInput&);
bool ptrace_traceme(const RuleInput&);
bool ptrace_target_traced(const RuleInput&);
bool ptrace_scope_forbids(const RuleInput&);
bool proc_pid_ptrace_access(const RuleInput&);
bool proc_pid_mode_denied(const RuleInput&);
bool proc_map_files(const RuleInput&);
bool dev_port_memory(const RuleInput&);
bool dev_kmsg(const RuleInput&);
// kernel.kptr_restrict is 2 or more: kernel addresses are zeros for everyone.
bool kptr_restrict_for_all(const RuleInput&);
bool proc_kmsg(const RuleInput&);
bool memfd_path(const RuleInput&);
bool proc_oom_score_adj(const RuleInput&);
bool securityfs_path(const RuleInput&);
bool ns_last_pid(const RuleInput&);
bool proc_sys_net_write(const RuleInput&);
bool proc_sys_net_sysadmin_write(const RuleInput&);
bool proc_sys_usermodehelper_write(const RuleInput&);
bool proc_sys_user_write(const RuleInput&);
bool proc_sys_write(const RuleInput&);
bool mknod_device(const RuleInput&);
bool clone_namespaces(const RuleInput&);
bool clone_newuser_only(const RuleInput&);
bool clone3_set_tid(const RuleInput&);
bool clone_newuser_userns_clone_off(const RuleInput&);
bool capset_raises_permitted(const RuleInput&);
bool capset_beyond_bounding(const RuleInput&);
bool capset_raises_effective(const RuleInput&);
bool capset_effective_beyond_permitted(const RuleInput&);
bool capset_setpcap(const RuleInput&);
bool prctl_capbset_drop(const RuleInput&);
bool prctl_ambient_raise(const RuleInput&);
bool prctl_securebits(const RuleInput&);
bool prctl_set_mm(const RuleInput&);
bool prctl_set_mm_map(const RuleInput&);
bool shmctl_lock(const RuleInput&);
bool ipc_ctl_set_rmid(const RuleInput&);
bool mmap_locked(const RuleInput&);
bool mmap_low_address(const RuleInput&);
bool shmget_hugetlb(const RuleInput&);
bool alarm_clock(const RuleInput&);
bool sched_realtime_held(const RuleInput&);
bool perf_paranoid(const RuleInput&);
bool bpf_unprivileged_disabled(const RuleInput&);
bool memlock_over_limit(const RuleInput&);
bool mlockall_over_limit(const RuleInput&);
bool shmctl_shm_lock(const RuleInput&);
bool io_uring_buffers(const RuleInput&);
bool mqueue_attr_over_limit(const RuleInput&);
bool mqueue_create(const RuleInput&);
bool read_only_kernel_interface(const RuleInput&);
bool id_map_maps_root(const RuleInput&);
bool seccomp_filter(const RuleInput&);
bool lsm_confined(const RuleInput&);
bool foreign_user_namespace(const RuleInput&);
}  // namespace pred

}  // namespace capprof
