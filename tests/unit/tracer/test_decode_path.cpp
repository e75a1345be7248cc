// Paths resolved as the task sees them.
#include <gtest/gtest.h>

#include "decode_path.hpp"

namespace capprof {
namespace {

TEST(DecodePath, AbsolutePathsAreNormalizedOnly) {
    EXPECT_EQ(absolute_path("/srv/x", std::nullopt), "/srv/x");
    EXPECT_EQ(absolute_path("//srv/./x/", std::nullopt), "/srv/x");
    EXPECT_EQ(absolute_path("/srv/../x", std::nullopt), "/srv/../x");  // symlinks: kept
}

TEST(DecodePath, RelativeToBase) {
    EXPECT_EQ(absolute_path("data/secret", std::string_view("/srv")), "/srv/data/secret");
    EXPECT_EQ(absolute_path("./x", std::string_view("/")), "/x");
    EXPECT_EQ(absolute_path("", std::string_view("/var/log")), "/var/log");
    EXPECT_FALSE(absolute_path("x", std::nullopt).has_value());
}

TEST(DecodePath, ChrootedTaskSeesItsOwnRoot) {
    EXPECT_EQ(absolute_path("x", std::string_view("/jail/home"), "/jail"), "/home/x");
    EXPECT_EQ(absolute_path("x", std::string_view("/jail"), "/jail"), "/x");
    // Not under the root (e.g. a file descriptor opened before chroot).
    EXPECT_EQ(absolute_path("x", std::string_view("/jailbreak"), "/jail"), "/jailbreak/x");
}

TEST(DecodePath, Normalize) {
    EXPECT_EQ(normalize_path("/"), "/");
    EXPECT_EQ(normalize_path("a//b/./c"), "a/b/c");
    EXPECT_EQ(normalize_path("."), ".");
}

}  // namespace
}  // namespace capprof
