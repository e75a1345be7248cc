#pragma once
// The answer for a systemd service (--unit): a drop-in for `systemctl edit
// UNIT` that locks the service down to the capabilities it needs, each with
// the call that needed it, and the command that installs it.
#include <string>

#include "report/report.hpp"

namespace capprof {

// The drop-in file (report.unit must be set): CapabilityBoundingSet=,
// AmbientCapabilities= for a non-root User=, NoNewPrivileges=yes unless a
// program needs a file capability or set-user-ID bit.
std::string render_unit_dropin(const Report& report);

// The lines that install it: `systemctl edit` fed the drop-in, then a restart.
std::string unit_install_commands(const Report& report);

// Why NoNewPrivileges=yes would break the service, or "".
std::string unit_needs_privilege_escalation(const Report& report);

}  // namespace capprof
