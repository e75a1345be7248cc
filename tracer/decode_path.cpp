#include "decode_path.hpp"

#include <vector>

namespace capprof {

std::string normalize_path(std::string_view path) {
    std::string out;
    bool absolute = !path.empty() && path.front() == '/';
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(start, end - start);
        if (!part.empty() && part != ".") {
            if (!out.empty() || absolute) out += '/';
            out.append(part);
        }
        start = end + 1;
    }
    if (out.empty()) return absolute ? "/" : ".";
    return out;
}

std::optional<std::string> absolute_path(std::string_view path, std::optional<std::string_view> base,
                                         std::string_view root) {
    if (!path.empty() && path.front() == '/') return normalize_path(path);
    if (!base) return std::nullopt;
    std::string_view dir = *base;
    // A chrooted task: /proc shows its cwd from capprof's root.
    if (root != "/" && !root.empty() && dir.substr(0, root.size()) == root &&
        (dir.size() == root.size() || dir[root.size()] == '/')) {
        dir.remove_prefix(root.size());
        if (dir.empty()) dir = "/";
    }
    if (path.empty()) return normalize_path(dir);
    return normalize_path(std::string(dir) + "/" + std::string(path));
}

}  // namespace capprof
