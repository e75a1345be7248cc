// File-permission analysis on synthetic path walks.
#include <fcntl.h>
#include <linux/fs.h>

#include <gtest/gtest.h>

#include "classify/classifier.hpp"
#include "classify/dac.hpp"
#include "support/classify_fixture.hpp"

namespace capprof {
namespace {

using testing::dir;
using testing::Ev;
using testing::file;
using testing::missing;
using testing::symlink;

std::vector<PathComponent> secret_walk(unsigned file_mode, uid_t owner = 1000, gid_t group = 1000) {
    return {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), dir("/srv/data", 0, 0, 0755),
            file("/srv/data/secret", owner, group, file_mode)};
}

AccessNeed need_of(const SyscallEvent& e, const std::vector<PathComponent>& walk) {
    return access_needed(e, 1, path_exists_in(walk, *e.path));
}

TEST(Dac, ReadOfForeignFileNeedsOnlyDacReadSearch) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/data/secret");
    auto walk = secret_walk(0600);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->path, "/srv/data/secret");
    EXPECT_EQ(d->denied, may_read);
    EXPECT_EQ(d->capability, "DAC_READ_SEARCH");
    EXPECT_EQ(d->alternatives, std::vector<std::string>{"DAC_OVERRIDE"});
    EXPECT_EQ(d->explanation,
              "cannot read /srv/data/secret: uid 0 is not the owner (1000:1000, mode 0600) and \"other\" has no "
              "read permission");
    EXPECT_EQ(d->fix, "chown 0 /srv/data/secret, or chmod o+r /srv/data/secret, or run as uid 1000");
}

TEST(Dac, WriteNeedsDacOverride) {
    Ev e = Ev("openat", EACCES).sarg(2, O_WRONLY | O_APPEND).path("/srv/data/secret");
    auto walk = secret_walk(0644);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->denied, may_write);
    EXPECT_EQ(d->capability, "DAC_OVERRIDE");
    EXPECT_TRUE(d->alternatives.empty());
    EXPECT_NE(d->explanation.find("cannot write"), std::string::npos);
}

TEST(Dac, ReadWriteOfForeignFileNeedsDacOverride) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDWR).path("/srv/data/secret");
    auto walk = secret_walk(0600);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->denied, may_read | may_write);
    EXPECT_EQ(d->capability, "DAC_OVERRIDE");
}

TEST(Dac, DirectoryWithoutSearchPermissionIsNamed) {
    Ev e = Ev("newfstatat", EACCES).path("/srv/private/file");
    std::vector<PathComponent> walk = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755),
                                       dir("/srv/private", 1000, 1000, 0700),
                                       file("/srv/private/file", 1000, 1000, 0644)};
    auto d = find_dac_denial(walk, "/srv/private/file", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->path, "/srv/private");
    EXPECT_TRUE(d->directory);
    EXPECT_EQ(d->capability, "DAC_READ_SEARCH");
    EXPECT_NE(d->explanation.find("cannot search directory /srv/private"), std::string::npos) << d->explanation;
    EXPECT_NE(d->explanation.find("search (x)"), std::string::npos);
    EXPECT_NE(d->fix.find("chmod o+x /srv/private"), std::string::npos) << d->fix;
}

TEST(Dac, GroupClassIsUsedForMembers) {
    Ev e = Ev("openat", EACCES).sarg(2, O_WRONLY).path("/srv/data/secret").groups(0, {50});
    auto walk = secret_walk(0640, 1000, 50);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_NE(d->explanation.find("its group 50 (uid 0 is a member) has no write permission"), std::string::npos) << d->explanation;
    EXPECT_EQ(d->fix.rfind("chmod g+w /srv/data/secret", 0), 0u) << d->fix;
}

TEST(Dac, OwnerWithoutBitsIsToldToChmodItself) {
    Ev e = Ev("openat", EACCES).sarg(2, O_WRONLY).path("/srv/data/secret");
    auto walk = secret_walk(0400, 0, 0);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_NE(d->explanation.find("uid 0 owns it (0:0, mode 0400) but the owner has no write permission"),
              std::string::npos)
        << d->explanation;
    EXPECT_EQ(d->fix, "chmod u+w /srv/data/secret");
}

