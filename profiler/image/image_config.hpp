#pragma once
// What `docker image inspect` says about an image that decides how a trial
// runs: its ENTRYPOINT and CMD, USER, WORKDIR and architecture.
#include <optional>
#include <string>
#include <vector>

namespace capprof {

struct ImageConfig {
    std::string id;
    std::vector<std::string> entrypoint;   // Config.Entrypoint (null: none)
    std::vector<std::string> cmd;          // Config.Cmd
    std::string user;                      // Config.User ("" = root)
    std::string working_dir;               // Config.WorkingDir
    std::string architecture;              // "amd64", "arm64", ...
    std::string os;                        // "linux"
};

// Parses `docker image inspect --format '{{json .}}' IMAGE`. Throws
// UserError naming `image` when the text is not such a document.
ImageConfig parse_image_config(const std::string& text, const std::string& image);

// The argv `docker run [--entrypoint E] IMAGE [COMMAND...]` starts: the
// entrypoint (capprof's --entrypoint replaces the image's, and then the
// image's CMD is dropped too, as docker does), followed by COMMAND or else
// the image's CMD. Throws UserError when that is empty.
std::vector<std::string> workload_argv(const ImageConfig& config, const std::optional<std::string>& entrypoint,
                                       const std::vector<std::string>& command, const std::string& image);

// This machine's architecture in Docker's spelling (uname -m x86_64 ->
// amd64, aarch64 -> arm64, ...), which the static capprof is built for.
std::string host_docker_architecture();

}  // namespace capprof
