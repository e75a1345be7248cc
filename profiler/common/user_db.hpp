#pragma once
// --user USER[:GROUP] resolved the way `docker run --user` resolves it, by
// reading /etc/passwd and /etc/group directly instead of through NSS
// (getpwnam): a static glibc binary cannot load NSS modules, and inside a
// container the files are the only user database anyway. Both builds use it,
// so --user means the same on a host and in a FROM scratch image.
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capprof/runner.hpp"

namespace capprof {

struct PasswdEntry {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;   // field 6, "" when missing
    std::string shell;  // field 7, "" when missing
};

struct GroupEntry {
    std::string name;
    gid_t gid = 0;
    std::vector<std::string> members;
};

// passwd(5) / group(5) text; comments, NIS "+"/"-" lines and malformed lines
// are skipped (as runc's parser does).
std::vector<PasswdEntry> parse_passwd(std::string_view text);
std::vector<GroupEntry> parse_group(std::string_view text);

// Resolves USER[:GROUP] like runc's GetExecUser (what dockerd uses):
//  - USER is a name from passwd, or a number (it need not exist in passwd;
//    then the primary group is 0);
//  - GROUP is a name from group or a number; without it the primary group is
//    passwd's, and the supplementary groups are the groups listing the user
//    as a member; with it, there are no supplementary groups.
// `root_dir` is where etc/passwd and etc/group are read ("/" normally).
// Returns nullopt for an empty spec (no --user). Throws UserError (exit 125)
// for an unknown name or a malformed number.
std::optional<UserSpec> lookup_user(std::string_view spec, std::string_view root_dir = "/");

}  // namespace capprof
