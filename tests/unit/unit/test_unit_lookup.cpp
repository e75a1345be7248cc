// Finding units and their drop-ins the way systemd does, in a fake tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "capprof/error.hpp"
#include "support/temp_dir.hpp"
#include "unit/unit_lookup.hpp"

namespace capprof {
namespace {

using testing::TempDir;

class UnitTree : public ::testing::Test {
protected:
    TempDir root;
    std::vector<std::string> dirs() const { return {root / "etc", root / "run", root / "lib"}; }
    void write(const std::string& relative, const std::string& text) {
        std::filesystem::create_directories(std::filesystem::path(root / relative).parent_path());
        std::ofstream(root / relative) << text;
    }
};

TEST_F(UnitTree, TheFirstDirectoryWinsAndDropInsApplyInNameOrder) {
    write("lib/web.service", "[Service]\nExecStart=/bin/lib\nUser=lib\n");
    write("etc/web.service", "[Service]\nExecStart=/bin/etc\nUser=etc\n");
    write("lib/web.service.d/20-user.conf", "[Service]\nUser=from-lib-20\n");
    write("etc/web.service.d/10-user.conf", "[Service]\nUser=from-etc-10\n");
    write("run/web.service.d/20-user.conf", "[Service]\nUser=from-run-20\n");  // hides lib's 20-user.conf
    write("etc/web.service.d/README", "not a .conf file\n");
    LoadedUnit unit = load_unit("web", dirs());
    EXPECT_EQ(unit.name.full, "web.service");
    EXPECT_EQ(unit.path, root / "etc/web.service");
    EXPECT_EQ(unit.file.value("Service", "ExecStart"), "/bin/etc");
    EXPECT_EQ(unit.file.value("Service", "User"), "from-run-20");
    EXPECT_EQ(unit.drop_ins, (std::vector<std::string>{root / "etc/web.service.d/10-user.conf",
                                                       root / "run/web.service.d/20-user.conf"}));
}

TEST_F(UnitTree, AnInstanceFallsBackToItsTemplate) {
    write("lib/getty@.service", "[Service]\nExecStart=/sbin/agetty %I\n");
    write("lib/getty@.service.d/x.conf", "[Service]\nEnvironment=TEMPLATE=1\n");
    write("lib/getty@tty1.service.d/y.conf", "[Service]\nEnvironment=INSTANCE=1\n");
    LoadedUnit unit = load_unit("getty@tty1.service", dirs());
    EXPECT_EQ(unit.path, root / "lib/getty@.service");
    EXPECT_EQ(unit.name.instance, "tty1");
    EXPECT_EQ(unit.file.values("Service", "Environment"), (std::vector<std::string>{"TEMPLATE=1", "INSTANCE=1"}));
}

TEST_F(UnitTree, APathReadsThatFileAndTheDropInsBesideIt) {
    write("mine/app.service", "[Service]\nExecStart=/bin/true\n");
    write("mine/app.service.d/port.conf", "[Service]\nEnvironment=PORT=8080\n");
    LoadedUnit unit = load_unit(root / "mine/app.service", dirs());
    EXPECT_EQ(unit.file.value("Service", "Environment"), "PORT=8080");
}

TEST_F(UnitTree, SaysWhatIsWrongInOneLine) {
    write("lib/empty.service", "[Service]\nType=oneshot\n");
    std::filesystem::create_directories(root / "etc");
    std::filesystem::create_symlink("/dev/null", root / "etc/masked.service");
    auto message = [&](const std::string& unit) {
        try {
            load_unit(unit, dirs());
        } catch (const UserError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message("nothere").find("unit nothere.service not found in"), std::string::npos);
    EXPECT_NE(message("empty").find("no ExecStart="), std::string::npos);
    EXPECT_NE(message("masked").find("is masked"), std::string::npos);
    EXPECT_NE(message("web.socket").find("only services can be profiled"), std::string::npos);
    EXPECT_NE(message("bad name!").find("not a valid unit name"), std::string::npos);
}

}  // namespace
}  // namespace capprof
