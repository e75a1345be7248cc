#pragma once
// File-permission analysis: which component of a path refused which access
// to the task's fsuid/fsgid/groups (fs/namei.c generic_permission without
// capabilities), and whether an inode attribute (chattr +i / +a) refused a
// change even root cannot make.
#include <optional>
#include <string>
#include <vector>

#include "capprof/syscall_event.hpp"
#include "classify/context.hpp"
#include "classify/protected_dirs.hpp"

namespace capprof {

// Access bits as in st_mode and the kernel's MAY_READ/MAY_WRITE/MAY_EXEC.
constexpr unsigned may_read = 4, may_write = 2, may_exec = 1;

// What a syscall needs from the path it names (the first or the second).
struct AccessNeed {
    unsigned last = 0;           // may_* on the final component
    bool create = false;         // adds an entry to the parent directory
    bool remove = false;         // removes an entry from the parent directory
    bool change_inode = false;   // changes the file itself (data, mode, owner, times, xattrs)
    bool append_only_ok = false; // the change is an O_APPEND write (allowed on chattr +a)
    bool follow_last = true;     // a symlink as the final component is followed
};

// `which` is 1 for event.path, 2 for event.path2; `last_exists` says whether
// the final component exists (O_CREAT of a new file needs the parent, not the file).
AccessNeed access_needed(const SyscallEvent& event, int which, bool last_exists);

// Whether the walk in `components` reached `path` and found it existing.
bool path_exists_in(const std::vector<PathComponent>& components, const std::string& path);

// Whether the syscall follows a symlink in the final component of path `which`.
bool follows_last_symlink(const SyscallEvent& event, int which);

struct DacDenial {
    std::string path;              // the component that refused
    bool directory = false;
    unsigned denied = 0;           // may_* bits the task lacked there
    bool acl_may_decide = false;   // a POSIX ACL applies; the mode bits alone allow it
    bool no_capability = false;    // exec of a file with no x bit at all: nothing overrides
    std::string capability;        // DAC_READ_SEARCH (read/search only) or DAC_OVERRIDE
    std::vector<std::string> alternatives;
    std::string explanation;       // who is refused what, with owner and mode
    std::string fix;               // chown / chmod / run as the owner
};

// The first component (in the kernel's walk order) that refuses `need` to
// `task`, or nullopt when the mode bits allow everything. `components` is
// the walk from "/" (ClassifyContext::components); when the walk stopped
// early (a component is missing), only the directories are judged. The fix
// never widens a directory `limits` protects; a task whose uids are all
// non-zero is offered no capability (it could not use one).
std::optional<DacDenial> find_dac_denial(const std::vector<PathComponent>& components,
                                         const std::string& path, const AccessNeed& need,
                                         const TaskInfo& task, const FixLimits& limits = {});

struct AttrBlock {
    std::string path;              // the file or directory carrying the attribute
    bool immutable = false;        // FS_IMMUTABLE_FL, else FS_APPEND_FL
    std::string explanation;
    std::string fix;
};

// An immutable or append-only inode that refuses the change `need` describes.
std::optional<AttrBlock> find_attr_block(const std::vector<PathComponent>& components,
                                         const std::string& path, const AccessNeed& need);

// "rwx" style names: "read", "write", "execute", "read and write", ...
std::string access_words(unsigned bits, bool directory);

// A path as it may appear in explanation text: unchanged when it is plain,
// else quoted and escaped like strace (escape_string).
std::string shown_path(const std::string& path);

}  // namespace capprof
