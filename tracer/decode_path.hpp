#pragma once
// Paths as the task sees them: a relative path joined to its base (the
// dirfd's target or the cwd), with the task's root (chroot) taken off the
// base. "." and empty components are dropped; ".." is kept, as symlinks
// make it meaningful only to the kernel.
#include <optional>
#include <string>
#include <string_view>

namespace capprof {

// `base` and `root` as /proc/TID/{cwd,fd/N,root} show them from capprof's
// view. Returns nullopt when the path is relative and base is unknown.
std::optional<std::string> absolute_path(std::string_view path, std::optional<std::string_view> base,
                                         std::string_view root = "/");

std::string normalize_path(std::string_view path);

}  // namespace capprof
