#include "image/image_config.hpp"

#include <sys/utsname.h>

#include <nlohmann/json.hpp>

#include "capprof/error.hpp"

namespace capprof {
namespace {

using nlohmann::json;

std::vector<std::string> string_list(const json& config, const char* key) {
    std::vector<std::string> out;
    auto it = config.find(key);
    if (it == config.end() || !it->is_array()) return out;
    for (const auto& item : *it)
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

std::string string_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

ImageConfig parse_image_config(const std::string& text, const std::string& image) {
    json doc = json::parse(text, nullptr, false);
    // `docker image inspect` without --format prints a list of one.
    if (doc.is_array() && doc.size() == 1) doc = doc[0];
    if (!doc.is_object()) throw UserError("docker image inspect " + image + " did not print an image description");
    ImageConfig config;
    config.id = string_field(doc, "Id");
    config.architecture = string_field(doc, "Architecture");
    config.os = string_field(doc, "Os");
    auto it = doc.find("Config");
    if (it != doc.end() && it->is_object()) {
        config.entrypoint = string_list(*it, "Entrypoint");
        config.cmd = string_list(*it, "Cmd");
        config.user = string_field(*it, "User");
        config.working_dir = string_field(*it, "WorkingDir");
    }
    return config;
}

std::vector<std::string> workload_argv(const ImageConfig& config, const std::optional<std::string>& entrypoint,
                                       const std::vector<std::string>& command, const std::string& image) {
    std::vector<std::string> argv;
    if (entrypoint) {
        if (!entrypoint->empty()) argv.push_back(*entrypoint);  // "" resets it, as in docker
    } else {
        argv = config.entrypoint;
    }
    const std::vector<std::string>& args = !command.empty() ? command : entrypoint ? command : config.cmd;
    argv.insert(argv.end(), args.begin(), args.end());
    if (argv.empty() || argv.front().empty())
        throw UserError("image " + image + " has no ENTRYPOINT or CMD: give the command after --, e.g. capprof run "
                        "--image " + image + " -- /bin/server");
    return argv;
}

std::string host_docker_architecture() {
    utsname name{};
    if (::uname(&name) != 0) return "";
    const std::string machine = name.machine;
    if (machine == "x86_64") return "amd64";
    if (machine == "aarch64" || machine == "arm64") return "arm64";
    if (machine == "i386" || machine == "i486" || machine == "i586" || machine == "i686") return "386";
    if (machine.rfind("armv", 0) == 0) return "arm";
    if (machine == "ppc64le") return "ppc64le";
    return machine;  // s390x, riscv64, mips64le: the same in both spellings
}

}  // namespace capprof
