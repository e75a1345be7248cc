// The inner capprof's JSON, read back as a trial's outcome: a real report
// round-trips, and anything else (wrong token, wrong types, too many
// findings, a symlink or a fifo in its place) is refused, never trusted.
#include <linux/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "image/inner_report.hpp"
#include "report/report_render.hpp"
#include "support/canned_runner.hpp"
#include "support/temp_dir.hpp"

namespace capprof {
namespace {

using nlohmann::json;

Report inner(const std::string& token) {
    Finding f;
    f.verdict = Verdict::file_permission;
    f.capability = "DAC_OVERRIDE";
    f.alternatives = {"DAC_READ_SEARCH"};
    f.explanation = "uid 0 is not the owner";
    f.fix = "chmod o+w /data";
    f.event = testing::bind_event(42);
    f.event.name = "openat";
    f.event.nr = 257;
    f.event.arch = Arch::x86_64;
    f.event.err = EACCES;
    f.event.path = "/data/x";
    f.file = FileFacts{"/data", 1000, 1000, 040700};
    Report report;
    report.command = {"sh", "-c", "echo x > /data/x"};
    report.exit = ExitStatus::exited(1);
    report.findings = {f};
    report.syscalls = 99;
    report.identities = {{"/bin/busybox", 0, 0}, {"/bin/busybox", 33, 33}};
    report.trial_token = token;
    return report;
}

TEST(InnerReport, RoundTripsWhatTheInnerCapprofWrites) {
    const InnerReport parsed = parse_inner_report(render_json(inner("t0k3n")), "t0k3n");
    ASSERT_EQ(parsed.error, "");
    const TrialResult& trial = parsed.trial;
    EXPECT_EQ(trial.result.exit.code, 1);
    EXPECT_EQ(trial.result.syscalls, 99u);
    ASSERT_EQ(trial.result.identities.size(), 2u);
    EXPECT_EQ(trial.result.identities[1].euid, 33u);
    ASSERT_EQ(trial.findings.size(), 1u);
    const Finding& f = trial.findings[0];
    EXPECT_EQ(f.verdict, Verdict::file_permission);
    EXPECT_EQ(f.capability, "DAC_OVERRIDE");
    EXPECT_EQ(f.alternatives, std::vector<std::string>{"DAC_READ_SEARCH"});
    EXPECT_EQ(f.event.name, "openat");
    EXPECT_EQ(f.event.err, EACCES);
    EXPECT_EQ(f.event.nr, 257);
    EXPECT_EQ(f.event.path, "/data/x");
    ASSERT_TRUE(f.file);
    EXPECT_EQ(f.file->uid, 1000u);
}

TEST(InnerReport, KilledBySignal) {
    Report report = inner("t");
    report.exit = ExitStatus::killed(15);
    const InnerReport parsed = parse_inner_report(render_json(report), "t");
    ASSERT_EQ(parsed.error, "");
    EXPECT_EQ(parsed.trial.result.exit.signal, 15);
}

TEST(InnerReport, RefusesAnotherTrialsToken) {
    EXPECT_NE(parse_inner_report(render_json(inner("mine")), "yours").error, "");
    EXPECT_NE(parse_inner_report(render_json(inner("")), "yours").error, "");
}

TEST(InnerReport, RefusesWrongTypesAndValues) {
    const std::string good = render_json(inner("t"));
    auto refused = [&](const std::function<void(json&)>& change) {
        json doc = json::parse(good);
        change(doc);
        return parse_inner_report(doc.dump(), "t").error;
    };
    EXPECT_NE(refused([](json& d) { d["findings"][0]["capability"] = "ROOT_OF_ALL"; }), "");
    EXPECT_NE(refused([](json& d) { d["findings"][0]["verdict"] = 3; }), "");
    EXPECT_NE(refused([](json& d) { d["findings"][0]["pid"] = "42"; }), "");
    EXPECT_NE(refused([](json& d) { d["findings"][0]["errno"] = "EWHATEVER"; }), "");
    EXPECT_NE(refused([](json& d) { d["exit"]["code"] = 1000; }), "");
    EXPECT_NE(refused([](json& d) { d["syscalls"] = -1; }), "");
    EXPECT_NE(refused([](json& d) { d["findings"] = json::array(); for (int i = 0; i < 300; ++i) d["findings"].push_back(d["findings"].size()); }), "");
    EXPECT_NE(refused([](json& d) { d["schema"] = "other"; }), "");
    EXPECT_NE(parse_inner_report("[1,2", "t").error, "");
    // Long strings are cut, not refused.
    EXPECT_EQ(refused([](json& d) { d["findings"][0]["explanation"] = std::string(100000, 'x'); }), "");
}

TEST(InnerReport, ReadsOnlyARegularFile) {
    testing::TempDir dir;
    const std::string real = dir.path() + "/real.json";
    std::ofstream(real) << render_json(inner("t"));
    ASSERT_TRUE(read_inner_report(real, "t"));
    EXPECT_EQ(read_inner_report(real, "t")->error, "");
    const std::string link = dir.path() + "/link.json";
    ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
    EXPECT_FALSE(read_inner_report(link, "t")) << "a symlink is not followed";
    const std::string fifo = dir.path() + "/fifo.json";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto from_fifo = read_inner_report(fifo, "t");  // must not hang
    ASSERT_TRUE(from_fifo);
    EXPECT_NE(from_fifo->error, "");
    EXPECT_FALSE(read_inner_report(dir.path() + "/missing.json", "t"));
}

}  // namespace
}  // namespace capprof
