#include "trial_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "loop_device.hpp"

extern char** environ;

namespace capprof {

namespace {

constexpr std::uint64_t mib = 1ull << 20;
constexpr std::uint64_t default_image_bytes = 4096 * mib;
constexpr std::uint64_t min_image_bytes = 64 * mib;
constexpr int max_tree_depth = 512;

std::string errno_text(int error) { return std::strerror(error); }

// /var/tmp is world-writable: the base must be root's own directory, not
// something another user planted there (a symlink, their directory).
void make_private_directory(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        throw IsolationUnavailable("cannot create " + path + ": " + errno_text(errno));
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw IsolationUnavailable("cannot read " + path + ": " + errno_text(errno));
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 022))
        throw IsolationUnavailable(path + " is not a directory of capprof's user that only it may write");
}

// $CAPPROF_TRIAL_SPACE (MiB) or the default, within the room left on the
// filesystem that holds the image.
std::uint64_t image_size_for(const std::string& dir) {
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0)
        throw IsolationUnavailable("cannot read the free space of " + dir + ": " + errno_text(errno));
    const std::uint64_t available = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    std::uint64_t size = std::min(default_image_bytes, available / 4);
    if (const char* asked = std::getenv("CAPPROF_TRIAL_SPACE"); asked && *asked) {
        char* end = nullptr;
        unsigned long long value = std::strtoull(asked, &end, 10);
        if (*end != '\0' || value == 0)
            throw IsolationUnavailable("CAPPROF_TRIAL_SPACE=" + std::string(asked) + " is not a size in MiB");
        size = value * mib;
        if (size > available)
            throw IsolationUnavailable("CAPPROF_TRIAL_SPACE asks for " + std::to_string(value) + " MiB, " +
                                       dir + " has " + std::to_string(available / mib) + " MiB free");
    }
    if (size < min_image_bytes)
        throw IsolationUnavailable("no room for the trial layers: " + dir + " has " +
                                   std::to_string(available / mib) + " MiB free");
    return size / mib * mib;
}

std::string find_mkfs() {
    std::string search = std::string(std::getenv("PATH") ? std::getenv("PATH") : "") + ":/usr/sbin:/sbin";
    std::size_t start = 0;
    while (start <= search.size()) {
        std::size_t end = std::min(search.find(':', start), search.size());
        std::string candidate = search.substr(start, end - start) + "/mkfs.ext4";
        if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    throw IsolationUnavailable("mkfs.ext4 not found (install e2fsprogs)");
}

// Runs `args` to its end, /dev/null as its stdin, stdout and stderr, with
// no signal blocked or ignored. Its wait status, or the posix_spawn error.
int run_quietly(std::vector<std::string> args, int& error) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
        posix_spawn_file_actions_addopen(&files, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    error = ::posix_spawn(&pid, argv[0], &files, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    int status = -1;
    if (error == 0) {
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    return status;
}

// mkfs.ext4 (e2fsprogs) rather than writing ext4 structures by hand. No
// journal (the image is thrown away), inode tables initialised lazily and
// never by the kernel (noinit_itable at mount): the sparse image stays small.
void make_ext4(const std::string& image) {
    const std::string mkfs = find_mkfs();
    int error = 0;
    int status = run_quietly({mkfs, "-q", "-F", "-m", "0", "-i", "8192", "-O", "^has_journal,^resize_inode", "-E",
                              "lazy_itable_init=1,nodiscard", "-L", "capprof-trials", image},
                             error);
    if (error != 0) throw IsolationUnavailable("cannot run " + mkfs + ": " + errno_text(error));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw IsolationUnavailable(mkfs + " failed on " + image);
}

void clear_protection(int dir_fd, const char* name, bool directory) {
    int fd = ::openat(dir_fd, name,
                      O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (directory ? O_DIRECTORY : 0));
    if (fd < 0) return;
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & (FS_IMMUTABLE_FL | FS_APPEND_FL))) {
        flags &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL);
        ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
    }
    ::close(fd);
}

