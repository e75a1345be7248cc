// Exec lines: quoting, escapes, prefixes, ";" between commands, $VAR.
#include <gtest/gtest.h>

#include "capprof/error.hpp"
#include "unit/exec_line.hpp"

namespace capprof {
namespace {

SpecifierContext context(const std::string& name = "web@site1.service") {
    return {parse_unit_name(name), "/etc/systemd/system/web@.service"};
}

TEST(ExecLine, SplitsQuotedWordsAndDecodesEscapes) {
    auto words = split_unit_words(R"(/usr/sbin/nginx -g 'daemon on; master_process on;' "a \"b\"" c\sd \x41)", "t");
    EXPECT_EQ(words, (std::vector<std::string>{"/usr/sbin/nginx", "-g", "daemon on; master_process on;", "a \"b\"",
                                               "c d", "A"}));
    EXPECT_THROW(split_unit_words("/bin/echo 'open", "t"), UserError);
    EXPECT_THROW(split_unit_words("/bin/echo \\q", "t"), UserError);
}

TEST(ExecLine, ReadsPrefixesAndArgvZero) {
    auto commands = parse_exec_line("ExecStartPre", "-@/usr/bin/daemon shown-name --flag", context(), "t:1");
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_TRUE(commands[0].ignore_failure);
    EXPECT_EQ(commands[0].executable, "/usr/bin/daemon");
    EXPECT_EQ(commands[0].argv, (std::vector<std::string>{"shown-name", "--flag"}));
    EXPECT_EQ(commands[0].label(), "ExecStartPre=/usr/bin/daemon --flag");
}

TEST(ExecLine, NamesThePrefixesItDoesNotEmulate) {
    for (const std::string prefix : {"+", "!", "!!"}) {
        try {
            parse_exec_line("ExecStart", prefix + "/bin/true", context(), "t:3");
            FAIL() << prefix << " accepted";
        } catch (const UserError& e) {
            EXPECT_NE(std::string(e.what()).find("\"" + prefix + "\" prefix"), std::string::npos) << e.what();
        }
    }
}

TEST(ExecLine, ALoneSemicolonSeparatesCommands) {
    auto commands = parse_exec_line("ExecStartPre", "/bin/mkdir -p /run/x ; /bin/echo ';' \\;", context(), "t");
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_EQ(commands[0].argv, (std::vector<std::string>{"/bin/mkdir", "-p", "/run/x"}));
    EXPECT_EQ(commands[1].argv, (std::vector<std::string>{"/bin/echo", ";", ";"}));
}

TEST(ExecLine, ExpandsSpecifiersInEveryWord) {
    auto commands = parse_exec_line("ExecStart", "/usr/bin/web --name %i --unit %n --run %t/%p 100%%", context(), "t");
    EXPECT_EQ(commands[0].argv,
              (std::vector<std::string>{"/usr/bin/web", "--name", "site1", "--unit", "web@site1.service", "--run",
                                        "/run/web", "100%"}));
}

TEST(ExecLine, ExpandsEnvironmentAsSystemdDoes) {
    const std::map<std::string, std::string> env{{"OPTS", "-a  -b"}, {"PORT", "8080"}};
    auto argv = expand_exec_environment({"/bin/srv", "$OPTS", "--port=${PORT}", "$UNSET", "$$HOME", "${UNSET}x"}, env);
    EXPECT_EQ(argv, (std::vector<std::string>{"/bin/srv", "-a", "-b", "--port=8080", "$HOME", "x"}));
}

}  // namespace
}  // namespace capprof
