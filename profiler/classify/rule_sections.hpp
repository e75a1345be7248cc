#pragma once
// What the rule rows (rules_<topic>.cpp) share: the verdict shorthands, the
// syscall families several rows name, and one function per section of the
// table. Only rules.cpp and the rules_*.cpp files include this header.
#include <cerrno>
#include <vector>

#include "classify/rule_predicates.hpp"
#include "classify/rules.hpp"

namespace capprof::rule_rows {

using namespace pred;

constexpr Verdict cap = Verdict::capability;
constexpr Verdict file = Verdict::file_permission;
constexpr Verdict none = Verdict::not_capability;

// Syscall groups shared by several rows.
#define OPENS "open openat openat2 creat"
#define PATH_CHANGES                                                                         \
    "open openat openat2 creat truncate truncate64 ftruncate ftruncate64 fallocate chmod fchmod fchmodat fchmodat2 chown "   \
    "fchown lchown fchownat chown32 fchown32 lchown32 utime utimes utimensat futimesat "      \
    "setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr unlink unlinkat "    \
    "rmdir rename renameat renameat2 link linkat mkdir mkdirat mknod mknodat symlink "       \
    "symlinkat bind acct"
#define KILLS "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal"
#define PTRACES "ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd get_robust_list process_madvise"
#define XATTR_SETS "setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr setxattrat removexattrat"
#define SCHED_SETS "sched_setscheduler sched_setparam sched_setattr"
#define IPC_CTLS "msgctl shmctl semctl"

inline constexpr const char* docker_old_name =
    "dockerd before 23.0 rejects this name in --cap-add; there, add SYS_ADMIN (a superset)";

std::vector<Rule> netlink_reply_rules();  // rules_network.cpp
std::vector<Rule> no_capability_rules();  // rules_environment.cpp
std::vector<Rule> proc_pid_rules();  // rules_processes.cpp
std::vector<Rule> exec_rules();  // rules_files.cpp
std::vector<Rule> file_attribute_rules();  // rules_files.cpp
std::vector<Rule> device_rules();  // rules_files.cpp
std::vector<Rule> signal_rules();  // rules_processes.cpp
std::vector<Rule> identity_rules();  // rules_processes.cpp
std::vector<Rule> capability_rules();  // rules_capabilities.cpp
std::vector<Rule> network_rules();  // rules_network.cpp
std::vector<Rule> memory_rules();  // rules_system.cpp
std::vector<Rule> namespace_rules();  // rules_system.cpp
std::vector<Rule> kernel_rules();  // rules_system.cpp
std::vector<Rule> scheduling_rules();  // rules_processes.cpp
std::vector<Rule> file_permission_rules();  // rules_files.cpp
std::vector<Rule> last_resort_rules();  // rules_environment.cpp

}  // namespace capprof::rule_rows
