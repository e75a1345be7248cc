// The JSON report, schema capprof.report/v1 (docs/ARCHITECTURE.md): the fields and types
// that scripts and CI rely on.
#include <gtest/gtest.h>

#include <csignal>

#include <errno.h>
#include <linux/capability.h>

#include "report/report_render.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

using nlohmann::json;

Report bind_report() {
    Finding f;
    f.verdict = Verdict::capability;
    f.capability = "NET_BIND_SERVICE";
    f.explanation = "binding port 80 < net.ipv4.ip_unprivileged_port_start (1024)";
    f.fix = "--cap-add NET_BIND_SERVICE, or listen on a port >= 1024";
    f.event = testing::bind_event(4242);
    f.count = 3;
    Report r;
    r.command = {"busybox", "httpd", "-f", "-p", "80"};
    r.exit = ExitStatus::exited(1);
    r.cap_add = cap_bit(CAP_NET_BIND_SERVICE);
    r.findings = {f};
    return r;
}

TEST(ReportJson, TopLevelFieldsOfTheSchema) {
    json j = json::parse(render_json(bind_report()));
    EXPECT_EQ(j["schema"], "capprof.report/v1");
    EXPECT_EQ(j["command"], json({"busybox", "httpd", "-f", "-p", "80"}));
    EXPECT_EQ(j["granted"], json::array());
    EXPECT_EQ(j["exit"]["code"], 1);
    EXPECT_TRUE(j["exit"]["signal"].is_null());
    EXPECT_EQ(j["cap_add"], json({"NET_BIND_SERVICE"}));
    EXPECT_EQ(j["optional"], json::array());
    EXPECT_TRUE(j["findings"].is_array());
    EXPECT_EQ(j["runs"], json::array());
}

TEST(ReportJson, FindingFields) {
    json f = json::parse(render_json(bind_report()))["findings"].at(0);
    EXPECT_EQ(f["verdict"], "capability");
    EXPECT_EQ(f["capability"], "NET_BIND_SERVICE");
    EXPECT_EQ(f["alternatives"], json::array());
    EXPECT_EQ(f["required"], true);
    EXPECT_EQ(f["syscall"], "bind");
    EXPECT_EQ(f["errno"], "EACCES");
    EXPECT_EQ(f["pid"], 4242);
    EXPECT_EQ(f["comm"], "httpd");
    EXPECT_EQ(f["exe"], "/usr/bin/busybox");
    EXPECT_EQ(f["args"], "3, {AF_INET, 0.0.0.0:80}, 16");
    EXPECT_TRUE(f["path"].is_null());
    EXPECT_EQ(f["count"], 3);
    EXPECT_EQ(f["explanation"], "binding port 80 < net.ipv4.ip_unprivileged_port_start (1024)");
    EXPECT_EQ(f["fix"], "--cap-add NET_BIND_SERVICE, or listen on a port >= 1024");
}

TEST(ReportJson, NotCapabilityHasNullCapabilityAndEpermSpelling) {
    Report r = bind_report();
    Finding& f = r.findings[0];
    f.verdict = Verdict::not_capability;
    f.capability.reset();
    f.event = testing::open_event(7, "/etc/shadow", EPERM);
    json j = json::parse(render_json(r))["findings"].at(0);
    EXPECT_EQ(j["verdict"], "not-capability");
    EXPECT_TRUE(j["capability"].is_null());
    EXPECT_EQ(j["errno"], "EPERM");
    EXPECT_EQ(j["path"], "/etc/shadow");
}

TEST(ReportJson, KilledBySignal) {
    Report r = bind_report();
    r.exit = ExitStatus::killed(9);
    json j = json::parse(render_json(r));
    EXPECT_EQ(j["exit"]["signal"], 9);
    EXPECT_EQ(j["exit"]["code"], 137);
}

TEST(ReportJson, InterruptedIsATopLevelFlag) {
    Report r = bind_report();
    EXPECT_EQ(json::parse(render_json(r))["interrupted"], false);
    r.interrupted = SIGINT;
    EXPECT_EQ(json::parse(render_json(r))["interrupted"], true);
}

TEST(ReportJson, RunsOfMinimize) {
    Report r = bind_report();
    RunRecord run;
    run.granted = cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETUID);
    run.exit = ExitStatus::exited(0);
    run.success = true;
    r.runs = {run};
    r.granted = run.granted;
    json j = json::parse(render_json(r));
    EXPECT_EQ(j["granted"], json({"SETUID", "NET_BIND_SERVICE"}));
    ASSERT_EQ(j["runs"].size(), 1u);
    EXPECT_EQ(j["runs"][0]["granted"], json({"SETUID", "NET_BIND_SERVICE"}));
    EXPECT_EQ(j["runs"][0]["exit"]["code"], 0);
    EXPECT_EQ(j["runs"][0]["success"], true);
}

