#pragma once
// A fresh directory for a test, removed with its contents at the end of the
// scope; the unit and end-to-end tests share it.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace capprof::testing {

// A fresh directory, removed with its contents at the end of the scope.
class TempDir {
public:
    explicit TempDir(const std::string& base = "/tmp") {
        std::string pattern = base + "/capprof-test-XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (!::mkdtemp(buffer.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
        path_ = buffer.data();
        // mkdtemp makes it 0700; the workloads run as uid 0 without
        // DAC_OVERRIDE and must still reach files the tests put here.
        ::chmod(path_.c_str(), 0755);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

    // Creates a regular file with `content`, owner uid:gid and `mode`.
    std::string file(const std::string& name, unsigned mode = 0644, uid_t uid = 0, gid_t gid = 0,
                     const std::string& content = "capprof test file\n") const {
        std::string p = *this / name;
        std::ofstream(p) << content;
        if (::chown(p.c_str(), uid, gid) != 0 || ::chmod(p.c_str(), mode) != 0)
            throw std::runtime_error("cannot set owner/mode of " + p);
        return p;
    }
    std::string dir(const std::string& name, unsigned mode = 0755, uid_t uid = 0, gid_t gid = 0) const {
        std::string p = *this / name;
        std::filesystem::create_directories(p);
        if (::chown(p.c_str(), uid, gid) != 0 || ::chmod(p.c_str(), mode) != 0)
            throw std::runtime_error("cannot set owner/mode of " + p);
        return p;
    }

private:
    std::string path_;
};

}  // namespace capprof::testing
