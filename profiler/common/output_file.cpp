#include "common/output_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "capprof/error.hpp"

namespace capprof {

namespace {

// Blocks SIGPIPE on this thread for the life of the object; on the way out
// discards a SIGPIPE that a write raised meanwhile (one that was pending
// before is left alone). The technique of curl's and OpenSSL's socket code,
// which cannot change the process's dispositions either.
class SigpipeHold {
public:
    SigpipeHold() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        ::pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    }
    ~SigpipeHold() {
        if (raised_ && !was_pending_) {
            const timespec now{0, 0};
            int saved = errno;
            while (::sigtimedwait(&pipe_, nullptr, &now) < 0 && errno == EINTR) {
            }
            errno = saved;
        }
        ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeHold(const SigpipeHold&) = delete;
    SigpipeHold& operator=(const SigpipeHold&) = delete;
    void raised() { raised_ = true; }

private:
    sigset_t pipe_{}, previous_{};
    bool was_pending_ = false;
    bool raised_ = false;
};

}  // namespace

int write_all(int fd, std::string_view text) {
    SigpipeHold hold;
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EPIPE) hold.raised();
        if (n <= 0) return n < 0 ? errno : EIO;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

void ensure_standard_fds() {
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        // The lowest free descriptor: `fd` itself, as the ones below are open.
        int null = ::open("/dev/null", O_RDWR);
        if (null >= 0 && null != fd) {
            ::dup2(null, fd);
            ::close(null);
        }
    }
}

OutputFile OutputFile::open(const std::string& path, std::string_view what) {
    if (path == "-") return standard_output();
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw UserError("cannot write " + std::string(what) + " to " + path + ": " +
                        std::strerror(errno));
    }
    return OutputFile(fd, true, path);
}

OutputFile OutputFile::standard_output() { return OutputFile(STDOUT_FILENO, false, "stdout"); }

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
    if (int error = write_all(fd_, text))
        throw UserError("cannot write to " + name_ + ": " + std::strerror(error));
}

bool OutputFile::wants_color() const {
    const char* no_color = std::getenv("NO_COLOR");
    return ::isatty(fd_) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

bool OutputFile::is_standard_error() const { return fd_ == STDERR_FILENO; }

}  // namespace capprof
