// `capprof minimize [opts] -- COMMAND`: the smallest verified --cap-add list.
#include <sys/prctl.h>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "cli/command.hpp"
#include "cli/image_mode.hpp"
#include "run/minimize.hpp"
#include "report/report_outputs.hpp"

namespace capprof {

namespace {

// What capprof can pass on to the workload: its own bounding set (prctl(2)
// PR_CAPBSET_READ); a capability outside it cannot be granted by any run.
CapSet own_bounding_set() {
    CapSet set = 0;
    for (int cap = 0; cap <= cap_last_cap(); ++cap)
        if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) set |= cap_bit(cap);
    return set;
}

class MinimizeCommand : public Command {
public:
    std::string name() const override { return "minimize"; }
    std::string description() const override {
        return "Re-run until the workload works, then verify that every capability is needed";
    }
    void setup(CLI::App& cmd) override {
        cmd.add_option("--allow-host-cap", host_caps_,
                       "Let exploration try CAP although it acts on the whole host even in an isolated trial "
                       "(SYS_BOOT, SYS_MODULE, SYS_TIME, SYS_RAWIO; comma lists allowed; repeatable)")
            ->type_name("CAP[,CAP]")
            ->allow_extra_args(false);
        add_common_options(cmd, options_);
        options_.default_isolation = Isolation::preferred;  // every trial starts fresh
    }

    int execute(Runner& runner) override {
        if (options_.image) return execute_image();
        require_root_for("minimize", "it grants capabilities to find the ones the workload needs");
        std::optional<UnitSummary> unit;
        MinimizeOptions minimize_options = common_options(make_run_spec(options_, &unit));
        minimize_options.grantable = own_bounding_set();
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_output);
        MinimizeResult result = minimize(runner, minimize_options);
        result.report.unit = std::move(unit);
        return write_answer(outputs, result.report, result.found);
    }

private:
    // Each trial a fresh container: dockerd grants, so capprof needs no root.
    int execute_image() {
        auto image = open_image(options_);
        MinimizeOptions minimize_options = common_options(make_image_run_spec(options_, *image));
        minimize_options.grantable = image->grantable();
        minimize_options.cannot_grant = image->cannot_grant();
        ReportOutputs outputs(output_options(options_), AnswerTo::standard_output);
        MinimizeResult result = minimize(*image, minimize_options);
        image->describe(result.report);
        return write_answer(outputs, result.report, result.found);
    }

    MinimizeOptions common_options(RunSpec spec) const {
        MinimizeOptions minimize_options;
        static_cast<TrialLoopOptions&>(minimize_options) = trial_loop_options(options_, std::move(spec));
        // A server whose process a denial stopped will not serve: its trial
        // ends once the probe has kept failing a little while after that.
        minimize_options.spec.give_up_after_denial = true;
        minimize_options.allowed_host_caps = allowed_host_caps();
        return minimize_options;
    }

    CapSet allowed_host_caps() const {
        if (host_caps_.empty()) return 0;
        const CapSet caps = parse_cap_list(host_caps_);
        if (const CapSet other = caps & ~host_wide_capabilities())
            throw UserError("--allow-host-cap " + cap_names_text(other, ",") + ": not a host-wide capability (" +
                            cap_names_text(host_wide_capabilities(), ", ") + "); minimize tries the others anyway");
        return caps;
    }

    CommonOptions options_;
    std::vector<std::string> host_caps_;
};

}  // namespace

std::unique_ptr<Command> make_minimize_command() { return std::make_unique<MinimizeCommand>(); }

}  // namespace capprof