bool remove_entry(int dir_fd, const char* name, dev_t device, int depth) {
    struct statx st {};
    if (::statx(dir_fd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0) return errno == ENOENT;
    const bool directory = S_ISDIR(st.stx_mode);
    // Only regular files and directories are opened: opening a device node
    // a workload made would open the device.
    if ((st.stx_attributes & (STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND)) && (directory || S_ISREG(st.stx_mode)))
        clear_protection(dir_fd, name, directory);
    if (!directory) return ::unlinkat(dir_fd, name, 0) == 0 || errno == ENOENT;
    if (makedev(st.stx_dev_major, st.stx_dev_minor) != device || depth > max_tree_depth) return false;
    int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR* dir = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!dir) {
        if (fd >= 0) ::close(fd);
        return false;
    }
    bool complete = true;
    while (dirent* entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
        complete = remove_entry(::dirfd(dir), entry->d_name, device, depth + 1) && complete;
    }
    ::closedir(dir);
    return ::unlinkat(dir_fd, name, AT_REMOVEDIR) == 0 && complete;
}

bool owner_is_gone(const std::string& name) {
    if (name.empty() || name.size() > 9) return false;
    for (char c : name)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    return pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

bool remove_tree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
    return remove_entry(AT_FDCWD, path.c_str(), st.st_dev, 0);
}

void sweep_stale_trials(const std::string& base) {
    DIR* dir = ::opendir(base.c_str());
    if (!dir) return;
    std::vector<std::string> stale;
    while (dirent* entry = ::readdir(dir))
        if (owner_is_gone(entry->d_name)) stale.push_back(base + "/" + entry->d_name);
    ::closedir(dir);
    for (const std::string& owner : stale) {
        // Its image is still mounted (nothing unmounted it): detach it, and
        // the loop device goes with it (LO_FLAGS_AUTOCLEAR).
        ::umount2((owner + "/layers").c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
        bool removed = remove_tree(owner);
        spdlog::debug("swept the trial layers of a capprof that is gone: {}{}", owner,
                      removed ? "" : " (some of it is left)");
    }
}

TrialStore::TrialStore(const std::string& base) : base_(base) {
    try {
        create();
    } catch (...) {
        close();
        throw;
    }
}

TrialStore::~TrialStore() { close(); }

void TrialStore::create() {
    make_private_directory(base_);
    owner_dir_ = base_ + "/" + std::to_string(::getpid());
    // A namesake left by a capprof in another pid namespace.
    ::umount2((owner_dir_ + "/layers").c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
    remove_tree(owner_dir_);
    make_private_directory(owner_dir_);
    image_ = owner_dir_ + "/layers.img";
    layers_ = owner_dir_ + "/layers";
    image_bytes_ = image_size_for(owner_dir_);
    int image_fd = ::open(image_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (image_fd < 0) throw IsolationUnavailable("cannot create " + image_ + ": " + errno_text(errno));
    if (::ftruncate(image_fd, static_cast<off_t>(image_bytes_)) != 0) {
        int error = errno;
        ::close(image_fd);
        throw IsolationUnavailable("cannot size " + image_ + ": " + errno_text(error));
    }
    try {
        make_ext4(image_);
        make_private_directory(layers_);
        LoopDevice loop(image_fd);
        // No "discard": without a journal ext4 discards each freed extent
        // synchronously, which made a trial's teardown several times slower.
        // Blocks a trial frees are reused by the next one; the image is
        // removed with the store.
        if (::mount(loop.path().c_str(), layers_.c_str(), "ext4", MS_NOATIME, "noinit_itable") != 0)
            throw IsolationUnavailable("cannot mount " + loop.path() + " (ext4) on " + layers_ + ": " +
                                       errno_text(errno));
        mounted_ = true;
    } catch (...) {
        ::close(image_fd);
        throw;
    }
    ::close(image_fd);
    spdlog::debug("trial layers: {} MiB ext4 image {}, mounted on {}", image_bytes_ / mib, image_, layers_);
}

void TrialStore::close() {
    if (mounted_ && ::umount2(layers_.c_str(), UMOUNT_NOFOLLOW) != 0) {
        // Still in use (a process of a trial that escaped): detach it, the
        // kernel frees it with its last user.
        spdlog::debug("unmounting {}: {}; detaching it", layers_, errno_text(errno));
        ::umount2(layers_.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
    }
    mounted_ = false;
    if (!owner_dir_.empty()) remove_tree(owner_dir_);
}

std::string TrialStore::next_trial_dir() { return layers_ + "/" + std::to_string(++trials_); }

void TrialStore::discard(const std::string& trial_dir) {
    // Whatever is left still counts against the image, never the host.
    if (!remove_tree(trial_dir)) spdlog::debug("could not remove all of {}", trial_dir);
}

}  // namespace capprof
