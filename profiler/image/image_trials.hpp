#pragma once
// --image: each trial is one fresh container of the image, so the answer is
// what `docker run --cap-drop ALL --cap-add ... IMAGE` needs: the image's
// files and owners, Docker's seccomp profile, the container's namespace
// sysctls, its user (docs/CONTAINERS.md).
//
// A trial: `docker run --user 0 --cap-drop ALL --cap-add SYS_PTRACE
// --cap-add SETUID --cap-add SETGID --cap-add SETPCAP --cap-add KILL
// --cap-add <trial set>`
// with the static capprof bind-mounted read-only as the entrypoint and a
// fresh directory for its JSON. That capprof runs the workload as capprof
// run does on a host: every capability dropped but the trial set, as the
// image's USER (or --user). It holds SYS_PTRACE because without it the
// kernel ignores set-user-ID bits and file capabilities of a traced execve;
// SETUID/SETGID switch to the user, SETPCAP drops the bounding set, KILL
// stops a workload that runs as another user. It
// classifies inside the container, where the files and users are, and the
// trial's outcome comes from its JSON (inner_report.hpp), never from
// docker's exit status (125-127 are also capprof's own).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capprof/caps.hpp"
#include "capprof/trial_runner.hpp"
#include "image/docker_cli.hpp"
#include "image/image_config.hpp"
#include "image/inner_report.hpp"
#include "image/trial_container.hpp"
#include "image/leftovers.hpp"
#include "report/report.hpp"

namespace capprof {

struct ImageOptions {
    std::string image;
    std::vector<std::string> docker_args;    // --docker-arg, one word each
    std::optional<std::string> entrypoint;   // --entrypoint
    std::vector<std::string> command;        // after --: replaces CMD
    std::optional<std::string> user;         // --user (else the image's USER)
    bool pull = false;                       // --pull: docker pull when not here
};

// Throws UserError for a --docker-arg capprof owns (--cap-add, --cap-drop,
// --privileged, --rm, --name, --entrypoint, --user, --detach, ...).
void check_docker_args(const std::vector<std::string>& args);

// The capabilities every trial container holds for its capprof.
CapSet trial_container_capabilities();

class ImageTrialRunner : public TrialRunner {
public:
    // Checks docker, the daemon, the image (pulls it only with --pull), its
    // architecture and the static capprof; sweeps leftovers of killed
    // capprofs. Throws UserError in one line for each.
    explicit ImageTrialRunner(ImageOptions options);
    ~ImageTrialRunner() override;
    ImageTrialRunner(const ImageTrialRunner&) = delete;
    ImageTrialRunner& operator=(const ImageTrialRunner&) = delete;

    TrialResult run_trial(const RunSpec& spec) override;

    // What the workload is: ENTRYPOINT and CMD as docker would run them.
    const std::vector<std::string>& argv() const { return argv_; }
    // --user, else the image's USER; nullopt for neither.
    std::optional<std::string> user() const;
    // What a trial container can hold here: names dockerd knows, within
    // what it can give (its host's bounding set); why not, for the others.
    CapSet grantable() const { return grantable_; }
    const std::map<int, std::string>& cannot_grant() const { return cannot_grant_; }
    // Image, command, entrypoint and docker args into a report.
    void describe(Report& report) const;

private:
    void probe_grantable();
    TrialResult trial_result(const RunSpec& spec, const ContainerRun& run, std::optional<InnerReport> report) const;
    std::vector<std::string> trial_args(const RunSpec& spec, const std::string& name, const std::string& out,
                                        const std::string& token) const;

    ImageOptions options_;
    DockerCli docker_;
    Owner owner_;
    ImageConfig config_;
    std::vector<std::string> argv_;
    std::string static_capprof_;
    std::string work_dir_;
    CapSet grantable_ = 0;
    std::map<int, std::string> cannot_grant_;
    int trials_ = 0;
};

}  // namespace capprof