TEST(Dac, CreateNeedsWriteAndSearchOnTheParent) {
    Ev e = Ev("mkdirat", EACCES).path("/srv/data/new");
    std::vector<PathComponent> walk = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755),
                                       dir("/srv/data", 1000, 1000, 0755), missing("/srv/data/new")};
    auto d = find_dac_denial(walk, "/srv/data/new", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->path, "/srv/data");
    EXPECT_EQ(d->denied, may_write);
    EXPECT_EQ(d->capability, "DAC_OVERRIDE");
    EXPECT_NE(d->explanation.find("cannot create entries in directory /srv/data"), std::string::npos);
}

TEST(Dac, OCreatOfAnExistingFileDoesNotNeedTheParent) {
    Ev e = Ev("openat", EACCES).sarg(2, O_CREAT | O_WRONLY).path("/srv/data/log");
    std::vector<PathComponent> walk = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755),
                                       dir("/srv/data", 1000, 1000, 0755), file("/srv/data/log", 1000, 1000, 0666)};
    EXPECT_FALSE(find_dac_denial(walk, "/srv/data/log", need_of(e, walk), e.get().task));
}

TEST(Dac, AllowedAccessIsNotADenial) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/data/secret");
    auto walk = secret_walk(0644);
    EXPECT_FALSE(find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task));
}

TEST(Dac, AclIsNamedWhenTheModeAllows) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/data/secret");
    auto walk = secret_walk(0644);
    walk.back().has_acl = true;
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->acl_may_decide);
    EXPECT_NE(d->explanation.find("POSIX ACL"), std::string::npos);
    EXPECT_NE(d->fix.find("setfacl -m u:0:r /srv/data/secret"), std::string::npos) << d->fix;
}

TEST(Dac, ExecWithoutAnyXBitHasNoCapability) {
    Ev e = Ev("execve", EACCES).path("/srv/data/secret");
    auto walk = secret_walk(0644);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->no_capability);
    EXPECT_EQ(d->fix, "chmod +x /srv/data/secret");
}

TEST(Dac, ExecWithOwnerXBitNeedsDacOverride) {
    Ev e = Ev("execve", EACCES).path("/srv/data/secret");
    auto walk = secret_walk(0700);
    auto d = find_dac_denial(walk, "/srv/data/secret", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->no_capability);
    EXPECT_EQ(d->capability, "DAC_OVERRIDE");
}

TEST(Dac, FollowedSymlinkIsJudgedByItsTarget) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/link");
    std::vector<PathComponent> walk = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), symlink("/srv/link", 0),
                                       file("/srv/link", 1000, 1000, 0600)};
    auto d = find_dac_denial(walk, "/srv/link", need_of(e, walk), e.get().task);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->denied, may_read);
    EXPECT_NE(d->explanation.find("1000:1000, mode 0600"), std::string::npos);
}

TEST(DacAttr, WriteToImmutableFileIsBlocked) {
    Ev e = Ev("openat", EPERM).sarg(2, O_WRONLY).path("/srv/data/secret");
    auto walk = secret_walk(0644, 0, 0);
    walk.back().attr_flags = FS_IMMUTABLE_FL;
    auto b = find_attr_block(walk, "/srv/data/secret", need_of(e, walk));
    ASSERT_TRUE(b);
    EXPECT_TRUE(b->immutable);
    EXPECT_NE(b->fix.find("chattr -i /srv/data/secret"), std::string::npos);
}

TEST(DacAttr, ReadOfImmutableFileIsFine) {
    Ev e = Ev("openat", EPERM).sarg(2, O_RDONLY).path("/srv/data/secret");
    auto walk = secret_walk(0644, 0, 0);
    walk.back().attr_flags = FS_IMMUTABLE_FL;
    EXPECT_FALSE(find_attr_block(walk, "/srv/data/secret", need_of(e, walk)));
}

