#include "output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "capprof/error.hpp"

namespace capprof {

OutputFile OutputFile::open(const std::string& path, std::string_view what) {
    if (path == "-") return OutputFile(STDOUT_FILENO, false, "stdout");
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw UserError("cannot write " + std::string(what) + " to " + path + ": " +
                        std::strerror(errno));
    }
    return OutputFile(fd, true, path);
}

OutputFile OutputFile::standard_error() { return OutputFile(STDERR_FILENO, false, "stderr"); }

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(other.fd_), owned_(other.owned_), name_(std::move(other.name_)) {
    other.owned_ = false;
    other.fd_ = -1;
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
    if (this != &other) {
        if (owned_) ::close(fd_);
        fd_ = other.fd_;
        owned_ = other.owned_;
        name_ = std::move(other.name_);
        other.owned_ = false;
        other.fd_ = -1;
    }
    return *this;
}

OutputFile::~OutputFile() {
    if (owned_) ::close(fd_);
}

void OutputFile::write(std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw UserError("cannot write to " + name_ + ": " + std::strerror(errno));
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool OutputFile::wants_color() const {
    const char* no_color = std::getenv("NO_COLOR");
    return ::isatty(fd_) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

}  // namespace capprof
