// --user resolution from passwd/group files in a fake root directory.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capprof/error.hpp"
#include "common/user_db.hpp"

namespace capprof {
namespace {

namespace fs = std::filesystem;

class FakeRoot : public ::testing::Test {
protected:
    void SetUp() override {
        std::string templ = (fs::temp_directory_path() / "capprof-userdb-XXXXXX").string();
        ASSERT_NE(mkdtemp(templ.data()), nullptr);
        root_ = templ;
        fs::create_directories(root_ / "etc");
    }
    void TearDown() override { fs::remove_all(root_); }

    void write(const std::string& relative, const std::string& text) {
        std::ofstream(root_ / relative) << text;
    }
    void write_default_db() {
        write("etc/passwd",
              "root:x:0:0:root:/root:/bin/bash\n"
              "# a comment\n"
              "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
              "+nisuser::::::\n"
              "broken line without colons\n"
              "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
              "bob:x:1001:100::/home/bob:/bin/sh\n");
        write("etc/group",
              "root:x:0:\n"
              "www-data:x:33:\n"
              "users:x:100:\n"
              "alice:x:1000:\n"
              "audio:x:29:alice,bob\n"
              "video:x:44:bob\n"
              "docker:x:998:alice\n");
    }
    UserSpec lookup(std::string_view spec) {
        auto user = lookup_user(spec, root_.string());
        EXPECT_TRUE(user.has_value());
        return user.value_or(UserSpec{});
    }
    int error_code(std::string_view spec, std::string* message = nullptr) {
        try {
            lookup_user(spec, root_.string());
        } catch (const UserError& e) {
            if (message) *message = e.what();
            return e.exit_code();
        }
        return -1;
    }

    fs::path root_;
};

TEST_F(FakeRoot, EmptySpecMeansNoUser) {
    write_default_db();
    EXPECT_FALSE(lookup_user("", root_.string()).has_value());
}

// What `--user SPEC` resolves to with the default database: docker run's
// rules (a name's primary group and memberships; an explicit group drops
// the supplementary groups; a number not in passwd gets group 0).
struct Resolution {
    const char* spec;
    uid_t uid;
    gid_t gid;
    std::vector<gid_t> groups;
    const char* why;
};

TEST_F(FakeRoot, SpecsResolveAsDockerRunDoes) {
    write_default_db();
    const Resolution cases[] = {
        {"alice", 1000, 1000, {29, 998}, "name: primary group and memberships"},
        {"bob", 1001, 100, {29, 44}, "name: primary group and memberships"},
        {"33", 33, 33, {}, "number in passwd: like its name"},
        {"1000", 1000, 1000, {29, 998}, "number in passwd: like its name"},
        {"4242", 4242, 0, {}, "number not in passwd: group 0"},
        {"alice:video", 1000, 44, {}, "explicit group by name drops supplementary groups"},
        {"alice:5555", 1000, 5555, {}, "explicit group by number"},
        {"1234:5678", 1234, 5678, {}, "both numbers, neither in the database"},
        {":www-data", 0, 33, {}, "empty user part means root"},
        {"2147483647", 2147483647u, 0, {}, "largest uid"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.spec) + ": " + c.why);
        auto user = lookup(c.spec);
        EXPECT_EQ(user.uid, c.uid);
        EXPECT_EQ(user.gid, c.gid);
        EXPECT_EQ(user.groups, c.groups);
        EXPECT_EQ(user.text, c.spec);
    }
}

TEST_F(FakeRoot, UnknownUserNameIsAUsageError) {
    write_default_db();
    std::string message;
    EXPECT_EQ(error_code("mallory", &message), exit_usage);
    EXPECT_NE(message.find("unknown user \"mallory\""), std::string::npos) << message;
    EXPECT_NE(message.find("etc/passwd"), std::string::npos) << message;
}

TEST_F(FakeRoot, UnknownGroupNameIsAUsageError) {
    write_default_db();
    std::string message;
    EXPECT_EQ(error_code("alice:wheel", &message), exit_usage);
    EXPECT_NE(message.find("unknown group \"wheel\""), std::string::npos) << message;
}

TEST_F(FakeRoot, OutOfRangeIdsAreRejected) {
    write_default_db();
    std::string message;
    EXPECT_EQ(error_code("99999999999", &message), exit_usage);
    EXPECT_NE(message.find("out of range"), std::string::npos) << message;
    EXPECT_EQ(error_code("0:2147483648"), exit_usage);
}

TEST_F(FakeRoot, WithoutUserDatabaseOnlyNumbersWork) {
    // A FROM scratch image has no /etc/passwd at all.
    fs::remove_all(root_ / "etc");
    auto user = lookup("1000:1000");
    EXPECT_EQ(user.uid, 1000u);
    EXPECT_EQ(user.gid, 1000u);
    std::string message;
    EXPECT_EQ(error_code("nobody", &message), exit_usage);
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
}

TEST(ParseUserDb, SkipsMalformedLinesAndKeepsMembers) {
    auto users = parse_passwd("a:x:1:2::/:/bin/sh\nb:x:notanumber:2::/:\n\nc:x:3\r\nd:x:4:5\r\n");
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].name, "a");
    EXPECT_EQ(users[1].name, "d");
    EXPECT_EQ(users[1].gid, 5u);

    auto groups = parse_group("g:x:10:a,b,,c\nh:x:11\n#x:x:12:\n");
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].members, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(groups[1].members.empty());
}

TEST(HostUserDb, RootResolvesOnThisMachine) {
    // Every Linux system names uid 0 "root" in /etc/passwd.
    auto root = lookup_user("root");
    ASSERT_TRUE(root.has_value());
    EXPECT_EQ(root->uid, 0u);
    EXPECT_EQ(root->gid, 0u);
}

}  // namespace
}  // namespace capprof
