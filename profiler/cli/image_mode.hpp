#pragma once
// run, minimize and check with --image: the options become an
// ImageTrialRunner (profiler/image/) and the RunSpec its trials get.
#include <memory>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "image/image_trials.hpp"

namespace capprof {

// Checks docker, the daemon, the image and the static capprof (UserError,
// exit 125, one line each).
std::unique_ptr<ImageTrialRunner> open_image(const CommonOptions& options);

// The spec of every trial: the image's command, --cap-add (ALL: what
// dockerd can give), the image's USER or --user as the workload's user,
// probe, timeouts.
RunSpec make_image_run_spec(const CommonOptions& options, const ImageTrialRunner& image);

// `--docker-arg X` as `--docker-arg=X`, before "--": CLI11 would take an X
// that starts with '-' (--network=host) for an option of capprof's.
std::vector<std::string> join_docker_args(int argc, char** argv);

// The capprof inside a trial container (capprof run --in-trial): not
// dumpable, so the workload cannot read its memory, environment or file
// descriptors through /proc (the workload holds fewer capabilities);
// takes the trial's token out of the environment the workload inherits.
std::string enter_trial();

}  // namespace capprof
