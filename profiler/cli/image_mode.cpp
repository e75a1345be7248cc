#include "cli/image_mode.hpp"

#include <sys/prctl.h>

#include <cctype>
#include <cstdlib>
#include <string_view>

#include "capprof/error.hpp"
#include "common/cap_names.hpp"

namespace capprof {
namespace {

bool names_all(const std::vector<std::string>& items) {
    for (const std::string& item : items) {
        std::string upper;
        for (char c : item) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        upper = "," + upper + ",";
        if (upper.find(",ALL,") != std::string::npos || upper.find(",CAP_ALL,") != std::string::npos) return true;
    }
    return false;
}

}  // namespace

std::unique_ptr<ImageTrialRunner> open_image(const CommonOptions& options) {
    if (options.unit) throw UserError("--unit and --image do not go together: a unit's commands run on this host");
    if (options.no_isolate)
        throw UserError("--no-isolate with --image: every run is a fresh container of the image, there is nothing to "
                        "share between runs");
    check_docker_args(options.docker_args);  // before anything asks docker
    ImageOptions image;
    image.image = *options.image;
    image.docker_args = options.docker_args;
    image.entrypoint = options.entrypoint;
    image.command = options.command;
    image.user = options.user;
    image.pull = options.pull;
    return std::make_unique<ImageTrialRunner>(std::move(image));
}

RunSpec make_image_run_spec(const CommonOptions& options, const ImageTrialRunner& image) {
    RunSpec spec;
    spec.argv = image.argv();
    spec.granted = parse_cap_list(options.cap_add);
    if (names_all(options.cap_add)) spec.granted &= image.grantable();  // like docker's ALL: what it can give
    if (auto user = image.user()) {
        UserSpec who;
        who.text = *user;  // resolved inside, against the image's /etc/passwd
        spec.user = who;
    }
    spec.probe = options.probe;
    spec.ready_timeout = options.ready_timeout;
    spec.duration = options.duration;
    spec.pin_cpu = !options.no_pin;
    spec.isolation = Isolation::off;  // each trial is a fresh container anyway
    spec.probe_inside = options.probe_inside;
    return spec;
}

std::vector<std::string> join_docker_args(int argc, char** argv) {
    std::vector<std::string> out;
    bool after_dashes = false;
    for (int i = 0; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--") after_dashes = true;
        if (!after_dashes && word == "--docker-arg" && i + 1 < argc && std::string_view(argv[i + 1]) != "--") {
            out.push_back("--docker-arg=" + std::string(argv[++i]));
            continue;
        }
        out.emplace_back(word);
    }
    return out;
}

std::string enter_trial() {
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const char* token = std::getenv("CAPPROF_TRIAL");
    std::string value = token ? token : "";
    ::unsetenv("CAPPROF_TRIAL");
    return value;
}

}  // namespace capprof
