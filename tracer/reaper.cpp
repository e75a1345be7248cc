#include "reaper.hpp"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

namespace capprof {

bool become_subreaper() {
    static const bool ok = [] {
        if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) return true;
        spdlog::debug("cannot become a child subreaper: {}", std::strerror(errno));
        return false;
    }();
    return ok;
}

bool die_with_parent(pid_t parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // A parent that died before the signal was set sends nothing.
    return ::getppid() == parent;
}

void outlive_parent() { ::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0); }

std::vector<pid_t> own_children() {
    std::vector<pid_t> children;
    DIR* tasks = ::opendir("/proc/self/task");
    if (!tasks) return children;
    while (dirent* entry = ::readdir(tasks)) {
        if (entry->d_name[0] == '.') continue;
        std::ifstream list(std::string("/proc/self/task/") + entry->d_name + "/children");
        for (pid_t pid; list >> pid;) children.push_back(pid);
    }
    ::closedir(tasks);
    return children;
}

int kill_and_reap_children() {
    int reaped = 0;
    for (int quiet_rounds = 0; quiet_rounds < 3;) {
        std::vector<pid_t> children = own_children();
        for (pid_t pid : children) ::kill(pid, SIGKILL);
        for (pid_t pid : children) {
            int status;
            // __WALL: a child may be a clone() child or still traced.
            while (::waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
            }
            ++reaped;
        }
        // Reap whatever the list missed (a child that arrived meanwhile).
        int status;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, __WALL | WNOHANG)) > 0) ++reaped;
        if (pid < 0 && errno == ECHILD) break;  // no child at all
        if (children.empty()) {
            // Children exist that /proc did not list yet: let them show up.
            ++quiet_rounds;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    if (reaped) spdlog::debug("reaped {} leftover processes", reaped);
    return reaped;
}

}  // namespace capprof
