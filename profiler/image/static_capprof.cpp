#include "image/static_capprof.hpp"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "capprof/error.hpp"

namespace capprof {

bool is_static_elf(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    Elf64_Ehdr header{};
    bool elf = ::pread(fd, &header, sizeof header, 0) == static_cast<ssize_t>(sizeof header) &&
               std::equal(header.e_ident, header.e_ident + SELFMAG, ELFMAG) && header.e_ident[EI_CLASS] == ELFCLASS64 &&
               header.e_phentsize == sizeof(Elf64_Phdr) && header.e_phnum < 256;
    bool interpreter = false;
    for (unsigned i = 0; elf && i < header.e_phnum; ++i) {
        Elf64_Phdr program{};
        if (::pread(fd, &program, sizeof program, header.e_phoff + i * sizeof program) != sizeof program) {
            elf = false;
            break;
        }
        if (program.p_type == PT_INTERP) interpreter = true;
    }
    ::close(fd);
    return elf && !interpreter;
}

std::string find_static_capprof() {
    if (const char* given = std::getenv("CAPPROF_STATIC_BINARY"); given && *given) {
        if (!is_static_elf(given))
            throw UserError(std::string("CAPPROF_STATIC_BINARY=") + given + " is not a statically linked capprof");
        return std::filesystem::absolute(given).string();
    }
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error && is_static_elf(self.string())) return self.string();
    const auto next_to = self.parent_path() / "capprof-static";
    if (!error && ::access(next_to.c_str(), X_OK) == 0 && is_static_elf(next_to.string())) return next_to.string();
    throw UserError("--image needs a statically linked capprof to run inside the containers, and there is no " +
                    next_to.string() + ": build it (cmake --build BUILD --target capprof-static), install the "
                    "capprof package, or set CAPPROF_STATIC_BINARY=PATH");
}

}  // namespace capprof
