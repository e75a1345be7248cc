#pragma once
// Where run, minimize and check write their results. `run` is transparent:
// its human report goes to stderr (or --report FILE). minimize and check are
// tools: their answer (text or --format) goes to stdout, or --report FILE,
// or stderr when `--json -` owns stdout. The JSON goes to --json FILE.
// Each output is written on its own: one that fails (stderr on a full disk
// or a closed pipe) does not keep the others from being written.
#include <optional>
#include <string>

#include "common/output_file.hpp"
#include "report/report.hpp"

namespace capprof {

enum class AnswerTo { standard_error, standard_output };

// The options that say where results go (--report, --json, --format, -q).
struct OutputOptions {
    std::optional<std::string> json_path;    // --json FILE ("-" = stdout)
    std::optional<std::string> report_path;  // --report FILE
    std::string format = "text";             // --format text|docker|compose|k8s|systemd
    bool quiet = false;                      // -q
};

class ReportOutputs {
public:
    // Opens --report and --json files at once, before any run, so that a bad
    // path fails before minutes of tracing (UserError, exit 125).
    ReportOutputs(const OutputOptions& options, AnswerTo answer_to);

    // Writes the human report (unless `human` is false) and the JSON. A
    // failure of the human report is said on whichever output still works
    // (the JSON's "notes", stderr) and is not an error; returns false when
    // the JSON could not be written (said on stderr).
    bool write(const Report& report, bool human = true);

private:
    std::string human_text(const Report& report) const;
    void say_on_stderr(const std::string& message) const;

    OutputOptions options_;
    OutputFile human_;
    std::optional<OutputFile> json_;
};

// A progress line of minimize/check on stderr; a broken stderr loses it
// silently (it is not the answer).
void print_progress(const std::string& line);

}  // namespace capprof
