#include "trial_sandbox.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "trial_store.hpp"
#include "unix_sockets.hpp"

namespace capprof {

namespace {

// enter()'s steps besides the planned mounts.
constexpr int step_unshare = -2;
constexpr int step_private = -3;
constexpr int step_pivot = -4;
constexpr int step_chdir = -5;

const char* or_null(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

PathFacts lstat_facts(const std::string& path) {
    struct stat st {};
    PathFacts facts;
    if (::lstat(path.c_str(), &st) != 0) return facts;
    facts.exists = true;
    facts.directory = S_ISDIR(st.st_mode);
    facts.regular = S_ISREG(st.st_mode);
    facts.size = static_cast<std::uint64_t>(st.st_size);
    facts.mode = st.st_mode & 07777;
    facts.uid = st.st_uid;
    facts.gid = st.st_gid;
    return facts;
}

// pivot_root(2) into `root`, the old root detached (runc's pivotRoot).
// pivot_root refuses when the current root is not a mount point (capprof
// in a chroot) or is the initramfs: then the new root is moved over the old
// one and chrooted into, as runc does without pivot_root.
bool pivot_into(const char* root) {
    if (::chdir(root) != 0) return false;
    if (::syscall(SYS_pivot_root, ".", ".") == 0) return ::umount2(".", MNT_DETACH) == 0;
    if (errno != EINVAL) return false;
    return ::mount(".", "/", nullptr, MS_MOVE, nullptr) == 0 && ::chroot(".") == 0;
}

// The copy of a single-file bind: content, owner, mode, times and extended
// attributes (ACLs, file capabilities), as `cp -a` keeps them.
void copy_with_attributes(const std::string& from, const std::string& to) {
    namespace fs = std::filesystem;
    fs::copy_file(from, to, fs::copy_options::none);
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0 || ::chown(to.c_str(), st.st_uid, st.st_gid) != 0 ||
        ::chmod(to.c_str(), st.st_mode & 07777) != 0)
        throw IsolationUnavailable("cannot copy " + from + " for the trial: " + std::strerror(errno));
    ssize_t length = ::listxattr(from.c_str(), nullptr, 0);
    std::vector<char> names(length > 0 ? static_cast<std::size_t>(length) : 0);
    if (length > 0) length = ::listxattr(from.c_str(), names.data(), names.size());
    for (ssize_t at = 0; length > 0 && at < length; at += static_cast<ssize_t>(std::strlen(&names[at])) + 1) {
        ssize_t size = ::getxattr(from.c_str(), &names[at], nullptr, 0);
        std::vector<char> value(size > 0 ? static_cast<std::size_t>(size) : 0);
        if (size >= 0 && ::getxattr(from.c_str(), &names[at], value.data(), value.size()) == size)
            ::setxattr(to.c_str(), &names[at], value.data(), value.size(), 0);
    }
    const timespec times[2] = {st.st_atim, st.st_mtim};
    ::utimensat(AT_FDCWD, to.c_str(), times, 0);
}

}  // namespace

TrialSandbox::TrialSandbox(TrialStore& store, std::string cwd) : store_(store), cwd_(std::move(cwd)) {
    TrialPlanInput input;
    input.mounts = visible_mounts(read_mount_table());
    input.trial_dir = trial_dir_ = store.next_trial_dir();
    input.hidden_dir = store.base();
    input.sockets = bound_unix_sockets();
    input.lookup = lstat_facts;
    if (input.mounts.empty()) throw IsolationUnavailable("cannot read the mount table (/proc/self/mountinfo)");
    plan_ = plan_trial(input);
    try {
        create_directories();
        copy_files();
    } catch (...) {
        store_.discard(trial_dir_);
        throw;
    }
}

TrialSandbox::~TrialSandbox() {
    // The namespace holds the overlays: close it before the layers go.
    if (namespace_fd_ >= 0) ::close(namespace_fd_);
    store_.discard(trial_dir_);
}

void TrialSandbox::create_directories() const {
    for (const LayerDirectory& dir : plan_.directories) {
        // chmod after mkdir: mkdir applies the umask and drops the sticky bit.
        if (::mkdir(dir.path.c_str(), 0700) != 0 || ::chown(dir.path.c_str(), dir.uid, dir.gid) != 0 ||
            ::chmod(dir.path.c_str(), dir.mode) != 0)
            throw IsolationUnavailable("cannot create " + dir.path + ": " + std::strerror(errno));
    }
}

void TrialSandbox::copy_files() const {
    for (const FileCopy& copy : plan_.copies) {
        try {
            copy_with_attributes(copy.from, copy.to);
        } catch (const std::filesystem::filesystem_error& e) {
            throw IsolationUnavailable("cannot copy " + copy.from + " for the trial: " + e.code().message());
        }
    }
}

int TrialSandbox::enter() const noexcept {
    if (::unshare(CLONE_NEWNS) != 0) return step_unshare;
    // Nothing mounted here reaches the host, nor the other way round.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return step_private;
    for (std::size_t i = 0; i < plan_.steps.size(); ++i) {
        const MountStep& step = plan_.steps[i];
        if (::mount(or_null(step.source), step.target.c_str(), or_null(step.fstype), step.flags,
                    or_null(step.data)) != 0)
            return static_cast<int>(i);
    }
    if (!pivot_into(plan_.new_root.c_str())) return step_pivot;
    if (::chdir(cwd_.c_str()) != 0) return step_chdir;
    return entered;
}

std::string TrialSandbox::failure_text(int step, int error) const {
    std::string what;
    switch (step) {
        case step_unshare: what = "unshare(CLONE_NEWNS)"; break;
        case step_private: what = "making the mounts private"; break;
        case step_pivot: what = "pivot_root into the trial's root"; break;
        case step_chdir: what = "chdir " + cwd_; break;
        default:
            what = step >= 0 && static_cast<std::size_t>(step) < plan_.steps.size() ? plan_.steps[step].what
                                                                                       : "step " + std::to_string(step);
    }
    std::string text = "cannot set up the isolated trial: " + what + ": " + std::strerror(error);
    if (step == step_unshare && error == EPERM)
        text += " (capprof needs CAP_SYS_ADMIN: run it as root; in a container, --cap-add SYS_ADMIN)";
    return text;
}

std::string TrialSandbox::try_in_child() const {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    pid_t pid = ::fork();
    if (pid < 0) {
        int error = errno;
        ::close(report[0]);
        ::close(report[1]);
        return std::string("fork: ") + std::strerror(error);
    }
    if (pid == 0) {
        ::close(report[0]);
        int result[2] = {enter(), errno};
        [[maybe_unused]] auto n = ::write(report[1], result, sizeof result);
        ::_exit(0);
    }
    ::close(report[1]);
    int result[2] = {entered, 0};
    ssize_t n;
    do {
        n = ::read(report[0], result, sizeof result);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(sizeof result)) return "the trial's test process died";
    return result[0] == entered ? "" : failure_text(result[0], result[1]);
}

void TrialSandbox::keep_namespace_of(pid_t pid) {
    // The workload unshared before it stopped for the tracer, so this is
    // the trial's namespace (or nothing, when it already exited).
    std::string path = "/proc/" + std::to_string(pid) + "/ns/mnt";
    namespace_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

bool TrialSandbox::enter_namespace_in_this_thread() const {
    if (namespace_fd_ < 0) return false;
    // setns(CLONE_NEWNS) refuses a thread that shares its root and cwd with
    // others (setns(2)): unshare(CLONE_FS) gives this thread its own.
    if (::unshare(CLONE_FS) != 0 || ::setns(namespace_fd_, CLONE_NEWNS) != 0) return false;
    return ::chdir(cwd_.c_str()) == 0 || ::chdir("/") == 0;
}

}  // namespace capprof
