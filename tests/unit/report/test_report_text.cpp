// The human report: what a user reads after `capprof run`.
#include <gtest/gtest.h>

#include <errno.h>
#include <linux/capability.h>

#include <sstream>

#include "report/report_render.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

using testing::bind_event;
using testing::open_event;

Finding net_bind_finding(std::uint64_t count = 1) {
    Finding f;
    f.verdict = Verdict::capability;
    f.capability = "NET_BIND_SERVICE";
    f.explanation = "port 80 is below net.ipv4.ip_unprivileged_port_start (1024)";
    f.fix = "--cap-add NET_BIND_SERVICE, or listen on a port >= 1024";
    f.notes = {"containers with their own network namespace under Docker 20.10+ allow low ports "
               "without it"};
    f.event = bind_event(4242);
    f.count = count;
    return f;
}

Finding secret_finding() {
    Finding f;
    f.verdict = Verdict::file_permission;
    f.capability = "DAC_READ_SEARCH";
    f.alternatives = {"DAC_OVERRIDE"};
    f.explanation = "uid 0 is not the owner and \"other\" has no read permission";
    f.fix = "chown 0 /srv/data/secret, or chmod o+r, or run as uid 1000";
    f.file = FileFacts{"/srv/data/secret", 1000, 1000, 0100600};
    f.event = open_event(4301, "/srv/data/secret");
    return f;
}

Report httpd_report() {
    Report r;
    r.command = {"busybox", "httpd", "-f", "-p", "80"};
    r.exit = ExitStatus::exited(1);
    r.seconds = 0.02;
    r.syscalls = 38;
    r.processes = 1;
    r.threads = 1;
    r.failures = 1;
    r.cap_add = cap_bit(CAP_NET_BIND_SERVICE);
    r.findings = {net_bind_finding()};
    return r;
}

std::string text(const Report& report, bool color = false) {
    std::ostringstream out;
    render_text(report, out, color);
    return out.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST(ReportText, SummaryNamesCommandStatusAndCounts) {
    std::string out = text(httpd_report());
    EXPECT_TRUE(contains(out, "capprof: `busybox httpd -f -p 80` exited 1 after 0.02 s\n")) << out;
    EXPECT_TRUE(contains(out, "1 process, 38 syscalls, 1 denied\n")) << out;
}

TEST(ReportText, CapabilityFindingShowsCallWhyFixAndNotes) {
    std::string out = text(httpd_report());
    EXPECT_TRUE(contains(out, "NET_BIND_SERVICE   required · low risk · in Docker's default set\n")) << out;
    EXPECT_TRUE(contains(out, "pid 4242 httpd"));
    EXPECT_TRUE(contains(out, "bind(3, {AF_INET, 0.0.0.0:80}, 16) = -1 EACCES (Permission denied)\n")) << out;
    EXPECT_TRUE(contains(out, "  why   port 80 is below net.ipv4.ip_unprivileged_port_start (1024)\n")) << out;
    EXPECT_TRUE(contains(out, "  fix   --cap-add NET_BIND_SERVICE, or listen on a port >= 1024\n")) << out;
    EXPECT_TRUE(contains(out, "  note  containers with their own network namespace")) << out;
    EXPECT_TRUE(contains(out, "\nadd:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE")) << out;
}

TEST(ReportText, LongNotesWrapUnderTheirLabel) {
    std::string out = text(httpd_report());
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("  note", 0) == 0 || line.rfind("        ", 0) == 0) {
            EXPECT_LE(line.size(), 78u) << line;
        }
    }
    EXPECT_TRUE(contains(out, "  note  containers with their own network namespace under Docker 20.10+")) << out;
    EXPECT_TRUE(contains(out, "\n        low ports without it\n")) << out;
}

TEST(ReportText, AggregatedCallsShowTheirCount) {
    Report r = httpd_report();
    r.findings = {net_bind_finding(10000)};
    EXPECT_TRUE(contains(text(r), "= -1 EACCES (Permission denied)  ×10000\n")) << text(r);
}

TEST(ReportText, FilePermissionHeadingNamesOwnerModeAndTheCapabilityAlternative) {
    Report r = httpd_report();
    r.command = {"cat", "/srv/data/secret"};
    r.cap_add = cap_bit(CAP_DAC_READ_SEARCH);
    r.findings = {secret_finding()};
    std::string out = text(r);
    EXPECT_TRUE(contains(out, "FILE PERMISSION    /srv/data/secret (owner 1000:1000, mode 0600)\n")) << out;
    EXPECT_TRUE(contains(out, "pid 4301 cat")) << out;
    EXPECT_TRUE(contains(out, "openat(AT_FDCWD, \"/srv/data/secret\", O_RDONLY) = -1 EACCES")) << out;
    EXPECT_TRUE(contains(out, "  fix   chown 0 /srv/data/secret, or chmod o+r")) << out;
    EXPECT_TRUE(contains(out, "  or    --cap-add DAC_READ_SEARCH (")) << out;
}

