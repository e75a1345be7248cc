// Unit specifiers for a system service.
#include <gtest/gtest.h>

#include "capprof/error.hpp"
#include "unit/specifiers.hpp"

namespace capprof {
namespace {

TEST(Specifiers, NameInstanceAndSystemDirectories) {
    SpecifierContext ctx{parse_unit_name("getty@tty1.service"), "/lib/systemd/system/getty@.service"};
    EXPECT_EQ(expand_specifiers("%n %N %p %i %I", ctx, "t"), "getty@tty1.service getty@tty1 getty tty1 tty1");
    EXPECT_EQ(expand_specifiers("%t %S %C %L %E %T %V", ctx, "t"), "/run /var/lib /var/cache /var/log /etc /tmp /var/tmp");
    EXPECT_EQ(expand_specifiers("%h %u %U %%", ctx, "t"), "/root root 0 %");
    EXPECT_EQ(expand_specifiers("%y %Y", ctx, "t"), "/lib/systemd/system/getty@.service /lib/systemd/system");
}

TEST(Specifiers, UnescapesTheInstance) {
    SpecifierContext ctx{parse_unit_name("mount-data@srv-my\\x2dsite.service"), "x"};
    EXPECT_EQ(expand_specifiers("%i", ctx, "t"), "srv-my\\x2dsite");
    EXPECT_EQ(expand_specifiers("%I", ctx, "t"), "srv/my-site");
    EXPECT_EQ(expand_specifiers("%f", ctx, "t"), "/srv/my-site");
    EXPECT_EQ(expand_specifiers("%j", ctx, "t"), "data");
}

TEST(Specifiers, RefusesUnknownOnesSayingWhere) {
    SpecifierContext ctx{parse_unit_name("a.service"), "x"};
    try {
        expand_specifiers("%Q", ctx, "a.service:4");
        FAIL();
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("a.service:4: specifier %Q"), std::string::npos) << e.what();
    }
    EXPECT_THROW(expand_specifiers("50%", ctx, "t"), UserError);
}

}  // namespace
}  // namespace capprof
