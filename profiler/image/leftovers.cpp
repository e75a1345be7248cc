#include "image/leftovers.hpp"

#include <dirent.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "image/docker_cli.hpp"

namespace capprof {
namespace {

std::string boot_id() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

// Field 22 of /proc/PID/stat (starttime), after the comm in parentheses,
// which may itself hold spaces and parentheses (proc(5)).
std::optional<unsigned long long> start_time(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return std::nullopt;
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) return std::stoull(field);
    return std::nullopt;
}

}  // namespace

Owner current_owner() {
    Owner owner{boot_id(), static_cast<long>(::getpid()), 0};
    owner.start_time = start_time(owner.pid).value_or(0);
    return owner;
}

std::string owner_label(const Owner& owner) {
    return owner.boot_id + "/" + std::to_string(owner.pid) + "/" + std::to_string(owner.start_time);
}

std::optional<Owner> parse_owner_label(const std::string& label) {
    const auto first = label.find('/');
    const auto second = label.find('/', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos || first == 0) return std::nullopt;
    const std::string pid = label.substr(first + 1, second - first - 1);
    const std::string start = label.substr(second + 1);
    auto digits = [](const std::string& s) {
        return !s.empty() && s.size() < 20 && s.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!digits(pid) || !digits(start)) return std::nullopt;
    return Owner{label.substr(0, first), std::stol(pid), std::stoull(start)};
}

std::string owner_dir_prefix(const Owner& owner) {
    return "capprof-image-" + std::to_string(owner.pid) + "-" + std::to_string(owner.start_time) + "-";
}

bool owner_alive(const Owner& owner) {
    if (owner.boot_id != boot_id()) return true;  // another machine's (or before a reboot: then gone)
    const auto start = start_time(owner.pid);
    return start && *start == owner.start_time;
}

namespace {

void sweep_directories(const std::string& tmp) {
    DIR* dir = ::opendir(tmp.c_str());
    if (!dir) return;
    const std::string here = boot_id();
    while (dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.rfind("capprof-image-", 0) != 0) continue;
        std::istringstream parts(name.substr(14));
        long pid = 0;
        unsigned long long start = 0;
        char dash1 = 0, dash2 = 0;
        if (!(parts >> pid >> dash1 >> start >> dash2) || dash1 != '-' || dash2 != '-') continue;
        if (owner_alive(Owner{here, pid, start})) continue;
        std::error_code ignored;
        std::filesystem::remove_all(tmp + "/" + name, ignored);
        spdlog::debug("removed {}/{}, left by a capprof that is gone", tmp, name);
    }
    ::closedir(dir);
}

}  // namespace

int sweep_leftovers(const DockerCli& docker, const std::string& tmp) {
    sweep_directories(tmp);
    const DockerOutput list = docker.run({"ps", "-a", "--no-trunc", "--filter", std::string("label=") + owner_label_key,
                                          "--format", std::string("{{.ID}} {{.Label \"") + owner_label_key + "\"}}"});
    if (list.status != 0) return 0;
    int removed = 0;
    std::istringstream lines(list.out);
    for (std::string line; std::getline(lines, line);) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        auto owner = parse_owner_label(line.substr(space + 1));
        if (!owner || owner_alive(*owner)) continue;
        // -v: the anonymous volumes of the image's VOLUMEs go with it.
        if (docker.run({"rm", "-f", "-v", line.substr(0, space)}).status == 0) ++removed;
    }
    if (removed) spdlog::info("removed {} trial container(s) left by a capprof that was killed", removed);
    return removed;
}

}  // namespace capprof
