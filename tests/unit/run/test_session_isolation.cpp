// Trial isolation from the command line to the report, with a canned Runner:
// what each subcommand asks for, and what the text and JSON say about it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/canned_runner.hpp"
#include "support/cli_helpers.hpp"

namespace capprof {
namespace {

using testing::CannedRun;
using testing::CannedRunner;
using testing::cli;
using testing::CliResult;
using testing::exited;

RunResult isolated_exit(int code) {
    RunResult result = exited(code);
    result.isolated = true;
    return result;
}

TEST(Isolation, OnByDefaultForMinimizeAndCheckOffForRun) {
    CannedRunner run({CannedRun{{}, exited(0)}});
    cli({"run", "-q", "--", "true"}, run);
    ASSERT_EQ(run.specs.size(), 1u);
    EXPECT_EQ(run.specs[0].isolation, Isolation::off);

    CannedRunner minimize({CannedRun{{}, exited(0)}});
    cli({"minimize", "-q", "--", "true"}, minimize);
    ASSERT_FALSE(minimize.specs.empty());
    EXPECT_EQ(minimize.specs[0].isolation, Isolation::preferred);

    CannedRunner check({CannedRun{{}, exited(0)}});
    cli({"check", "-q", "--allow", "none", "--", "true"}, check);
    ASSERT_FALSE(check.specs.empty());
    EXPECT_EQ(check.specs[0].isolation, Isolation::preferred);
}

TEST(Isolation, IsolateRequiresItNoIsolateTurnsItOff) {
    CannedRunner run({CannedRun{{}, exited(0)}});
    cli({"run", "-q", "--isolate", "--probe", "true", "--probe-inside", "--", "true"}, run);
    ASSERT_EQ(run.specs.size(), 1u);
    EXPECT_EQ(run.specs[0].isolation, Isolation::required);
    EXPECT_TRUE(run.specs[0].probe_inside);

    CannedRunner minimize({CannedRun{{}, exited(0)}});
    cli({"minimize", "-q", "--no-isolate", "--", "true"}, minimize);
    ASSERT_FALSE(minimize.specs.empty());
    EXPECT_EQ(minimize.specs[0].isolation, Isolation::off);
    EXPECT_FALSE(minimize.specs[0].probe_inside);
}

TEST(Isolation, ContradictoryOrIncompleteOptionsAreUsageErrors) {
    CannedRunner runner({CannedRun{{}, exited(0)}});
    CliResult both = cli({"minimize", "--isolate", "--no-isolate", "--", "true"}, runner);
    EXPECT_EQ(both.status, 125);
    EXPECT_NE(both.err.find("--no-isolate"), std::string::npos) << both.err;
    CliResult no_probe = cli({"run", "--probe-inside", "--", "true"}, runner);
    EXPECT_EQ(no_probe.status, 125);
    EXPECT_NE(no_probe.err.find("--probe"), std::string::npos) << no_probe.err;
    EXPECT_TRUE(runner.specs.empty());
}

TEST(Isolation, IsolatedTrialsAreSaidInTheSummaryAndTheJson) {
    CannedRunner runner({CannedRun{{}, isolated_exit(0)}});
    CliResult r = cli({"check", "--allow", "none", "--json", "-", "--", "true"}, runner);
    EXPECT_EQ(r.status, 0) << r.err;
    nlohmann::json report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["isolated"], true);
    EXPECT_TRUE(report["isolation_warning"].is_null());
    EXPECT_EQ(report["runs"][0]["isolated"], true);
    EXPECT_NE(r.err.find("trials isolated: fresh copy-on-write view of the host for each run"), std::string::npos)
        << r.err;
}

TEST(Isolation, TrialsThatWereNotIsolatedCarryAWarning) {
    CannedRunner opted_out({CannedRun{{}, exited(0)}});
    CliResult r = cli({"minimize", "--no-isolate", "--json", "-", "--", "true"}, opted_out);
    nlohmann::json report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["isolated"], false);
    EXPECT_EQ(report["isolation_warning"],
              "trials not isolated (--no-isolate): answers may depend on earlier runs");
    EXPECT_NE(r.err.find("warning: trials not isolated (--no-isolate)"), std::string::npos) << r.err;

    RunResult fell_back = exited(0);
    fell_back.not_isolated = "capprof lacks CAP_SYS_ADMIN";
    CannedRunner unavailable({CannedRun{{}, fell_back}});
    r = cli({"minimize", "--json", "-", "--", "true"}, unavailable);
    report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["isolated"], false);
    EXPECT_EQ(report["isolation_warning"],
              "trials not isolated: capprof lacks CAP_SYS_ADMIN; answers may depend on earlier runs");
}

TEST(Isolation, ASingleRunMentionsIsolationOnlyWhenItHadIt) {
    CannedRunner plain({CannedRun{{}, exited(0)}});
    CliResult r = cli({"run", "--json", "-", "--", "true"}, plain);
    nlohmann::json report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["isolated"], false);
    EXPECT_TRUE(report["isolation_warning"].is_null()) << "one run has no earlier run to depend on";
    EXPECT_EQ(r.err.find("isolat"), std::string::npos) << r.err;

    CannedRunner isolated({CannedRun{{}, isolated_exit(0)}});
    r = cli({"run", "--isolate", "--", "true"}, isolated);
    EXPECT_NE(r.err.find("isolated: fresh copy-on-write view of the host, thrown away after the run"),
              std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace capprof