TEST(ReportText, NotCapabilityAndUnknownHaveTheirOwnSections) {
    Finding ro = secret_finding();
    ro.verdict = Verdict::not_capability;
    ro.capability.reset();
    ro.file.reset();
    ro.explanation = "the file is immutable (chattr +i): no capability of the workload helps";
    ro.fix = "chattr -i /srv/data/secret on the host";
    Finding odd = secret_finding();
    odd.verdict = Verdict::unknown;
    odd.capability.reset();
    odd.event = open_event(4302, "/srv/odd");
    odd.explanation = "no rule explains this failure";
    Report r = httpd_report();
    r.cap_add = 0;
    r.findings = {ro, odd};
    std::string out = text(r);
    auto not_cap = out.find("\nNOT A CAPABILITY\n");
    auto unknown = out.find("\nUNKNOWN\n");
    ASSERT_NE(not_cap, std::string::npos) << out;
    ASSERT_NE(unknown, std::string::npos) << out;
    EXPECT_LT(not_cap, unknown);
    EXPECT_TRUE(contains(out, "  why   the file is immutable (chattr +i)")) << out;
    EXPECT_TRUE(contains(out, "pid 4302 cat")) << out;
    EXPECT_FALSE(contains(out, "add:")) << out;
    // An unexplained denial is not proof that no capability helps.
    EXPECT_TRUE(contains(out, "no capability identified: capprof could not explain every denial above")) << out;
    EXPECT_FALSE(contains(out, "no capability needed")) << out;
    r.findings = {ro};
    EXPECT_TRUE(contains(text(r), "no capability needed: no capability would fix the denials above")) << text(r);
}

TEST(ReportText, FindingsOfOneCapabilityShareOneHeading) {
    Report r = httpd_report();
    Finding second = net_bind_finding();
    second.event = bind_event(4243, 443);
    r.findings = {net_bind_finding(), second};
    std::string out = text(r);
    EXPECT_EQ(out.find("NET_BIND_SERVICE   "), out.rfind("NET_BIND_SERVICE   ")) << out;
    EXPECT_TRUE(contains(out, "pid 4243 httpd")) << out;
    EXPECT_TRUE(contains(out, "0.0.0.0:443")) << out;
}

TEST(ReportText, WorkloadStringsAreEscaped) {
    Report r = httpd_report();
    r.command = {"sh", "-c", "printf '\033[2J'\n"};
    Finding f = secret_finding();
    f.event.task.comm = "evil\033[31m";
    f.event.path = "/tmp/a\nb";
    f.event.args_text = "AT_FDCWD, \"/tmp/a\\nb\", O_RDONLY";
    f.file = FileFacts{"/tmp/a\nb", 0, 0, 0100600};
    r.findings = {f};
    std::string out = text(r);
    EXPECT_FALSE(contains(out, "\033")) << out;
    EXPECT_TRUE(contains(out, "\"evil\\33[31m\"")) << out;
    EXPECT_TRUE(contains(out, "\"/tmp/a\\nb\"")) << out;
    // The command as a shell would take it again (formats.hpp command_text).
    EXPECT_TRUE(contains(out, "`sh -c $'printf \\'\\033[2J\\'\\012'`")) << out;
}

TEST(ReportText, ColourOnlyWhenAsked) {
    EXPECT_FALSE(contains(text(httpd_report(), false), "\033["));
    EXPECT_TRUE(contains(text(httpd_report(), true), "\033[1m"));
}

TEST(ReportText, KilledBySignal) {
    Report r = httpd_report();
    r.exit = ExitStatus::killed(9);
    EXPECT_TRUE(contains(text(r), "` was killed by SIGKILL after")) << text(r);
}

TEST(ReportText, ProbeOutcomeIsStated) {
    Report r = httpd_report();
    r.probe = "curl -sf localhost";
    r.probe_ok = false;
    r.exit = ExitStatus::killed(15);
    r.stopped_by_capprof = true;
    EXPECT_TRUE(contains(text(r), "\n         the probe `curl -sf localhost` never succeeded\n")) << text(r);
    r.probe_ok = true;
    EXPECT_TRUE(contains(text(r), "` passed the probe and was stopped after 0.02 s\n")) << text(r);
    EXPECT_FALSE(contains(text(r), "never succeeded")) << text(r);
}

TEST(ReportText, StoppedAfterDuration) {
    Report r = httpd_report();
    r.exit = ExitStatus::killed(15);
    r.stopped_by_capprof = true;
    EXPECT_TRUE(contains(text(r), "` was still running and was stopped after 0.02 s\n")) << text(r);
}

TEST(ReportText, CommandThatCouldNotBeExecuted) {
    Report r = httpd_report();
    r.started = false;
    r.exit = ExitStatus::exited(126);
    EXPECT_TRUE(contains(text(r), "` could not be executed (exited 126) after")) << text(r);
}

TEST(ReportText, CleanRunNeedsNoCapability) {
    Report r = httpd_report();
    r.exit = ExitStatus::exited(0);
    r.success = true;
    r.failures = 0;
    r.cap_add = 0;
    r.findings.clear();
    std::string out = text(r);
    EXPECT_TRUE(contains(out, "\nno capability needed\n")) << out;
    EXPECT_FALSE(contains(out, "add:")) << out;
}

