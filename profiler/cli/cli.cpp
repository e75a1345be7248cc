#include "cli/cli.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "capprof/error.hpp"
#include "cli/command.hpp"
#include "cli/image_mode.hpp"
#include "cli/logging.hpp"
#include "common/output_file.hpp"

#ifndef CAPPROF_VERSION
#define CAPPROF_VERSION "0.1.0"  // keep in step with project(VERSION) in CMakeLists.txt
#endif

namespace capprof {

namespace {

void print_error(const std::string& message) {
    // One line, whatever the message held.
    std::string line = message;
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    write_all(STDERR_FILENO, "capprof: " + line + "\n");
}

// CLI11 messages start with a capital ("The following argument..."); ours don't.
std::string lower_first(std::string text) {
    if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
        std::islower(static_cast<unsigned char>(text[1]))) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

std::string command_list(const std::vector<std::unique_ptr<Command>>& commands) {
    std::string names;
    for (const auto& command : commands) names += (names.empty() ? "" : ", ") + command->name();
    return names;
}

// CLI11 says "The following arguments were not expected: -- --bogus" (the
// "--" included); users typed an unknown option, or a command without "--".
std::string extras_message(const std::string& message) {
    auto colon = message.find(": ");
    if (colon == std::string::npos) return message;
    std::istringstream words(message.substr(colon + 2));
    std::vector<std::string> options, others;
    for (std::string word; words >> word;) {
        if (word == "--") continue;
        (word.size() > 1 && word[0] == '-' ? options : others).push_back(word);
    }
    auto join = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
        return out;
    };
    if (!options.empty()) return "unknown option " + join(options);
    if (!others.empty()) return "unexpected argument " + join(others) + " (the command goes after --)";
    return message;
}

// The first word before "--" that looks like an option `sub` does not know.
// CLI11 names the wrong word when an unknown option is followed by a value
// and "--" ("--cap-ad CHOWN -- true": "true was not expected").
std::optional<std::string> unknown_option(const CLI::App& sub, int argc, char** argv) {
    int at = 1;
    while (at < argc && sub.get_name() != argv[at]) ++at;
    for (++at; at < argc && std::string_view(argv[at]) != "--"; ++at) {
        const std::string word = argv[at];
        if (word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9')) continue;
        const std::string name = word.substr(0, word.find('='));
        std::vector<std::string> names{name};
        if (name[1] != '-') {  // -vq: two short flags
            names.clear();
            for (char c : name.substr(1)) names.push_back(std::string("-") + c);
        }
        const CLI::Option* option = nullptr;
        for (const auto& one : names) {
            option = sub.get_option_no_throw(one);
            if (!option) return word;
        }
        if (option->get_expected_max() > 0 && word.find('=') == std::string::npos) ++at;  // its value
    }
    return std::nullopt;
}

// A CLI11 parse error as one line and exit 125 (CLI11's own handler would print
// the whole usage text).
int usage_error(const CLI::ParseError& error, const CLI::App& app, int argc, char** argv,
                const std::vector<std::unique_ptr<Command>>& commands) {
    std::string hint = "try capprof --help";
    for (const CLI::App* sub : app.get_subcommands()) hint = "try capprof " + sub->get_name() + " --help";
    std::string message = lower_first(error.what());
    if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
        message = extras_message(message);
        for (const CLI::App* sub : app.get_subcommands())
            if (auto option = unknown_option(*sub, argc, argv)) message = "unknown option " + *option;
    }
    if (app.get_subcommands().empty() && dynamic_cast<const CLI::RequiredError*>(&error)) {
        if (argc < 2) {
            message = "no command given (one of " + command_list(commands) + ")";
        } else if (argv[1][0] != '-') {
            message = "unknown command \"" + std::string(argv[1]) + "\" (one of " +
                      command_list(commands) + ")";
        } else {
            message = "a command is needed (one of " + command_list(commands) + ")";
        }
    }
    print_error(message + "; " + hint);
    return exit_usage;
}

// -v/-q of the chosen subcommand decide what capprof itself logs.
void apply_log_options(const CLI::App& sub) {
    const CLI::Option* verbose = sub.get_option_no_throw("--verbose");
    const CLI::Option* quiet = sub.get_option_no_throw("--quiet");
    setup_logging(verbose ? static_cast<int>(verbose->count()) : 0, quiet && quiet->count() > 0);
}

}  // namespace

int cli_main(int argc, char** argv, Runner& runner) {
    ensure_standard_fds();
    setup_logging();
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_run_command());
    commands.push_back(make_minimize_command());
    commands.push_back(make_check_command());
    commands.push_back(make_decode_command());
    commands.push_back(make_inspect_command());
    commands.push_back(make_rules_command());

    CLI::App app{"capprof: which Linux capabilities does this program really need?", "capprof"};
    app.set_version_flag("--version", "capprof " CAPPROF_VERSION);
    app.require_subcommand(1, 1);
    app.footer("Exit status: run: the workload's; minimize/check: 0 or 1; "
               "125 usage, 126 not executable, 127 not found.");
    std::vector<std::pair<Command*, CLI::App*>> subcommands;
    for (auto& command : commands) {
        CLI::App* sub = app.add_subcommand(command->name(), command->description());
        command->setup(*sub);
        subcommands.emplace_back(command.get(), sub);
    }

    // `--docker-arg --network=host`: one word each, whatever it starts with.
    std::vector<std::string> words = join_docker_args(argc, argv);
    std::vector<char*> joined;
    for (auto& word : words) joined.push_back(word.data());
    joined.push_back(nullptr);
    argc = static_cast<int>(words.size());
    argv = joined.data();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(e, app, argc, argv, commands);
    }

    try {
        for (auto& [command, sub] : subcommands) {
            if (!sub->parsed()) continue;
            apply_log_options(*sub);
            return command->execute(runner);
        }
        print_error("no command given; try capprof --help");
        return exit_usage;
    } catch (const UserError& e) {
        print_error(e.what());
        return e.exit_code();
    } catch (const CLI::Error& e) {
        // A command that parses more of its input itself (e.g. a number).
        print_error(lower_first(e.what()) + "; try capprof --help");
        return exit_usage;
    } catch (const std::exception& e) {
        print_error(std::string("internal error: ") + e.what());
        return exit_usage;
    }
}

}  // namespace capprof
