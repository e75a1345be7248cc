#pragma once
// Under ptrace, execve(2) ignores set-user-ID and set-group-ID bits and file
// capabilities unless the tracer held CAP_SYS_PTRACE when it attached
// (security/commoncap.c, cap_bprm_creds_from_file(): LSM_UNSAFE_PTRACE and
// !ptracer_capable() keep the old credentials). Traced by an ordinary user,
// or by root without CAP_SYS_PTRACE (Docker's default set), ping runs without
// its cap_net_raw although it would hold it untraced: the report says so.
#include <sys/types.h>

#include <vector>

#include "capprof/runner.hpp"

namespace capprof {

class IgnoredPrivilegeCheck {
public:
    // Decides once, from capprof's own CapEff, whether the check is needed.
    IgnoredPrivilegeCheck();

    // At PTRACE_EVENT_EXEC of `tid`: records the new executable when it
    // would have raised the task's privilege untraced. Reads nothing when
    // capprof holds CAP_SYS_PTRACE.
    void on_exec(pid_t tid);

    std::vector<IgnoredPrivilege> take() { return std::move(found_); }

private:
    bool active_ = false;
    std::vector<IgnoredPrivilege> found_;
};

}  // namespace capprof