TEST(ReportText, OptionalCapabilitiesAreListed) {
    Report r = httpd_report();
    r.exit = ExitStatus::exited(0);
    r.success = true;
    r.cap_add = 0;
    r.optional = cap_bit(CAP_NET_BIND_SERVICE);
    r.findings[0].required = false;
    std::string out = text(r);
    EXPECT_TRUE(contains(out, "NET_BIND_SERVICE   optional")) << out;
    EXPECT_TRUE(contains(out, "optional: NET_BIND_SERVICE")) << out;
}

TEST(ReportTextAdditions, FoldedCallsSayHowMany) {
    Report r = httpd_report();
    r.findings[0].count = 1000;
    r.findings[0].folded = 990;
    EXPECT_TRUE(contains(text(r), "×1000 (990 of them other calls folded in)")) << text(r);
}

TEST(ReportTextAdditions, ReportNotesAreShown) {
    Report r = httpd_report();
    r.notes = {"something about the whole run"};
    EXPECT_TRUE(contains(text(r), "  note  something about the whole run\n")) << text(r);
}

TEST(ReportTextAdditions, ProgramsThatRanWithoutTheirPrivilegeAreNamedOnce) {
    Report r = httpd_report();
    r.ignored_privileges.push_back(IgnoredPrivilege{"/usr/bin/ping", false, false, cap_bit(CAP_NET_RAW)});
    r.ignored_privileges.push_back(IgnoredPrivilege{"/usr/bin/su", true, false, 0});
    std::string out = text(r);
    EXPECT_TRUE(contains(out, "  note  /usr/bin/ping (file capabilities NET_RAW); /usr/bin/su (set-user-ID)\n"))
        << out;
    EXPECT_TRUE(contains(out, "CAP_SYS_PTRACE")) << out;
    EXPECT_EQ(out.find("ran without the privilege"), out.rfind("ran without the privilege")) << "said once\n" << out;
}

TEST(ReportTextAdditions, NonRootUserGetsTheSetcapLineForTheImage) {
    Report r = httpd_report();
    r.user = "www-data";
    std::string out = text(r);
    EXPECT_TRUE(contains(out, "add:  docker run --cap-drop ALL --cap-add NET_BIND_SERVICE --user www-data"))
        << out;
    EXPECT_TRUE(contains(out, "image: RUN setcap cap_net_bind_service+ep /usr/bin/busybox\n")) << out;
    r.user = "root";
    EXPECT_FALSE(contains(text(r), "setcap")) << text(r);
}

}  // namespace
}  // namespace capprof

namespace capprof {
namespace {

TEST(ReportTextOutcome, StartsWithWhatStoppedTheRunAndWhatTheProgramSaid) {
    Report r = httpd_report();
    r.findings[0].outcome = Outcome::stopped;
    r.findings[0].message = "httpd: bind: Permission denied";
    r.findings[0].stopped_exit = ExitStatus::exited(1);
    const std::string t = text(r);
    const auto stopped = t.find("stopped by: bind(3, {AF_INET, 0.0.0.0:80}, 16) -> NET_BIND_SERVICE, then "
                                "`httpd: bind: Permission denied`, exit 1  (pid 4242 httpd)\n");
    ASSERT_NE(stopped, std::string::npos) << t;
    EXPECT_LT(stopped, t.find("NET_BIND_SERVICE   required")) << "the cause leads";
    EXPECT_TRUE(contains(t, "\n  said  httpd: bind: Permission denied\n")) << t;
}

TEST(ReportTextOutcome, CarriedOnDenialsAreGroupedLast) {
    Report r = httpd_report();
    r.findings[0].outcome = Outcome::stopped;
    Finding nice = net_bind_finding();
    nice.capability = "SYS_NICE";
    nice.required = false;
    nice.outcome = Outcome::carried_on;
    nice.event.name = "setpriority";
    nice.event.args_text = "PRIO_PROCESS, 0, -5";
    r.findings.insert(r.findings.begin(), nice);
    r.optional = cap_bit(CAP_SYS_NICE);
    const std::string t = text(r);
    const auto carried = t.find("\ncarried on past:\n");
    ASSERT_NE(carried, std::string::npos) << t;
    EXPECT_LT(t.find("NET_BIND_SERVICE   required"), carried);
    EXPECT_GT(t.find("SYS_NICE           optional"), carried);
    EXPECT_TRUE(contains(t, "optional: SYS_NICE (denied, yet the workload carried on past it)")) << t;
}

TEST(ReportTextOutcome, TheProgramsWordsAreEscaped) {
    Report r = httpd_report();
    r.findings[0].outcome = Outcome::stopped;
    r.findings[0].message = "evil\033[31m\r";
    const std::string t = text(r);
    EXPECT_EQ(t.find('\033'), std::string::npos) << t;
    EXPECT_TRUE(contains(t, "said  evil\\33[31m\\r\n")) << t;
}

}  // namespace
}  // namespace capprof
