#pragma once
// The `docker` command-line client, run with fork/exec (no shell): the one
// on PATH, so DOCKER_HOST, DOCKER_CONTEXT and `docker context use` apply as
// they do for the user. capprof speaks to dockerd only through it.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace capprof {

struct DockerOutput {
    int status = -1;          // exit status, or 128+N when killed by signal N
    std::string out;          // stdout, at most max_output bytes
    std::string err;          // stderr, at most max_output bytes
    // The first line of stderr without docker's "Error response from
    // daemon: " / "Error: " prefixes, for a one-line message.
    std::string error_line() const;
};

class DockerCli {
public:
    static constexpr std::size_t max_output = std::size_t{16} << 20;

    // `program`: the client to run; empty: `docker` looked up in PATH.
    // Throws UserError when there is none.
    explicit DockerCli(std::string program = {});

    // Runs `docker ARGS...` with stdin from /dev/null and returns its
    // output; kills it after `timeout` seconds (status 128+9).
    DockerOutput run(const std::vector<std::string>& args, double timeout = 120) const;

    // Starts `docker ARGS...` in its own process group (a Ctrl-C meant for
    // capprof does not reach it) with stdout and stderr on the given fds
    // and stdin from /dev/null. Returns its pid; throws UserError when it
    // cannot be started.
    pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) const;

    const std::string& program() const { return program_; }

private:
    std::string program_;
};

// The absolute path of `name` in $PATH (as execvp would find it), if any.
std::optional<std::string> find_in_path(const std::string& name);

// waitpid() for `pid` with the result in the shell's spelling (128+N for a
// signal); -1 if it cannot be waited for.
int wait_status(pid_t pid);

}  // namespace capprof
