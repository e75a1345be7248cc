// --unit: the drop-in for systemctl edit, from synthetic reports.
#include <linux/capability.h>

#include <gtest/gtest.h>

#include "report/unit_dropin.hpp"

namespace capprof {
namespace {

Finding capability_finding(const std::string& cap, const std::string& syscall, const std::string& step) {
    Finding finding;
    finding.verdict = Verdict::capability;
    finding.capability = cap;
    finding.event.name = syscall;
    finding.event.args_text = "6, {AF_INET, 0.0.0.0:80}, 16";
    finding.event.task.pid = 4242;
    finding.event.task.comm = "nginx";
    finding.step = step;
    return finding;
}

Report service_report(bool non_root) {
    Report report;
    report.success = true;
    report.cap_add = cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_CHOWN);
    report.findings.push_back(capability_finding("NET_BIND_SERVICE", "bind", "ExecStart=/usr/sbin/nginx"));
    report.unit = UnitSummary{"web.service", "/lib/systemd/system/web.service", {}, "forking",
                              non_root ? std::optional<std::string>("www-data") : std::nullopt, non_root,
                              {"PrivateTmp=yes"}, {}};
    return report;
}

TEST(UnitDropIn, ResetsThenSetsTheBoundingSetWithACommentPerCapability) {
    const std::string text = render_unit_dropin(service_report(false));
    EXPECT_NE(text.find("[Service]\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE\n"),
              std::string::npos) << text;
    EXPECT_NE(text.find("# CAP_NET_BIND_SERVICE: bind(6, {AF_INET, 0.0.0.0:80}, 16) by nginx (pid 4242) in ExecStart\n"),
              std::string::npos) << text;
    EXPECT_NE(text.find("# CAP_CHOWN: granted to the run"), std::string::npos) << text;
    EXPECT_NE(text.find("# not emulated while profiling: PrivateTmp=yes\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("AmbientCapabilities"), std::string::npos) << text;
    EXPECT_NE(text.find("\nNoNewPrivileges=yes\n"), std::string::npos) << text;
}

TEST(UnitDropIn, ANonRootUserGetsAmbientCapabilities) {
    const std::string text = render_unit_dropin(service_report(true));
    EXPECT_NE(text.find("\nAmbientCapabilities=\nAmbientCapabilities=CAP_CHOWN CAP_NET_BIND_SERVICE\n"), std::string::npos)
        << text;
}

TEST(UnitDropIn, NoNewPrivilegesStaysOffForSetuidOrFileCapabilityPrograms) {
    Report report = service_report(false);
    report.ignored_privileges.push_back({"/usr/bin/ping", false, false, cap_bit(CAP_NET_RAW)});
    std::string text = render_unit_dropin(report);
    EXPECT_EQ(text.find("\nNoNewPrivileges=yes"), std::string::npos) << text;
    EXPECT_NE(text.find("# no NoNewPrivileges=yes: /usr/bin/ping has file capabilities"), std::string::npos) << text;
    report = service_report(false);
    report.findings.push_back(capability_finding("NET_RAW", "execve", ""));
    EXPECT_EQ(render_unit_dropin(report).find("\nNoNewPrivileges=yes"), std::string::npos);
}

TEST(UnitDropIn, NoCapabilityLeavesAnEmptyBoundingSet) {
    Report report = service_report(false);
    report.cap_add = 0;
    report.findings.clear();
    const std::string text = render_unit_dropin(report);
    EXPECT_NE(text.find("\nCapabilityBoundingSet=\nNoNewPrivileges=yes\n"), std::string::npos) << text;
}

TEST(UnitDropIn, InstallCommandsFeedSystemctlEditAndRestart) {
    const std::string text = unit_install_commands(service_report(false));
    EXPECT_EQ(text.rfind("sudo SYSTEMD_EDITOR=tee systemctl edit web.service <<'CAPPROF_EOF'\n", 0), 0u) << text;
    EXPECT_NE(text.find("\nCAPPROF_EOF\nsudo systemctl restart web.service\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace capprof
