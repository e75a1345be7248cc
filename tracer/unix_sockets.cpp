#include "unix_sockets.hpp"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

namespace capprof {

std::vector<std::string> parse_unix_socket_paths(std::string_view text) {
    // "Num RefCount Protocol Flags Type St Inode Path": the path is the rest
    // of the line (it may hold spaces), absent for unnamed sockets, starting
    // with '@' for abstract ones.
    std::vector<std::string> paths;
    std::set<std::string> seen;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string skipped;
        for (int i = 0; i < 7 && fields >> skipped; ++i) {
        }
        std::string path;
        std::getline(fields >> std::ws, path);
        if (!path.empty() && path[0] == '/' && seen.insert(path).second) paths.push_back(path);
    }
    return paths;
}

std::vector<std::string> bound_unix_sockets() {
    std::ifstream in("/proc/net/unix");
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> sockets;
    for (std::string& path : parse_unix_socket_paths(text.str())) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) sockets.push_back(std::move(path));
    }
    return sockets;
}

}  // namespace capprof
