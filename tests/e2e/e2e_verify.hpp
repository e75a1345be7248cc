#pragma once
// Independent checks of capprof's answers: the workload under util-linux
// setpriv with a capability set (KERNEL-NOTES.md: it reproduces `docker run
// --cap-drop ALL --cap-add ...`), servers answering, processes left behind.
#include <dirent.h>

#include <algorithm>
#include <cctype>

#include "e2e_helpers.hpp"

namespace capprof::e2e {

inline std::vector<std::string> strings(const json& array) {
    std::vector<std::string> out;
    if (array.is_array())
        for (const auto& item : array) out.push_back(item.get<std::string>());
    return out;
}

// setpriv --bounding-set=-all,+cap... --inh-caps=-all --ambient-caps=-all -- COMMAND
inline std::vector<std::string> under_setpriv(const std::vector<std::string>& caps,
                                              const std::vector<std::string>& command) {
    std::string bounding = "--bounding-set=-all";
    for (std::string cap : caps) {
        std::transform(cap.begin(), cap.end(), cap.begin(), [](unsigned char c) { return std::tolower(c); });
        bounding += ",+" + cap;
    }
    std::vector<std::string> argv{"setpriv", bounding, "--inh-caps=-all", "--ambient-caps=-all", "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

// Pids of processes whose command line contains `marker` (a test's temp dir).
inline std::vector<pid_t> processes_mentioning(const std::string& marker) {
    std::vector<pid_t> found;
    DIR* proc = ::opendir("/proc");
    if (!proc) return found;
    while (dirent* entry = ::readdir(proc)) {
        if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
        std::string cmdline = read_file(std::string("/proc/") + entry->d_name + "/cmdline");
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        pid_t pid = std::stoi(entry->d_name);
        if (pid != ::getpid() && cmdline.find(marker) != std::string::npos) found.push_back(pid);
    }
    ::closedir(proc);
    return found;
}

inline bool port_is_free(int port) {
    return !sh("ss -Hltn 'sport = :" + std::to_string(port) + "' | grep -q .").exited(0);
}

// The page `curl` gets within `limit`, or nullopt.
inline std::optional<std::string> fetch_page(const std::string& url, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        CommandResult got = run_command({"curl", "-sf", "--max-time", "1", url}, 5s);
        if (got.exited(0)) return got.out;
        std::this_thread::sleep_for(100ms);
    }
    return std::nullopt;
}

// Whether `curl` gets the page within `limit`.
inline bool serves(const std::string& url, std::chrono::milliseconds limit = 10s) {
    return fetch_page(url, limit).has_value();
}

}  // namespace capprof::e2e
