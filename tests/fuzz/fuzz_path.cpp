// Fuzzes the path decoder with what a workload controls: the path argument,
// and (through renames and chroot) the /proc/TID/{cwd,fd/N,root} link texts
// it is joined to. Input: PATH \0 BASE \0 ROOT (missing parts: no base, root
// "/"). Checks the shape the analyses rely on: absolute results, no empty
// or "." components, normalize_path idempotent.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "decode_path.hpp"
#include "fuzz_hazards.hpp"

using capprof::fuzz::require;

namespace {

void require_normal(const std::string& p) {
    require(!p.empty());
    if (p == "/" || p == ".") return;
    require(p.find("//") == std::string::npos);
    require(p.back() != '/');
    require(p.find("/./") == std::string::npos && p.substr(0, 2) != "./" &&
            (p.size() < 2 || p.substr(p.size() - 2) != "/."));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view parts[3];
    int count = 0;
    while (count < 3) {
        auto nul = input.find('\0');
        parts[count++] = input.substr(0, nul);
        if (nul == std::string_view::npos) break;
        input.remove_prefix(nul + 1);
    }
    std::string path(parts[0]);
    std::optional<std::string_view> base;
    if (count > 1) base = parts[1];
    std::string_view root = count > 2 ? parts[2] : std::string_view("/");

    std::string normal = capprof::normalize_path(path);
    require_normal(normal);
    require(capprof::normalize_path(normal) == normal);

    auto absolute = capprof::absolute_path(path, base, root);
    bool path_absolute = !path.empty() && path.front() == '/';
    if (path_absolute) require(absolute && *absolute == normal);
    if (!path_absolute && !base) require(!absolute);
    if (absolute) {
        require_normal(*absolute);
        bool base_absolute = base && !base->empty() && base->front() == '/';
        if (path_absolute || base_absolute) require(absolute->front() == '/');
    }
    return 0;
}
