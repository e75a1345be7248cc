// `capprof check --allow CAPS [--allow-file F] [opts] -- COMMAND`: CI gate.
#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "run/check.hpp"
#include "cli/command.hpp"
#include "cli/image_mode.hpp"
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
        cmd.add_flag("--strict", strict_,
                     "Fail on denials the workload carried on past too (by default they only warn)");
        add_common_options(cmd, options_);
        options_.default_isolation = Isolation::preferred;  // every run starts fresh
    }

    int execute(Runner& runner) override {
        if (allow_.empty() && !allow_file_)
            throw UserError("check needs --allow CAPS or --allow-file FILE "
                            "(use --allow none for no capability)");
        if (options_.image) {
            auto image = open_image(options_);
            CheckOptions check_options = common_options(make_image_run_spec(options_, *image));
            ReportOutputs outputs(output_options(options_), AnswerTo::standard_output);
            CheckResult result = run_check(*image, check_options);
            image->describe(result.report);
            return write_answer(outputs, result.report, result.pass);
        }
        std::optional<UnitSummary> unit;
        CheckOptions check_options = common_options(make_run_spec(options_, &unit));
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_output);
        CheckResult result = run_check(runner, check_options);
        result.report.unit = std::move(unit);
        return write_answer(outputs, result.report, result.pass);
    }

private:
    CheckOptions common_options(RunSpec spec) const {
        CheckOptions check_options;
        static_cast<TrialLoopOptions&>(check_options) = trial_loop_options(options_, std::move(spec));
        check_options.spec.granted |= allowed_from_command_line();
        if (allow_file_) {
            AllowFile file = read_allow_file(*allow_file_);
            check_options.spec.granted |= file.cap_add;
            check_options.tolerated = file.optional;
        }
        check_options.find_unused = !skip_unused_;
        check_options.strict = strict_;
        return check_options;
    }

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
    bool strict_ = false;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace capprof
