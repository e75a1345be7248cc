#pragma once
// Helpers for the hostile-workload tests: a marker that every process of a
// workload carries (in argv and in the environment), and a scan of /proc for
// processes that still carry it after capprof has returned or was killed.
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e_helpers.hpp"

namespace capprof::e2e {

// A unique marker, exported as CAPPROF_HOSTILE_MARKER while it lives so that
// capprof and the workload inherit it; pass marker.text() in argv as well for
// programs whose children do not exec.
class Marker {
public:
    Marker() {
        static std::atomic<int> counter{0};
        text_ = "capprof-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        ::setenv("CAPPROF_HOSTILE_MARKER", text_.c_str(), 1);
    }
    Marker(const Marker&) = delete;
    Marker& operator=(const Marker&) = delete;
    ~Marker() {
        kill_survivors();
        ::unsetenv("CAPPROF_HOSTILE_MARKER");
    }
    const std::string& text() const { return text_; }

    // Processes other than this one whose argv or environment hold the marker,
    // each as "PID STATE COMM" (zombies are not counted: they no longer run).
    std::vector<std::string> survivors() const {
        std::vector<std::string> found;
        DIR* proc = ::opendir("/proc");
        if (!proc) return found;
        while (dirent* entry = ::readdir(proc)) {
            pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
            if (pid <= 0 || pid == ::getpid()) continue;
            const std::string dir = std::string("/proc/") + entry->d_name;
            std::string cmdline = read_file(dir + "/cmdline");
            std::string environ = read_file(dir + "/environ");
            if (cmdline.find(text_) == std::string::npos && environ.find(text_) == std::string::npos)
                continue;
            std::string stat = read_file(dir + "/stat");
            auto close = stat.rfind(')');
            char state = close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
            if (state == 'Z' || state == 'X') continue;
            std::string comm = read_file(dir + "/comm");
            if (!comm.empty() && comm.back() == '\n') comm.pop_back();
            found.push_back(std::to_string(pid) + " " + state + " " + comm);
        }
        ::closedir(proc);
        return found;
    }

    // Waits up to `limit` for every marked process to be gone; returns those left.
    std::vector<std::string> survivors_after(std::chrono::milliseconds limit) const {
        auto deadline = std::chrono::steady_clock::now() + limit;
        auto left = survivors();
        while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            left = survivors();
        }
        return left;
    }

    // Cleans up after a failed test so that one failure does not leak into others.
    void kill_survivors() const {
        for (const auto& line : survivors()) ::kill(static_cast<pid_t>(std::stol(line)), SIGKILL);
    }

private:
    std::string text_;
};

// LeakSanitizer stops the world with ptrace(2) when an ASan-built capprof
// exits; where ptrace is denied, or while strace traces capprof, that fails
// ("LeakSanitizer has encountered a fatal error", exit 1) and would hide the
// exit status under test. This scope turns only the leak check off for the
// processes it starts; ASan's other checks stay. No effect without ASan.
class WithoutLeakCheck {
public:
    WithoutLeakCheck() {
        const char* old = ::getenv("ASAN_OPTIONS");
        if (old) saved_ = old;
        std::string options = saved_ ? *saved_ + ":detect_leaks=0" : "detect_leaks=0";
        ::setenv("ASAN_OPTIONS", options.c_str(), 1);
    }
    WithoutLeakCheck(const WithoutLeakCheck&) = delete;
    WithoutLeakCheck& operator=(const WithoutLeakCheck&) = delete;
    ~WithoutLeakCheck() {
        if (saved_) ::setenv("ASAN_OPTIONS", saved_->c_str(), 1);
        else ::unsetenv("ASAN_OPTIONS");
    }

private:
    std::optional<std::string> saved_;
};

inline std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

}  // namespace capprof::e2e
