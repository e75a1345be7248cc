#pragma once
// The answer for a non-root --user under Docker and Kubernetes. Both put the
// added capabilities only in the bounding set of a non-root process
// (KERNEL-NOTES): `docker run --user www-data --cap-add NET_BIND_SERVICE`
// holds nothing, and binding port 80 fails. What works is a file capability
// on the executable that makes the call (setcap in the image build), which
// execve(2) turns into permitted and effective capabilities within the
// bounding set (capabilities(7), "Transformation of capabilities during
// execve()"), as long as no_new_privs is not set.
#include <string>
#include <vector>

#include "capprof/caps.hpp"
#include "report/report.hpp"

namespace capprof {

struct FileCapability {
    std::string exe;   // absolute path of the executable, as the workload ran it
    CapSet caps = 0;
};

// Whether --user names someone other than root ("0", "root", "0:GROUP").
bool runs_as_non_root(const Report& report);

// For a non-root --user with capabilities to add: each executable that made
// a call needing them, with the capabilities of report.cap_add it needs.
// Capabilities no finding names go to the command itself. Empty otherwise.
std::vector<FileCapability> file_capabilities_needed(const Report& report);

// "setcap cap_net_bind_service+ep /usr/bin/busybox" (the path shell-quoted).
std::string setcap_command(const FileCapability& file);

// "/usr/bin/python3.11 is an interpreter: ..." when a file capability on
// `exe` would reach every program it runs; "" otherwise.
std::string interpreter_caveat(const std::string& exe);

}  // namespace capprof
