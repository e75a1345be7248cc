// The unit-file syntax: sections, continuations, comments, list resets.
#include <gtest/gtest.h>

#include "capprof/error.hpp"
#include "unit/unit_file.hpp"

namespace capprof {
namespace {

TEST(UnitFile, ReadsSectionsAssignmentsAndComments) {
    UnitFile file;
    file.parse("# comment\n; also a comment\n[Unit]\nDescription = A web server \n\n[Service]\nType=forking\n",
               "a.service");
    EXPECT_EQ(file.value("Unit", "Description"), "A web server");
    EXPECT_EQ(file.value("Service", "Type"), "forking");
    EXPECT_EQ(file.value("Service", "Description"), "");
    EXPECT_TRUE(file.has("Service", "Type"));
}

TEST(UnitFile, JoinsContinuedLinesAndSkipsCommentsInside) {
    UnitFile file;
    file.parse("[Service]\nExecStart=/bin/echo one \\\n# a comment inside\n  two \\\n three\nUser=www-data\n",
               "a.service");
    EXPECT_EQ(file.value("Service", "ExecStart"), "/bin/echo one  two  three");
    EXPECT_EQ(file.value("Service", "User"), "www-data");
    EXPECT_EQ(file.assignments("Service", "User").front().origin, "a.service:6");
}

TEST(UnitFile, AnEmptyAssignmentResetsAList) {
    UnitFile file;
    file.parse("[Service]\nExecStartPre=/bin/a\nExecStartPre=/bin/b\n", "a.service");
    file.parse("[Service]\nExecStartPre=\nExecStartPre=/bin/c\n", "a.service.d/override.conf");
    EXPECT_EQ(file.values("Service", "ExecStartPre"), std::vector<std::string>{"/bin/c"});
}

TEST(UnitFile, RefusesLinesThatAreNoAssignmentWithWhereTheyAre) {
    UnitFile file;
    try {
        file.parse("[Service]\nExecStart /bin/true\n", "x.service");
        FAIL() << "accepted a line without '='";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("x.service:2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(file.parse("Type=simple\n", "y.service"), UserError);
    EXPECT_THROW(file.parse("[Service\n", "z.service"), UserError);
}

}  // namespace
}  // namespace capprof