TEST(ReportJson, StaysValidWhateverBytesTheWorkloadUsed) {
    Report r = bind_report();
    r.command = {"cat", std::string("/tmp/\xff\xfe\x01name")};
    r.findings[0].event = testing::open_event(7, std::string("/tmp/\xff\xfe\x01name"));
    r.findings[0].event.task.comm = std::string("\xc3\x28", 2);
    std::string text = render_json(r);
    json j = json::parse(text);  // throws if invalid
    EXPECT_EQ(j["findings"][0]["path"], "/tmp/\xef\xbf\xbd\xef\xbf\xbd\x01name");
    EXPECT_EQ(text.back(), '\n');
}

TEST(ReportJsonAdditions, NotesAndFolded) {
    Report r = bind_report();
    json plain = json::parse(render_json(r));
    EXPECT_EQ(plain["notes"], json::array());
    EXPECT_EQ(plain["findings"][0]["folded"], 0);
    r.notes = {"the report was not written: cannot write to stderr: Broken pipe"};
    r.findings[0].folded = 99;
    json j = json::parse(render_json(r));
    EXPECT_EQ(j["notes"], json({"the report was not written: cannot write to stderr: Broken pipe"}));
    EXPECT_EQ(j["findings"][0]["folded"], 99);
}

TEST(ReportJsonAdditions, FileCapabilitiesAndIgnoredPrivileges) {
    Report r = bind_report();
    json plain = json::parse(render_json(r));
    EXPECT_EQ(plain["file_capabilities"], json::array()) << "root needs no file capability";
    EXPECT_EQ(plain["ignored_privileges"], json::array());
    r.user = "www-data";
    r.ignored_privileges.push_back(IgnoredPrivilege{"/usr/bin/ping", false, false, cap_bit(CAP_NET_RAW)});
    r.ignored_privileges.push_back(IgnoredPrivilege{"/usr/bin/su", true, false, 0});
    json j = json::parse(render_json(r));
    ASSERT_EQ(j["file_capabilities"].size(), 1u) << j.dump(2);
    EXPECT_EQ(j["file_capabilities"][0]["exe"], "/usr/bin/busybox");
    EXPECT_EQ(j["file_capabilities"][0]["capabilities"], json({"NET_BIND_SERVICE"}));
    EXPECT_EQ(j["file_capabilities"][0]["setcap"], "setcap cap_net_bind_service+ep /usr/bin/busybox");
    ASSERT_EQ(j["ignored_privileges"].size(), 2u);
    EXPECT_EQ(j["ignored_privileges"][0],
              json({{"exe", "/usr/bin/ping"}, {"setuid", false}, {"setgid", false},
                    {"file_capabilities", {"NET_RAW"}}}));
    EXPECT_EQ(j["ignored_privileges"][1]["setuid"], true);
}

}  // namespace
}  // namespace capprof

namespace capprof {
namespace {

TEST(ReportJsonOutcome, OutcomeMessageAndHowTheProcessEnded) {
    Report r = bind_report();
    r.findings[0].outcome = Outcome::stopped;
    r.findings[0].message = "httpd: bind: Permission denied\t\x01";
    r.findings[0].stopped_exit = ExitStatus::exited(1);
    Finding carried = r.findings[0];
    carried.outcome = Outcome::carried_on;
    carried.message.reset();
    carried.stopped_exit.reset();
    r.findings.push_back(carried);
    Finding unjudged = carried;
    unjudged.outcome.reset();
    r.findings.push_back(unjudged);
    json findings = json::parse(render_json(r))["findings"];
    EXPECT_EQ(findings[0]["outcome"], "stopped");
    EXPECT_EQ(findings[0]["message"], "httpd: bind: Permission denied\\t\\1") << "escaped like other strings";
    EXPECT_EQ(findings[0]["stopped_exit"]["code"], 1);
    EXPECT_EQ(findings[1]["outcome"], "carried-on");
    EXPECT_TRUE(findings[1]["message"].is_null());
    EXPECT_FALSE(findings[1].contains("stopped_exit"));
    EXPECT_TRUE(findings[2]["outcome"].is_null());
}

TEST(ReportJsonOutcome, ASilentDenialHasNullErrno) {
    Report r = bind_report();
    r.findings[0].event.err = 0;
    r.findings[0].event.ret = 0;
    r.findings[0].event.name = "chmod";
    json f = json::parse(render_json(r))["findings"].at(0);
    EXPECT_TRUE(f["errno"].is_null());
}

}  // namespace
}  // namespace capprof