TEST(DacAttr, AppendOnlyAllowsOAppendOnly) {
    auto walk = secret_walk(0644, 0, 0);
    walk.back().attr_flags = FS_APPEND_FL;
    Ev append = Ev("openat", EPERM).sarg(2, O_WRONLY | O_APPEND).path("/srv/data/secret");
    EXPECT_FALSE(find_attr_block(walk, "/srv/data/secret", need_of(append, walk)));
    Ev plain = Ev("openat", EPERM).sarg(2, O_WRONLY).path("/srv/data/secret");
    auto b = find_attr_block(walk, "/srv/data/secret", need_of(plain, walk));
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->immutable);
    EXPECT_NE(b->explanation.find("append-only"), std::string::npos);
}

TEST(DacAttr, UnlinkFromImmutableDirectoryIsBlocked) {
    Ev e = Ev("unlinkat", EPERM).path("/srv/data/secret");
    auto walk = secret_walk(0644, 0, 0);
    walk[2].attr_flags = FS_IMMUTABLE_FL;
    auto b = find_attr_block(walk, "/srv/data/secret", need_of(e, walk));
    ASSERT_TRUE(b);
    EXPECT_EQ(b->path, "/srv/data");
}

TEST(DacAttr, CreateInAppendOnlyDirectoryIsAllowed) {
    Ev e = Ev("openat", EPERM).sarg(2, O_CREAT | O_WRONLY).path("/srv/data/new");
    std::vector<PathComponent> walk = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755),
                                       dir("/srv/data", 0, 0, 0755, FS_APPEND_FL), missing("/srv/data/new")};
    EXPECT_FALSE(find_attr_block(walk, "/srv/data/new", need_of(e, walk)));
}

TEST(DacNeeds, OpenFlagsMapToAccess) {
    auto need = access_needed(Ev("openat", EACCES).sarg(2, O_RDWR | O_TRUNC).path("/x"), 1, true);
    EXPECT_EQ(need.last, may_read | may_write);
    EXPECT_TRUE(need.change_inode);
    EXPECT_EQ(access_needed(Ev("openat", EACCES).sarg(2, O_PATH).path("/x"), 1, true).last, 0u);
    EXPECT_TRUE(access_needed(Ev("openat", EACCES).sarg(2, O_CREAT | O_WRONLY).path("/x"), 1, false).create);
    EXPECT_EQ(access_needed(Ev("creat", EACCES).path("/x"), 1, true).last, unsigned(may_write));
    EXPECT_EQ(access_needed(Ev("faccessat", EACCES).sarg(2, 4 | 1).path("/x"), 1, true).last,
              unsigned(may_read | may_exec));
    EXPECT_FALSE(access_needed(Ev("unlinkat", EACCES).path("/x"), 1, true).follow_last);
    EXPECT_TRUE(access_needed(Ev("renameat2", EACCES).path("/x").path2("/y"), 2, false).create);
}

TEST(DacText, PathsAreEscapedOnlyWhenNeeded) {
    EXPECT_EQ(shown_path("/srv/data/secret"), "/srv/data/secret");
    EXPECT_EQ(shown_path("/tmp/a b"), "\"/tmp/a b\"");
    EXPECT_EQ(shown_path("/tmp/\x1b[31mred"), "\"/tmp/\\33[31mred\"");
}

TEST(DacClassify, FilePermissionFindingCarriesTheBetterFix) {
    Ev e = Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/data/secret");
    ClassifyContext c = testing::host_context();
    c.components = secret_walk(0600);
    Finding f = classify(e, c);
    EXPECT_EQ(f.verdict, Verdict::file_permission);
    EXPECT_EQ(f.capability, "DAC_READ_SEARCH");
    EXPECT_EQ(f.alternatives, std::vector<std::string>{"DAC_OVERRIDE"});
    EXPECT_EQ(f.fix, "chown 0 /srv/data/secret, or chmod o+r /srv/data/secret, or run as uid 1000");
}

}  // namespace
}  // namespace capprof
