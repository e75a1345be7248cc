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
    static OutputFile standard_error();

    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    // Throws UserError when the write fails (disk full, closed pipe).
    void write(std::string_view text);
    // A terminal that wants colour: isatty and NO_COLOR unset (no-color.org).
    bool wants_color() const;

private:
    OutputFile(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
    int fd_ = -1;
    bool owned_ = false;
    std::string name_;
};

}  // namespace capprof
