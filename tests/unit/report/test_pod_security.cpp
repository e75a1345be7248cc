// The Pod Security Standards level of an answer: one test per level, and
// what would reach the next stricter one, in JSON, text and k8s output.
#include <linux/capability.h>

#include <gtest/gtest.h>
#include <sstream>
#include <nlohmann/json.hpp>

#include "report/formats.hpp"
#include "report/pod_security.hpp"
#include "report/report_render.hpp"

namespace capprof {
namespace {

using nlohmann::json;

Report answer(CapSet cap_add, std::optional<std::string> user) {
    Report report;
    report.command = {"/bin/server"};
    report.success = true;
    report.cap_add = cap_add;
    report.user = std::move(user);
    return report;
}

TEST(PodSecurity, RestrictedNonRootWithoutCapabilities) {
    const Report report = answer(0, "www");
    const PodSecurity security = pod_security(report);
    EXPECT_EQ(security.level, PodSecurityLevel::restricted);
    EXPECT_TRUE(security.to_next.empty());
    const json j = json::parse(render_json(report));
    EXPECT_EQ(j["pod_security"], "restricted");
    EXPECT_TRUE(j["pod_security_next"].is_null());
    EXPECT_NE(render_format(report, "k8s").find("# Pod Security Standards: restricted\n"), std::string::npos);
}

TEST(PodSecurity, BaselineForRootWithDockerDefaults) {
    const Report report = answer(cap_bit(CAP_CHOWN) | cap_bit(CAP_FOWNER) | cap_bit(CAP_DAC_OVERRIDE), std::nullopt);
    const PodSecurity security = pod_security(report);
    EXPECT_EQ(security.level, PodSecurityLevel::baseline);
    const std::string text = pod_security_text(security);
    EXPECT_NE(text.find("restricted needs: drop CHOWN DAC_OVERRIDE FOWNER"), std::string::npos) << text;
    EXPECT_NE(text.find("run as a non-root user"), std::string::npos) << text;
    const json j = json::parse(render_json(report));
    EXPECT_EQ(j["pod_security"], "baseline");
    EXPECT_EQ(j["pod_security_next"]["level"], "restricted");
    EXPECT_EQ(j["pod_security_next"]["needs"].size(), 2u);
    std::ostringstream text_report;
    render_text(report, text_report, false);
    EXPECT_NE(text_report.str().find("pod security: baseline; restricted needs"), std::string::npos) << text_report.str();
}

TEST(PodSecurity, NonRootWithNetBindServiceStaysBaseline) {
    // A non-root user holds NET_BIND_SERVICE only through a file capability,
    // which allowPrivilegeEscalation: false (no_new_privs) makes execve ignore.
    const PodSecurity security = pod_security(answer(cap_bit(CAP_NET_BIND_SERVICE), "www"));
    EXPECT_EQ(security.level, PodSecurityLevel::baseline);
    const std::string text = pod_security_text(security);
    EXPECT_NE(text.find("allowPrivilegeEscalation: false"), std::string::npos) << text;
    EXPECT_NE(text.find("port >= 1024"), std::string::npos) << text;
    EXPECT_EQ(text.find("non-root user (runAsNonRoot"), std::string::npos) << text;
}

TEST(PodSecurity, PrivilegedBeyondTheBaselineSet) {
    for (int cap : {CAP_NET_RAW, CAP_SYS_ADMIN, CAP_NET_ADMIN}) {
        const Report report = answer(cap_bit(cap) | cap_bit(CAP_CHOWN), std::nullopt);
        const PodSecurity security = pod_security(report);
        EXPECT_EQ(security.level, PodSecurityLevel::privileged) << cap;
        ASSERT_EQ(security.to_next.size(), 1u);
        EXPECT_EQ(security.to_next[0].rfind("drop ", 0), 0u);
        EXPECT_EQ(security.to_next[0].find("CHOWN"), std::string::npos) << "CHOWN is within baseline";
        EXPECT_EQ(json::parse(render_json(report))["pod_security_next"]["level"], "baseline");
    }
}

}  // namespace
}  // namespace capprof
