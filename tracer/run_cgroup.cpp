#include "run_cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace capprof {

namespace {

using namespace std::chrono_literals;

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool write_text(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    int error = errno;
    ::close(fd);
    errno = error;
    return ok;
}

// The cgroup2 mount point and its root within the hierarchy, from
// /proc/self/mountinfo (proc(5): "mount-id parent major:minor root point
// options ... - fstype source super-options").
bool cgroup2_mount(std::string& point, std::string& root) {
    std::istringstream lines(read_text("/proc/self/mountinfo"));
    for (std::string line; std::getline(lines, line);) {
        auto dash = line.find(" - ");
        if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
        std::istringstream fields(line.substr(0, dash));
        std::string id, parent, device;
        fields >> id >> parent >> device >> root >> point;
        return !point.empty();
    }
    return false;
}

// capprof's own cgroup v2 directory, or "" (and why).
std::string own_cgroup_dir(std::string& why) {
    std::string point, root;
    if (!cgroup2_mount(point, root)) {
        why = "no cgroup2 file system is mounted";
        return "";
    }
    std::istringstream lines(read_text("/proc/self/cgroup"));
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("0::", 0) != 0) continue;
        std::string path = line.substr(3);
        // The mount may show a subtree only (a container's cgroup namespace).
        if (root != "/" && path.rfind(root, 0) == 0) path.erase(0, root.size());
        if (path == "/") path.clear();
        return point + path;
    }
    why = "capprof has no cgroup v2 group (/proc/self/cgroup)";
    return "";
}

// Field 22 of /proc/PID/stat: when the process started, in clock ticks since
// boot. With the pid it names one process for good (pids are reused).
std::string start_time(pid_t pid) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
    }
    return field;
}

const std::string& own_prefix() {
    static const std::string prefix =
        "capprof-" + std::to_string(::getpid()) + "-" + start_time(::getpid()) + "-";
    return prefix;
}

bool populated(const std::string& dir) {
    std::string events = read_text(dir + "/cgroup.events");
    return events.empty() || events.find("populated 1") != std::string::npos;
}

void kill_members(const std::string& dir) {
    if (write_text(dir + "/cgroup.kill", "1")) return;
    // Before Linux 5.14: one by one; new members are caught by the next call.
    std::istringstream procs(read_text(dir + "/cgroup.procs"));
    for (pid_t pid; procs >> pid;) ::kill(pid, SIGKILL);
}

// Kills the members, waits until no process is left (killed ones exit within
// milliseconds; zombies do not count) and removes the directory.
bool kill_and_remove(const std::string& dir) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    kill_members(dir);
    while (populated(dir) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(2ms);
        kill_members(dir);
    }
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return true;
    spdlog::debug("cgroup {}: cannot remove it: {}", dir, std::strerror(errno));
    return false;
}

}  // namespace

std::optional<RunCgroup> RunCgroup::create(const std::string& role, std::string& why) {
    std::string parent = own_cgroup_dir(why);
    if (parent.empty()) return std::nullopt;
    static std::atomic<int> serial{0};
    std::string path = parent + "/" + own_prefix() + std::to_string(serial++) + "-" + role;
    if (::mkdir(path.c_str(), 0755) != 0) {
        why = "cannot create " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    RunCgroup group(path);
    if (group.procs_fd_ < 0) {
        why = "cannot open " + path + "/cgroup.procs: " + std::strerror(errno);
        return std::nullopt;  // the destructor removes the directory
    }
    return group;
}

RunCgroup::RunCgroup(std::string path) : path_(std::move(path)) {
    procs_fd_ = ::open((path_ + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
}

RunCgroup::RunCgroup(RunCgroup&& other) noexcept : path_(std::move(other.path_)), procs_fd_(other.procs_fd_) {
    other.path_.clear();
    other.procs_fd_ = -1;
}

RunCgroup::~RunCgroup() { remove(); }

bool RunCgroup::add(pid_t pid, std::string& why) const {
    if (write_text(path_ + "/cgroup.procs", std::to_string(pid))) return true;
    why = "cannot move process " + std::to_string(pid) + " into " + path_ + ": " + std::strerror(errno);
    return false;
}

void RunCgroup::kill_all() const {
    if (!path_.empty()) kill_members(path_);
}

void RunCgroup::remove() {
    if (procs_fd_ >= 0) ::close(procs_fd_);
    procs_fd_ = -1;
    if (path_.empty()) return;
    kill_and_remove(path_);
    path_.clear();
}

void sweep_stale_run_cgroups() {
    std::string why;
    std::string parent = own_cgroup_dir(why);
    if (parent.empty()) return;
    DIR* dir = ::opendir(parent.c_str());
    if (!dir) return;
    std::vector<std::string> stale;
    while (dirent* entry = ::readdir(dir)) {
        // capprof-PID-STARTTIME-N-ROLE
        std::string name = entry->d_name;
        if (name.rfind("capprof-", 0) != 0 || name.rfind(own_prefix(), 0) == 0) continue;
        std::istringstream fields(name.substr(8));
        std::string pid, started;
        if (!std::getline(fields, pid, '-') || !std::getline(fields, started, '-')) continue;
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
        if (start_time(static_cast<pid_t>(std::stol(pid))) == started) continue;  // still running
        stale.push_back(parent + "/" + name);
    }
    ::closedir(dir);
    for (const auto& path : stale) {
        spdlog::debug("cgroup {}: left by a capprof that no longer runs; removing it", path);
        kill_and_remove(path);
    }
}

}  // namespace capprof
