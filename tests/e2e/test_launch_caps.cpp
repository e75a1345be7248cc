// The workload runs as `docker run --cap-drop ALL [--cap-add ...]` would:
// uid 0, and the capability sets util-linux setpriv gives with
// --bounding-set=-all,+CAP --inh-caps=-all,+CAP --ambient-caps=-all.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

const std::vector<std::string> grep_caps{"grep", "Cap", "/proc/self/status"};

// `keep` is a setpriv list without signs: "chown,net_raw".
std::string setpriv_caps(const std::string& keep) {
    std::string plus;
    std::istringstream items(keep);
    for (std::string item; std::getline(items, item, ',');) plus += ",+" + item;
    std::string bounding = "--bounding-set=-all" + plus;
    std::string inheritable = "--inh-caps=-all" + plus;
    CommandResult r = run_command(
        {"setpriv", bounding, inheritable, "--ambient-caps=-all", "--", "grep", "Cap", "/proc/self/status"}, 10s);
    EXPECT_TRUE(r.exited(0)) << r;
    return r.out;
}

TEST(LaunchCaps, DropAllClearsEveryCapabilitySet) {
    require_root();
    CapprofRun run = capprof_run(grep_caps);
    ASSERT_EQ(run.process.exit_code, 0) << run;
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
        EXPECT_EQ(status_caps(run.process.out, set), 0u) << set << " of the workload\n" << run;
    EXPECT_EQ(line_count(run.process.out), 5u) << "stdout is the workload's, untouched\n" << run;
    EXPECT_EQ(run.process.out, setpriv_caps("")) << "same sets as setpriv --bounding-set=-all";
}

TEST(LaunchCaps, CapAddNetBindServiceKeepsExactlyThatOne) {
    require_root();
    CapprofRun run = capprof_run(grep_caps, {"NET_BIND_SERVICE"});
    ASSERT_EQ(run.process.exit_code, 0) << run;
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd"})
        EXPECT_EQ(status_caps(run.process.out, set), 0x400u) << set << "\n" << run;
    EXPECT_EQ(status_caps(run.process.out, "CapAmb"), 0u) << run;
    EXPECT_EQ(run.process.out, setpriv_caps("net_bind_service"));
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(run.report["granted"], json::array({"NET_BIND_SERVICE"})) << run.report.dump(2);
}

TEST(LaunchCaps, CapAddAcceptsDockerLowerCaseAndPrefixedSpellings) {
    require_root();
    std::string expected = setpriv_caps("chown,net_raw,setuid");
    for (const char* spelling : {"CHOWN,NET_RAW,SETUID", "chown,net_raw,setuid", "CAP_CHOWN,cap_net_raw,SETUID"}) {
        CapprofRun run = capprof_run(grep_caps, {spelling});
        EXPECT_EQ(run.process.exit_code, 0) << spelling << "\n" << run;
        EXPECT_EQ(run.process.out, expected) << "--cap-add " << spelling;
    }
}

TEST(LaunchCaps, WorkloadRunsAsUidZero) {
    require_root();
    CapprofRun run = capprof_run({"id", "-u"});
    EXPECT_EQ(run.process.exit_code, 0) << run;
    EXPECT_EQ(run.process.out, "0\n") << run;
}

TEST(LaunchCaps, CapAddOfACapabilityMissingFromTheBoundingSet) {
    require_root();
    if (capprof_can_grant("SYS_RESOURCE"))
        GTEST_SKIP() << "SYS_RESOURCE is in this machine's bounding set: nothing to check";
    // Like docker, which refuses to start: granting what capprof itself
    // lacks must not silently run the workload without it.
    CapprofRun run = capprof_run(grep_caps, {"SYS_RESOURCE"});
    EXPECT_EQ(run.process.exit_code, 125) << run;
    EXPECT_NE(run.process.err.find("SYS_RESOURCE"), std::string::npos) << run;
    EXPECT_EQ(run.process.out, "") << "the workload did not run\n" << run;
}

}  // namespace
}  // namespace capprof::e2e
