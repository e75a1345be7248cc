// `capprof rules`: the rule table as classify() uses it, one row per rule, in
// the order rules are tried (the first match wins).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <iostream>
#include <sstream>

#include "capprof/error.hpp"
#include "common/close_matches.hpp"
#include "cli/command.hpp"
#include "classify/rules.hpp"

namespace capprof {

namespace {

// A row's errno: 0 stands for either denial errno; a silent row has none.
std::string errno_text(const Rule& rule) {
    if (rule.silent) return "none";
    return rule.err == 0 ? "EPERM/EACCES" : errno_name(rule.err);
}

std::string capability_text(const Rule& rule) {
    if (rule.verdict == Verdict::not_capability) return "none";
    if (rule.capability == "{dac_cap}") return "DAC_READ_SEARCH or DAC_OVERRIDE (by access)";
    if (rule.capability == "{file_cap}") return "the file's missing capabilities";
    if (rule.capability == "{arg_cap}") return "the capability being raised";
    if (rule.capability == "{capset_cap}") return "the capabilities asked for";
    return std::string(rule.capability);
}

std::string alternatives_text(const Rule& rule) {
    std::string out;
    for (auto alt : rule.alternatives) {
        std::string a = alt == "{dac_alt}" ? "DAC_OVERRIDE (reads)" : std::string(alt);
        out += (out.empty() ? "" : ", ") + a;
    }
    return out.empty() ? "-" : out;
}

// Splits `text` into lines of at most `width` characters at spaces.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string line;
    for (std::string word; words >> word;) {
        while (word.size() > width) {  // a word longer than the column is cut
            if (!line.empty()) lines.push_back(line);
            line.clear();
            lines.push_back(word.substr(0, width));
            word.erase(0, width);
        }
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

class RulesCommand : public Command {
public:
    std::string name() const override { return "rules"; }
    std::string description() const override {
        return "Print the rule table: which capability fixes which failing syscall";
    }
    void setup(CLI::App& cmd) override {
        cmd.add_option("--syscall", syscall_, "Only the rules that can match this syscall");
        cmd.add_flag("--json", json_, "Print the table as JSON");
    }
    int execute(Runner& runner) override {
        if (!syscall_.empty()) check_syscall_name(runner.syscall_names());
        std::vector<const Rule*> selected;
        for (const Rule& rule : rules())
            if (syscall_.empty() || rule_covers(rule, syscall_, rule.silent ? 0 : rule.err ? rule.err : EPERM) ||
                rule_covers(rule, syscall_, EACCES))
                selected.push_back(&rule);
        if (json_) print_json(selected);
        else print_text(selected);
        return 0;
    }

private:
    // A name the tracer does not know would match only the rules for any
    // syscall: say so instead of printing those.
    void check_syscall_name(const std::vector<std::string>& known) const {
        if (known.empty() || std::find(known.begin(), known.end(), syscall_) != known.end()) return;
        std::string message = "rules --syscall: unknown syscall \"" + syscall_ + "\"";
        std::string lower = syscall_;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string hint = did_you_mean(close_matches(lower, known));
        throw UserError(message + (hint.empty() ? " (see syscalls(2) for the names)" : ": " + hint));
    }

    void print_json(const std::vector<const Rule*>& selected) const {
        nlohmann::json out = nlohmann::json::array();
        for (const Rule* r : selected) {
            nlohmann::json alternatives = nlohmann::json::array();
            for (auto alt : r->alternatives) alternatives.push_back(std::string(alt));
            out.push_back({{"id", r->id},
                           {"syscalls", r->syscalls},
                           {"errno", errno_text(*r)},
                           {"condition", r->condition},
                           {"verdict", verdict_name(r->verdict)},
                           {"capability", std::string(r->capability)},
                           {"alternatives", alternatives},
                           {"explanation", r->explanation},
                           {"fix", r->fix}});
        }
        std::cout << out.dump(2) << "\n";
    }

    void print_text(const std::vector<const Rule*>& selected) const {
        struct Column {
            const char* title;
            std::size_t width;
        };
        const Column columns[] = {{"SYSCALL", 26}, {"ERRNO", 12}, {"CONDITION", 30}, {"CAPABILITY", 20},
                                  {"ALTERNATIVES", 14}, {"EXPLANATION", 60}};
        auto print_row = [&](const std::vector<std::string>& cells) {
            std::vector<std::vector<std::string>> wrapped;
            std::size_t height = 1;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                wrapped.push_back(wrap(cells[i], columns[i].width));
                height = std::max(height, wrapped.back().size());
            }
            for (std::size_t line = 0; line < height; ++line) {
                std::string text;
                for (std::size_t i = 0; i < cells.size(); ++i) {
                    std::string cell = line < wrapped[i].size() ? wrapped[i][line] : "";
                    if (i + 1 < cells.size()) cell.resize(std::max(cell.size(), columns[i].width), ' ');
                    text += cell + (i + 1 < cells.size() ? "  " : "");
                }
                while (!text.empty() && text.back() == ' ') text.pop_back();
                std::cout << text << "\n";
            }
        };
        std::vector<std::string> header;
        for (const auto& c : columns) header.push_back(c.title);
        print_row(header);
        for (const Rule* r : selected)
            print_row({std::string(r->syscalls), errno_text(*r), std::string(r->condition),
                       capability_text(*r), alternatives_text(*r), std::string(r->explanation)});
        if (syscall_.empty()) {
            std::cout << "\nNever the cause of a failing call (the kernel silently does less instead):\n";
            for (const auto& s : silent_capabilities())
                std::cout << "  " << s.capability << std::string(16 - std::min<std::size_t>(15, s.capability.size()), ' ')
                          << s.behaviour << "\n";
        }
    }

    std::string syscall_;
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_rules_command() { return std::make_unique<RulesCommand>(); }

}  // namespace capprof
