// Capability names in Docker's spelling, backed by libcap, and what the
// report says about granting each.
#include <gtest/gtest.h>

#include <linux/capability.h>

#include "common/cap_info.hpp"
#include "common/cap_names.hpp"
#include "capprof/error.hpp"

namespace capprof {
namespace {

std::string parse_error(const std::vector<std::string>& items) {
    try {
        parse_cap_list(items);
    } catch (const UserError& e) {
        EXPECT_EQ(e.exit_code(), 125);
        return e.what();
    }
    return "(no error)";
}

TEST(CapNames, NamesAreDockerSpelling) {
    EXPECT_EQ(cap_name(CAP_CHOWN), "CHOWN");
    EXPECT_EQ(cap_name(CAP_NET_BIND_SERVICE), "NET_BIND_SERVICE");
    EXPECT_EQ(cap_name(CAP_SYS_ADMIN), "SYS_ADMIN");
    EXPECT_EQ(cap_name(CAP_CHECKPOINT_RESTORE), "CHECKPOINT_RESTORE");
}

TEST(CapNames, AcceptsPrefixAndAnyCase) {
    EXPECT_EQ(cap_from_name("NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
    EXPECT_EQ(cap_from_name("net_bind_service"), CAP_NET_BIND_SERVICE);
    EXPECT_EQ(cap_from_name("CAP_NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
    EXPECT_EQ(cap_from_name("cap_sys_nice"), CAP_SYS_NICE);
    EXPECT_EQ(cap_from_name(" SETUID "), CAP_SETUID);
}

TEST(CapNames, RejectsUnknownNamesAndNumbers) {
    EXPECT_FALSE(cap_from_name("NET_BIND"));
    EXPECT_FALSE(cap_from_name(""));
    EXPECT_FALSE(cap_from_name("10"));
    EXPECT_FALSE(cap_from_name("CAP_"));
}

TEST(CapNames, EveryKnownCapabilityRoundTrips) {
    for (int cap = 0; cap <= cap_last_cap(); ++cap) {
        EXPECT_EQ(cap_from_name(cap_name(cap)), cap) << cap_name(cap);
    }
}

TEST(CapNames, ParsesRepeatedAndCommaLists) {
    CapSet set = parse_cap_list({"net_bind_service,CAP_SETUID", "setgid", ""});
    EXPECT_EQ(set, cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID));
    EXPECT_EQ(cap_names(set), (std::vector<std::string>{"SETGID", "SETUID", "NET_BIND_SERVICE"}));
}

TEST(CapNames, AllMeansEveryCapabilityOfThisKernel) {
    CapSet all = parse_cap_list({"ALL"});
    EXPECT_EQ(all, cap_all());
    EXPECT_TRUE(cap_has(all, cap_last_cap()));
    EXPECT_FALSE(cap_last_cap() < 63 && cap_has(all, cap_last_cap() + 1));
    EXPECT_EQ(parse_cap_list({"all"}), all);
}

TEST(CapNames, UnknownNameSuggestsTheCapabilityItStarts) {
    EXPECT_EQ(parse_error({"NET_BIND"}),
              "unknown capability \"NET_BIND\": did you mean NET_BIND_SERVICE?");
    EXPECT_EQ(parse_error({"chown,net_bind"}),
              "unknown capability \"net_bind\": did you mean NET_BIND_SERVICE?");
}

TEST(CapNames, UnknownNameSuggestsCloseSpellings) {
    EXPECT_NE(parse_error({"NET_BIND_SERVCE"}).find("did you mean NET_BIND_SERVICE?"), std::string::npos);
    EXPECT_NE(parse_error({"CAP_SYS_ADMN"}).find("SYS_ADMIN"), std::string::npos);
    std::string several = parse_error({"SYS_"});
    EXPECT_NE(several.find("did you mean SYS_MODULE, "), std::string::npos) << several;
}

TEST(CapNames, UnknownNameWithoutCloseMatchSaysWhereNamesAre) {
    std::string message = parse_error({"FROBNICATE_EVERYTHING"});
    EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
    EXPECT_NE(message.find("capabilities(7)"), std::string::npos) << message;
}

TEST(CapInfo, DockerDefaultSetHasFourteen) {
    std::vector<std::string> defaults;
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
        if (cap_info(cap).docker_default) defaults.push_back(cap_name(cap));
    }
    EXPECT_EQ(defaults, (std::vector<std::string>{"CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                                                  "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE",
                                                  "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE",
                                                  "SETFCAP"}));
}

TEST(CapInfo, RiskLevels) {
    EXPECT_EQ(cap_info(CAP_SYS_ADMIN).risk, "critical");
    EXPECT_NE(cap_info(CAP_SYS_ADMIN).summary.find("new root"), std::string::npos);
    for (int cap : {CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_NET_ADMIN})
        EXPECT_EQ(cap_info(cap).risk, "high") << cap_name(cap);
    EXPECT_EQ(cap_info(CAP_NET_BIND_SERVICE).risk, "low");
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
        const std::string& risk = cap_info(cap).risk;
        EXPECT_TRUE(risk == "low" || risk == "medium" || risk == "high" || risk == "critical")
            << cap_name(cap);
        EXPECT_FALSE(cap_info(cap).summary.empty()) << cap_name(cap);
    }
}

TEST(CapInfo, NamesDockerd2010RejectsCarryANote) {
    for (int cap : {CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE}) {
        EXPECT_NE(cap_info(cap).docker_note.find("dockerd 20.10"), std::string::npos) << cap_name(cap);
        EXPECT_NE(cap_info(cap).docker_note.find("SYS_ADMIN"), std::string::npos) << cap_name(cap);
    }
    EXPECT_TRUE(cap_info(CAP_NET_BIND_SERVICE).docker_note.empty());
}

}  // namespace
}  // namespace capprof
