#pragma once
// Where a report goes: a file named on the command line, stdout ("-") or
// stderr. Opened before the workload starts, so that an unwritable path is an
// error before minutes of tracing, and close-on-exec, so that the workload
// never inherits it.
#include <string>
#include <string_view>

namespace capprof {

class OutputFile {
public:
    // "-" means stdout. Throws UserError (exit 125): "cannot write <what> to PATH: reason".
    static OutputFile open(const std::string& path, std::string_view what);
    static OutputFile standard_output();
    static OutputFile standard_error();

    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    // Throws UserError when the write fails (disk full, closed pipe: EPIPE,
    // never SIGPIPE).
    void write(std::string_view text);
    // A terminal that wants colour: isatty and NO_COLOR unset (no-color.org).
    bool wants_color() const;
    const std::string& name() const { return name_; }
    bool is_standard_error() const;

private:
    OutputFile(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
    int fd_ = -1;
    bool owned_ = false;
    std::string name_;
};

// Writes all of `text` to `fd`; 0 or the errno of the failed write. A
// closed pipe is EPIPE like any other failed write: SIGPIPE is held back for
// this thread meanwhile, and discarded when this write raised it.
int write_all(int fd, std::string_view text);

// Opens /dev/null on whichever of fds 0, 1 and 2 is closed, so that no file
// capprof opens later (a --json report) becomes someone's stdin, stdout or
// stderr. Call first thing.
void ensure_standard_fds();

}  // namespace capprof
