// escape_string: workload strings printed as strace prints them.
#include <gtest/gtest.h>

#include <string>

#include "capprof/escape.hpp"

namespace capprof {
namespace {

TEST(EscapeString, PlainTextIsQuoted) {
    EXPECT_EQ(escape_string("/srv/data/secret"), "\"/srv/data/secret\"");
    EXPECT_EQ(escape_string(""), "\"\"");
}

TEST(EscapeString, CEscapesLikeStrace) {
    EXPECT_EQ(escape_string("a\nb\tc"), "\"a\\nb\\tc\"");
    EXPECT_EQ(escape_string("say \"hi\""), "\"say \\\"hi\\\"\"");
    EXPECT_EQ(escape_string("back\\slash"), "\"back\\\\slash\"");
    EXPECT_EQ(escape_string("\r\f\v"), "\"\\r\\f\\v\"");
}

TEST(EscapeString, ControlBytesAsShortestOctal) {
    EXPECT_EQ(escape_string(std::string("a\0b", 3)), "\"a\\0b\"");
    EXPECT_EQ(escape_string("\x1b[31mred"), "\"\\33[31mred\"");
    EXPECT_EQ(escape_string("\x7f"), "\"\\177\"");
}

TEST(EscapeString, ThreeOctalDigitsWhenADigitFollows) {
    // strace: "\0" followed by "1" must not read as "\01".
    EXPECT_EQ(escape_string(std::string("\0" "1", 2)), "\"\\0001\"");
    EXPECT_EQ(escape_string("\x1b" "7"), "\"\\0337\"");
    EXPECT_EQ(escape_string("\x01" "8"), "\"\\18\"");  // 8 is not an octal digit
}

TEST(EscapeString, ValidUtf8IsKept) {
    EXPECT_EQ(escape_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    EXPECT_EQ(escape_string("\xe2\x82\xac \xf0\x9f\x98\x80"), "\"\xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(EscapeString, InvalidUtf8AsOctal) {
    EXPECT_EQ(escape_string("\xff"), "\"\\377\"");
    EXPECT_EQ(escape_string("\xc3"), "\"\\303\"");            // truncated sequence
    EXPECT_EQ(escape_string("\xc0\xaf"), "\"\\300\\257\"");    // overlong "/"
    EXPECT_EQ(escape_string("\xed\xa0\x80"), "\"\\355\\240\\200\"");  // surrogate
}

TEST(EscapeString, TerminalTricksAsOctal) {
    EXPECT_EQ(escape_string("\xc2\x9b" "2J"), "\"\\302\\2332J\"");          // C1 CSI
    EXPECT_EQ(escape_string("a\xe2\x80\xae" "b"), "\"a\\342\\200\\256b\"");    // RLO
}

TEST(EscapeString, TruncatedGetsEllipsisAfterQuote) {
    EXPECT_EQ(escape_string("abcdef", 3), "\"abc\"...");
    EXPECT_EQ(escape_string("abc", 3), "\"abc\"");
    EXPECT_EQ(escape_string(std::string(5000, 'x')).size(), 4096u + 2 + 3);
}

}  // namespace
}  // namespace capprof
