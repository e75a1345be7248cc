#pragma once
// One object per subcommand. cli.cpp creates them all, lets each declare its
// options on its CLI11 subcommand, and runs the one the user chose.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "report/report.hpp"
#include "report/report_outputs.hpp"
#include "run/progress.hpp"

namespace capprof {

// Options shared by run, minimize and check (docs/ARCHITECTURE.md "Common options").
struct CommonOptions {
    std::vector<std::string> cap_add;      // --cap-add, as typed (comma lists allowed)
    std::optional<std::string> user;       // --user USER[:GROUP]
    std::optional<std::string> json_path;  // --json FILE ("-" = stdout)
    std::optional<std::string> report_path;// --report FILE (default stderr)
    std::string format = "text";           // --format text|docker|compose|k8s|systemd
    std::optional<std::string> probe;      // --probe CMD
    double ready_timeout = 30.0;           // --ready-timeout SECONDS
    std::optional<double> duration;        // --duration SECONDS
    int expect_exit = 0;                   // --expect-exit N
    int verbose = 0;                       // -v (repeatable)
    bool quiet = false;                    // -q
    bool no_pin = false;                   // --no-pin: keep the workload's CPU mask
    bool isolate = false;                  // --isolate: fail (125) rather than run without isolation
    bool no_isolate = false;               // --no-isolate: runs change the host and see each other's changes
    bool probe_inside = false;             // --probe-inside: the probe runs in the trial's mount namespace
    // Without --isolate/--no-isolate: off for run, preferred for minimize and check.
    Isolation default_isolation = Isolation::off;
    std::optional<std::string> unit;       // --unit UNIT: a systemd service instead of a command
    std::vector<std::string> command;      // after "--"
    // --image: each trial a fresh container of IMAGE (profiler/image/).
    std::optional<std::string> image;
    std::vector<std::string> docker_args;  // --docker-arg ARG (one word each, repeatable)
    std::optional<std::string> entrypoint; // --entrypoint, as docker run's
    bool pull = false;                     // --pull: docker pull IMAGE when it is not here
};

// Declares the common options on `cmd` (implemented in options.cpp).
void add_common_options(CLI::App& cmd, CommonOptions& options);

// Where results go: the --report, --json, --format and -q of `options`.
OutputOptions output_options(const CommonOptions& options);

// Validates the options and turns them into what the Runner needs: parses
// --cap-add (UserError with close matches), resolves --user, refuses
// --cap-add when not root. Throws UserError (exit 125) on bad input.
// With --unit, the service's exec setup (unit/service_plan.hpp) and its
// summary in `unit` for the report.
RunSpec make_run_spec(const CommonOptions& options, std::optional<UnitSummary>* unit = nullptr);

// minimize and check: `spec` (make_run_spec() or an image's), interrupted by
// ^C, the workload's stdout on stderr (stdout holds the answer), progress
// unless -q.
TrialLoopOptions trial_loop_options(const CommonOptions& options, RunSpec spec);

// Writes minimize's or check's answer and returns capprof's exit status:
// exit_usage when an output cannot be written, 128+N when signal N
// interrupted the trials (as a shell reports it), else 0 when `ok`, 1 if not.
int write_answer(ReportOutputs& outputs, const Report& report, bool ok);

// Throws UserError (exit 125) "COMMAND needs root: WHY ..." unless capprof
// runs as root.
void require_root_for(const std::string& command, const std::string& why);

class Command {
public:
    virtual ~Command() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual void setup(CLI::App& subcommand) = 0;
    // Runs after parsing; returns capprof's exit status. May throw UserError.
    virtual int execute(Runner& runner) = 0;
};

std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_minimize_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_decode_command();
std::unique_ptr<Command> make_inspect_command();
std::unique_ptr<Command> make_rules_command();

}  // namespace capprof
