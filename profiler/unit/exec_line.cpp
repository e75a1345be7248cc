#include "unit/exec_line.hpp"

#include <algorithm>
#include <cctype>

#include "capprof/error.hpp"

namespace capprof {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes the escape at text[i] (just after the backslash); returns its
// length, or 0 when it is not one.
std::size_t decode_escape(const std::string& text, std::size_t i, std::string& out) {
    if (i >= text.size()) return 0;
    switch (text[i]) {
        case 'a': out += '\a'; return 1;
        case 'b': out += '\b'; return 1;
        case 'f': out += '\f'; return 1;
        case 'n': out += '\n'; return 1;
        case 'r': out += '\r'; return 1;
        case 't': out += '\t'; return 1;
        case 'v': out += '\v'; return 1;
        case 's': out += ' '; return 1;
        case '\\': case '"': case '\'': case ';': case '$': out += text[i]; return 1;
        case 'x':
            if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
                out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
                return 3;
            }
            return 0;
    }
    if (i + 2 < text.size() && text[i] >= '0' && text[i] <= '3' && text[i + 1] >= '0' && text[i + 1] <= '7' &&
        text[i + 2] >= '0' && text[i + 2] <= '7') {
        out += static_cast<char>((text[i] - '0') * 64 + (text[i + 1] - '0') * 8 + (text[i + 2] - '0'));
        return 3;
    }
    return 0;
}

struct Prefixes {
    bool ignore_failure = false;
    bool argv0 = false;
    bool no_env = false;
};

// Takes the prefixes off `word`; throws on those capprof does not emulate.
Prefixes take_prefixes(std::string& word, const std::string& where) {
    Prefixes p;
    std::size_t i = 0;
    for (; i < word.size(); ++i) {
        const char c = word[i];
        if (c == '-') p.ignore_failure = true;
        else if (c == '@') p.argv0 = true;
        else if (c == ':') p.no_env = true;
        else if (c == '+' || c == '!' || c == '|') {
            const std::string prefix = c == '!' && i + 1 < word.size() && word[i + 1] == '!' ? "!!" : std::string(1, c);
            const char* what = c == '+'   ? "runs with full privileges"
                               : c == '|' ? "runs through the user's login shell"
                                          : "runs with other credentials than the service";
            throw UserError(where + ": the \"" + prefix + "\" prefix (the command " + what +
                            ") is not supported by capprof; profile that command on its own");
        } else break;
    }
    word.erase(0, i);
    return p;
}

}  // namespace

std::string ExecCommand::label() const {
    std::string text = setting + "=" + executable;
    for (std::size_t i = 1; i < argv.size(); ++i) text += " " + argv[i];
    return text;
}

std::vector<std::string> split_unit_words(const std::string& text, const std::string& where, std::vector<bool>* quoted) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && is_space(text[i])) ++i;
        if (i >= text.size()) break;
        std::string word;
        char quote = 0;
        bool was_quoted = false;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (!quote && is_space(c)) break;
            if (c == '\\') {
                const std::size_t used = decode_escape(text, i + 1, word);
                if (used == 0) throw UserError(where + ": unknown escape \\" + text.substr(i + 1, 1) + " in: " + text);
                i += used;
                was_quoted = true;  // "\;" is an argument, not a separator
            } else if (quote && c == quote) {
                quote = 0;
            } else if (!quote && (c == '"' || c == '\'')) {
                quote = c;
                was_quoted = true;
            } else {
                word += c;
            }
        }
        if (quote) throw UserError(where + ": unfinished quote in: " + text);
        words.push_back(std::move(word));
        if (quoted) quoted->push_back(was_quoted);
    }
    return words;
}

std::vector<ExecCommand> parse_exec_line(const std::string& setting, const std::string& value,
                                         const SpecifierContext& context, const std::string& origin) {
    std::vector<bool> quoted;
    const auto words = split_unit_words(value, origin, &quoted);
    std::vector<ExecCommand> commands;
    for (std::size_t i = 0; i < words.size();) {
        std::string first = words[i];
        const Prefixes prefixes = take_prefixes(first, origin);
        ExecCommand command;
        command.setting = setting;
        command.origin = origin;
        command.ignore_failure = prefixes.ignore_failure;
        command.expand_environment = !prefixes.no_env;
        command.executable = expand_specifiers(first, context, origin);
        if (command.executable.empty()) throw UserError(origin + ": " + setting + "= names no executable");
        ++i;
        if (!prefixes.argv0) command.argv.push_back(command.executable);
        for (; i < words.size() && !(words[i] == ";" && !quoted[i]); ++i)
            command.argv.push_back(expand_specifiers(words[i], context, origin));
        if (i < words.size()) ++i;  // the ";"
        if (command.argv.empty()) throw UserError(origin + ": the \"@\" prefix needs argv[0] after the executable");
        commands.push_back(std::move(command));
    }
    if (commands.empty()) throw UserError(origin + ": " + setting + "= is empty");
    return commands;
}

namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string lookup(const std::map<std::string, std::string>& env, const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? "" : it->second;
}

std::string expand_braces(const std::string& word, const std::map<std::string, std::string>& env) {
    std::string out;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] == '$' && i + 1 < word.size() && word[i + 1] == '$') {
            out += '$';
            ++i;
        } else if (word[i] == '$' && i + 1 < word.size() && word[i + 1] == '{') {
            const auto close = word.find('}', i + 2);
            if (close == std::string::npos) {
                out += word.substr(i);
                break;
            }
            out += lookup(env, word.substr(i + 2, close - i - 2));
            i = close;
        } else {
            out += word[i];
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> expand_exec_environment(const std::vector<std::string>& argv,
                                                 const std::map<std::string, std::string>& env) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < argv.size(); ++k) {
        const std::string& word = argv[k];
        const bool whole = k > 0 && word.size() > 1 && word[0] == '$' &&
                           std::all_of(word.begin() + 1, word.end(), is_name_char);
        if (!whole) {
            out.push_back(k == 0 ? word : expand_braces(word, env));
            continue;
        }
        std::string value = lookup(env, word.substr(1));
        std::size_t i = 0;
        while (i < value.size()) {
            while (i < value.size() && is_space(value[i])) ++i;
            std::size_t end = i;
            while (end < value.size() && !is_space(value[end])) ++end;
            if (end > i) out.push_back(value.substr(i, end - i));
            i = end;
        }
    }
    return out;
}

}  // namespace capprof
