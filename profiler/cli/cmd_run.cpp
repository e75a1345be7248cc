// capprof run: one traced run, the report at the end, the workload's exit status.
#include "capprof/error.hpp"
#include "cli/command.hpp"
#include "cli/image_mode.hpp"
#include "report/report_outputs.hpp"
#include "run/session.hpp"

namespace capprof {

namespace {

class RunCommand : public Command {
public:
    std::string name() const override { return "run"; }
    std::string description() const override {
        return "Run COMMAND once as under docker run --cap-drop ALL, report each denied call";
    }

    void setup(CLI::App& subcommand) override {
        add_common_options(subcommand, options_);
        // The capprof inside an --image trial container (image_mode.hpp).
        subcommand.add_flag("--in-trial", in_trial_, "")->group("");
        subcommand.footer("Usage: capprof run [OPTIONS] -- COMMAND [ARG...]\n"
                          "   or: capprof run [OPTIONS] --image IMAGE [--docker-arg ARG]... [-- COMMAND [ARG...]]\n"
                          "   or: capprof run [OPTIONS] --unit UNIT\n"
                          "Exit status: the workload's (128+N if killed by signal N); "
                          "125 usage, 126 not executable, 127 not found.");
    }

    int execute(Runner& runner) override {
        if (options_.image) return execute_image();
        std::optional<UnitSummary> unit;
        RunSpec spec = make_run_spec(options_, &unit);
        std::string token;
        if (in_trial_) {
            token = enter_trial();
            spec.record_identities = true;
        }
        // Open every output first: a bad path fails before the workload runs.
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_error);
        RunOutcome outcome = run_once(runner, spec, options_.expect_exit);
        std::vector<ProcessIdentity> identities = outcome.result.identities;
        Report report = make_report(unit ? spec.argv : options_.command, spec, std::move(outcome));
        report.unit = std::move(unit);
        if (in_trial_) {
            report.identities = std::move(identities);
            report.trial_token = token;
        }
        return finish(outputs, report);
    }

private:
    int execute_image() {
        if (in_trial_) throw UserError("--in-trial and --image do not go together");
        auto image = open_image(options_);
        RunSpec spec = make_image_run_spec(options_, *image);
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_error);
        RunOutcome outcome = run_once(*image, spec, options_.expect_exit);
        Report report = make_report(spec.argv, spec, std::move(outcome));
        image->describe(report);
        return finish(outputs, report);
    }

    // A command that could not be executed for a reason no capability
    // changes has already said so in one line (as a shell would); an
    // execve refused with EPERM (file capabilities) is a finding to report.
    // A report that cannot be written leaves the workload's status alone;
    // a JSON report that cannot be written is capprof's own error.
    int finish(ReportOutputs& outputs, const Report& report) {
        const bool started = report.started;
        if (!outputs.write(report, started || !report.findings.empty())) return exit_usage;
        if (!started && report.exit.shell_code() == 0) return exit_not_executable;
        return report.exit.shell_code();
    }

    bool in_trial_ = false;
    CommonOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace capprof
