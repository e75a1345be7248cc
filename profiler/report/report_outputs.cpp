#include "report/report_outputs.hpp"

#include <unistd.h>

#include <sstream>

#include "capprof/error.hpp"
#include "report/formats.hpp"
#include "report/report_render.hpp"
#include "report/unit_dropin.hpp"

namespace capprof {

namespace {

OutputFile human_output(const OutputOptions& options, AnswerTo answer_to) {
    if (options.report_path) return OutputFile::open(*options.report_path, "the report");
    const bool json_on_stdout = options.json_path && *options.json_path == "-";
    if (answer_to == AnswerTo::standard_output && !json_on_stdout) return OutputFile::standard_output();
    return OutputFile::standard_error();
}

}  // namespace

ReportOutputs::ReportOutputs(const OutputOptions& options, AnswerTo answer_to)
    : options_(options), human_(human_output(options, answer_to)) {
    if (options.json_path) json_ = OutputFile::open(*options.json_path, "the JSON report");
}

std::string ReportOutputs::human_text(const Report& report) const {
    // A service's answer is its drop-in (unit_dropin.hpp).
    if (options_.format == "systemd" && report.unit) return render_unit_dropin(report);
    if (options_.format != "text") return render_format(report, options_.format);
    std::ostringstream text;
    if (human_.is_standard_error()) text << '\n';  // apart from the workload's output
    render_text(report, text, human_.wants_color());
    if (report.unit) text << "\ninstall the drop-in (systemctl edit, then a restart):\n" << unit_install_commands(report);
    return text.str();
}

bool ReportOutputs::write(const Report& report, bool human) {
    // -q keeps stderr for errors: a report that would go there is left out,
    // one on stdout or in a file is what was asked for.
    if (options_.quiet && human_.is_standard_error() && options_.format == "text") human = false;
    std::optional<std::string> human_failure;
    if (human) {
        try {
            human_.write(human_text(report));
        } catch (const UserError& error) {
            human_failure = std::string("the report was not written: ") + error.what();
            if (!human_.is_standard_error()) say_on_stderr(*human_failure);
        }
    }
    if (!json_) return true;
    try {
        if (!human_failure) {
            json_->write(render_json(report));
        } else {
            Report with_note = report;
            with_note.notes.push_back(*human_failure);
            json_->write(render_json(with_note));
        }
    } catch (const UserError& error) {
        say_on_stderr(std::string("the JSON report was not written: ") + error.what());
        return false;
    }
    return true;
}

void ReportOutputs::say_on_stderr(const std::string& message) const {
    write_all(STDERR_FILENO, "capprof: " + message + "\n");
}

void print_progress(const std::string& line) { write_all(STDERR_FILENO, line + "\n"); }

}  // namespace capprof
