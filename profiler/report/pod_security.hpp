#pragma once
// The Kubernetes Pod Security Standards level an answer satisfies, judged on
// what capprof knows: the added capabilities, the user, and whether
// allowPrivilegeEscalation can be false (formats.hpp). The levels, from the
// strictest (kubernetes.io/docs/concepts/security/pod-security-standards):
//  - restricted: capabilities dropped to ALL, adding at most
//    NET_BIND_SERVICE; runAsNonRoot; allowPrivilegeEscalation: false.
//  - baseline: adds only capabilities of Docker's default set, NET_RAW
//    excepted (AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD
//    NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT).
//  - privileged: anything else.
#include <string>
#include <vector>

#include "report/report.hpp"

namespace capprof {

enum class PodSecurityLevel { restricted, baseline, privileged };

struct PodSecurity {
    PodSecurityLevel level = PodSecurityLevel::privileged;
    // What would have to change to reach the next stricter level (empty for
    // restricted), one item each: "drop SYS_ADMIN", "run as a non-root user".
    std::vector<std::string> to_next;
};

PodSecurity pod_security(const Report& report);

// "restricted", "baseline", "privileged" (the JSON and Kubernetes spelling).
const char* pod_security_name(PodSecurityLevel level);

// The level one step stricter, for "baseline needs: ..." (restricted: itself).
PodSecurityLevel stricter_level(PodSecurityLevel level);

// "baseline; restricted needs: run as a non-root user; ..." for the text
// summary and the comment of the k8s output.
std::string pod_security_text(const PodSecurity& security);

}  // namespace capprof
