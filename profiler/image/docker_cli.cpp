#include "image/docker_cli.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "capprof/error.hpp"

namespace capprof {
namespace {

std::vector<char*> argv_of(const std::string& program, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// In the child, between fork and execve: only async-signal-safe calls.
[[noreturn]] void exec_child(const std::vector<char*>& argv, int out_fd, int err_fd, bool own_group) {
    if (own_group) ::setpgid(0, 0);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    // capprof may run with signals blocked or ignored (SignalRelay); the
    // client gets the defaults.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2}) ::signal(sig, SIG_DFL);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

void read_some(int fd, std::string& into, bool& open) {
    char buffer[65536];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
        const std::size_t room = DockerCli::max_output - std::min(into.size(), DockerCli::max_output);
        into.append(buffer, std::min(static_cast<std::size_t>(n), room));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        open = false;
    }
}

}  // namespace

std::optional<std::string> find_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? std::optional(name) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

int wait_status(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

std::string DockerOutput::error_line() const {
    std::string line = err.substr(0, err.find('\n'));
    if (line.empty()) line = out.substr(0, out.find('\n'));
    for (const char* prefix : {"docker: ", "Error response from daemon: ", "Error: "}) {
        if (line.rfind(prefix, 0) == 0) line = line.substr(std::strlen(prefix));
    }
    if (line.size() > 400) line = line.substr(0, 400) + "...";
    return line.empty() ? "exit status " + std::to_string(status) : line;
}

DockerCli::DockerCli(std::string program) : program_(std::move(program)) {
    if (!program_.empty()) return;
    auto found = find_in_path("docker");
    if (!found)
        throw UserError("--image needs the docker client, and there is no `docker` in PATH "
                        "(install docker.io, or Docker's docker-ce-cli)");
    program_ = *found;
}

pid_t DockerCli::spawn(const std::vector<std::string>& args, int out_fd, int err_fd) const {
    const auto argv = argv_of(program_, args);
    const pid_t pid = ::fork();
    if (pid < 0) throw UserError(std::string("cannot start docker: fork: ") + std::strerror(errno));
    if (pid == 0) exec_child(argv, out_fd, err_fd, true);
    ::setpgid(pid, pid);  // also from here: no race with a signal to the group
    return pid;
}

DockerOutput DockerCli::run(const std::vector<std::string>& args, double timeout) const {
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) < 0) throw UserError(std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(err_pipe, O_CLOEXEC) < 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        throw UserError(std::string("pipe: ") + std::strerror(errno));
    }
    const auto argv = argv_of(program_, args);
    const pid_t pid = ::fork();
    if (pid == 0) exec_child(argv, out_pipe[1], err_pipe[1], false);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    DockerOutput output;
    bool out_open = pid > 0, err_open = pid > 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    while (out_open || err_open) {
        pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000))) < 0 && errno != EINTR) break;
        if (fds[0].revents) read_some(out_pipe[0], output.out, out_open);
        if (fds[1].revents) read_some(err_pipe[0], output.err, err_open);
    }
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    if (pid < 0) throw UserError(std::string("cannot start docker: fork: ") + std::strerror(errno));
    output.status = wait_status(pid);
    if (output.status == 127 && output.err.empty()) output.err = "cannot execute " + program_;
    return output;
}

}  // namespace capprof
