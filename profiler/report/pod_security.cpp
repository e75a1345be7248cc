#include "report/pod_security.hpp"

#include <linux/capability.h>

#include "common/cap_info.hpp"
#include "common/cap_names.hpp"
#include "report/file_caps_answer.hpp"
#include "report/formats.hpp"

namespace capprof {
namespace {

CapSet baseline_capabilities() {
    CapSet set = 0;
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
        if (cap_info(cap).docker_default && cap != CAP_NET_RAW) set |= cap_bit(cap);
    return set;
}

constexpr CapSet restricted_capabilities = cap_bit(CAP_NET_BIND_SERVICE);

// What keeps a baseline answer from restricted.
std::vector<std::string> restricted_needs(const Report& report) {
    std::vector<std::string> needs;
    if (const CapSet extra = report.cap_add & ~restricted_capabilities)
        needs.push_back("drop " + cap_names_text(extra) + " (restricted adds at most NET_BIND_SERVICE)");
    if (!runs_as_non_root(report)) needs.push_back("run as a non-root user (runAsNonRoot: true)");
    const std::string escalation = privilege_escalation_needed(report);
    if (!escalation.empty() || (runs_as_non_root(report) && report.cap_add)) {
        std::string item = "allowPrivilegeEscalation: false";
        if (!escalation.empty()) item += ", which breaks it: " + escalation;
        needs.push_back(item);
    }
    // A non-root process gets an added capability only from a file
    // capability, which no_new_privs (allowPrivilegeEscalation: false)
    // makes execve ignore: restricted then needs the call itself to go.
    if (report.cap_add & restricted_capabilities)
        needs.push_back("listen on a port >= 1024, or have the runtime set "
                        "net.ipv4.ip_unprivileged_port_start=0, so that a non-root user needs no "
                        "NET_BIND_SERVICE (a file capability needs allowPrivilegeEscalation: true)");
    return needs;
}

}  // namespace

const char* pod_security_name(PodSecurityLevel level) {
    switch (level) {
        case PodSecurityLevel::restricted: return "restricted";
        case PodSecurityLevel::baseline: return "baseline";
        default: return "privileged";
    }
}

PodSecurityLevel stricter_level(PodSecurityLevel level) {
    return level == PodSecurityLevel::privileged ? PodSecurityLevel::baseline : PodSecurityLevel::restricted;
}

PodSecurity pod_security(const Report& report) {
    PodSecurity security;
    if (const CapSet beyond = report.cap_add & ~baseline_capabilities()) {
        security.level = PodSecurityLevel::privileged;
        security.to_next.push_back("drop " + cap_names_text(beyond) +
                                   " (baseline adds only Docker's default capabilities, NET_RAW excepted)");
        return security;
    }
    security.to_next = restricted_needs(report);
    security.level = security.to_next.empty() ? PodSecurityLevel::restricted : PodSecurityLevel::baseline;
    return security;
}

std::string pod_security_text(const PodSecurity& security) {
    std::string text = pod_security_name(security.level);
    if (security.to_next.empty()) return text;
    text += std::string("; ") + pod_security_name(stricter_level(security.level)) + " needs: ";
    for (std::size_t i = 0; i < security.to_next.size(); ++i) text += (i ? "; " : "") + security.to_next[i];
    return text;
}

}  // namespace capprof
