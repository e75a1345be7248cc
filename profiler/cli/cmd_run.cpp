// capprof run: one traced run, the report at the end, the workload's exit status.
#include "capprof/error.hpp"
#include "cli/command.hpp"
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
        subcommand.footer("Usage: capprof run [OPTIONS] -- COMMAND [ARG...]\n"
                          "   or: capprof run [OPTIONS] --unit UNIT\n"
                          "Exit status: the workload's (128+N if killed by signal N); "
                          "125 usage, 126 not executable, 127 not found.");
    }

    int execute(Runner& runner) override {
        std::optional<UnitSummary> unit;
        RunSpec spec = make_run_spec(options_, &unit);
        // Open every output first: a bad path fails before the workload runs.
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_error);

        RunOutcome outcome = run_once(runner, spec, options_.expect_exit);
        const bool started = outcome.result.started;
        Report report = make_report(unit ? spec.argv : options_.command, spec, std::move(outcome));
        report.unit = std::move(unit);

        // A command that could not be executed for a reason no capability
        // changes has already said so in one line (as a shell would); an
        // execve refused with EPERM (file capabilities) is a finding to report.
        // A report that cannot be written leaves the workload's status alone;
        // a JSON report that cannot be written is capprof's own error.
        if (!outputs.write(report, started || !report.findings.empty())) return exit_usage;
        if (!started && report.exit.shell_code() == 0) return exit_not_executable;
        return report.exit.shell_code();
    }

private:
    CommonOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace capprof
