#include "unit/unit_file.hpp"

#include "capprof/error.hpp"

namespace capprof {

namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

bool is_comment(std::string_view line) { return !line.empty() && (line[0] == '#' || line[0] == ';'); }

// The logical lines of `text`: a line ending in a backslash goes on with the
// next one (the backslash becomes a space); comment lines inside a
// continuation are skipped (systemd.syntax(7)).
std::vector<std::pair<std::string, int>> logical_lines(std::string_view text) {
    std::vector<std::pair<std::string, int>> lines;
    std::string current;
    int first_line = 0;
    bool continued = false;
    int number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = trim(text.substr(start, end - start));
        start = end + 1;
        ++number;
        if (continued && is_comment(raw)) continue;
        if (!continued) first_line = number;
        const bool goes_on = !raw.empty() && raw.back() == '\\';
        if (goes_on) raw.remove_suffix(1);
        current += raw;
        if (goes_on) {
            current += ' ';
            continued = true;
            if (end == text.size()) break;
            continue;
        }
        continued = false;
        lines.emplace_back(std::move(current), first_line);
        current.clear();
        if (end == text.size()) break;
    }
    if (continued) lines.emplace_back(std::move(current), first_line);
    return lines;
}

}  // namespace

void UnitFile::parse(std::string_view text, const std::string& origin) {
    std::string section;
    for (auto& [line, number] : logical_lines(text)) {
        std::string_view view = trim(line);
        if (view.empty() || is_comment(view)) continue;
        const std::string where = origin + ":" + std::to_string(number);
        if (view.front() == '[') {
            if (view.back() != ']' || view.size() < 3)
                throw UserError(where + ": malformed section header: " + std::string(view));
            section = std::string(view.substr(1, view.size() - 2));
            continue;
        }
        const auto equals = view.find('=');
        if (equals == std::string_view::npos)
            throw UserError(where + ": expected Key=Value, a [Section] or a comment, got: " + std::string(view));
        if (section.empty()) throw UserError(where + ": assignment outside of a section: " + std::string(view));
        entries_.push_back({section, std::string(trim(view.substr(0, equals))),
                            std::string(trim(view.substr(equals + 1))), where});
    }
}

std::vector<UnitAssignment> UnitFile::assignments(std::string_view section, std::string_view key) const {
    std::vector<UnitAssignment> out;
    for (const auto& entry : entries_) {
        if (entry.section != section || entry.key != key) continue;
        if (entry.value.empty()) out.clear();  // an empty assignment resets the list
        else out.push_back(entry);
    }
    return out;
}

std::vector<std::string> UnitFile::values(std::string_view section, std::string_view key) const {
    std::vector<std::string> out;
    for (auto& entry : assignments(section, key)) out.push_back(std::move(entry.value));
    return out;
}

std::string UnitFile::value(std::string_view section, std::string_view key) const {
    std::string out;
    for (const auto& entry : entries_)
        if (entry.section == section && entry.key == key) out = entry.value;
    return out;
}

bool UnitFile::has(std::string_view section, std::string_view key) const {
    for (const auto& entry : entries_)
        if (entry.section == section && entry.key == key) return true;
    return false;
}

}  // namespace capprof
