// `capprof check --allow CAPS [--allow-file F] [opts] -- COMMAND`: CI gate.
#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "run/check.hpp"
#include "cli/command.hpp"
#include "report/report_outputs.hpp"

namespace capprof {
namespace {

class CheckCommand : public Command {
public:
    std::string name() const override { return "check"; }
    std::string description() const override {
        return "CI gate: exit 1 when the workload needs more than the allowed capabilities";
    }
    void setup(CLI::App& cmd) override {
        cmd.add_option("--allow", allow_,
                       "Capabilities the workload may hold (CAP[,CAP]; \"none\" for none)")
            ->delimiter(',')
            ->type_name("CAP[,CAP]")
            ->allow_extra_args(false);  // else it swallows the workload after --
        cmd.add_option("--allow-file", allow_file_,
                       "JSON report of `capprof minimize --json`: allow its cap_add and "
                       "tolerate its optional list")
            ->type_name("FILE");
        cmd.add_flag("--skip-unused", skip_unused_,
                     "Do not re-run without each allowed capability to find unused ones");
        add_common_options(cmd, options_);
        options_.default_isolation = Isolation::preferred;  // every run starts fresh
    }

    int execute(Runner& runner) override {
        if (allow_.empty() && !allow_file_)
            throw UserError("check needs --allow CAPS or --allow-file FILE "
                            "(use --allow none for no capability)");
        CheckOptions check_options;
        std::optional<UnitSummary> unit;
        check_options.spec = make_run_spec(options_, &unit);
        check_options.spec.granted |= allowed_from_command_line();
        check_options.spec.stop_on_interrupt = true;
        if (allow_file_) {
            AllowFile file = read_allow_file(*allow_file_);
            check_options.spec.granted |= file.cap_add;
            check_options.tolerated = file.optional;
        }
        check_options.expect_exit = options_.expect_exit;
        check_options.find_unused = !skip_unused_;
        check_options.spec.stdout_to_stderr = true;  // stdout holds the answer
        check_options.pass_all_output = options_.verbose > 0;
        if (!options_.quiet) check_options.progress = print_progress;
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_output);
        CheckResult result = run_check(runner, check_options);
        result.report.unit = std::move(unit);
        if (!outputs.write(result.report)) return exit_usage;
        if (result.report.interrupted) return 128 + *result.report.interrupted;  // as a shell reports it
        return result.pass ? 0 : 1;
    }

private:
    CapSet allowed_from_command_line() const {
        std::vector<std::string> items;
        for (const auto& item : allow_)
            if (!item.empty() && item != "none" && item != "NONE") items.push_back(item);
        return items.empty() ? 0 : parse_cap_list(items);
    }

    CommonOptions options_;
    std::vector<std::string> allow_;
    std::optional<std::string> allow_file_;
    bool skip_unused_ = false;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace capprof
