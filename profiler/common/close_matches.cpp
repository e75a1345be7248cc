#include "common/close_matches.hpp"

#include <algorithm>
#include <utility>

namespace capprof {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                               diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> close_matches(std::string_view typed, const std::vector<std::string>& known) {
    std::vector<std::string> containing;
    std::vector<std::pair<std::size_t, std::string>> near;
    const std::size_t max_edits = std::max<std::size_t>(2, typed.size() / 3);
    for (const std::string& name : known) {
        if (typed.size() >= 3 && name.find(typed) != std::string::npos) {
            containing.push_back(name);
            continue;
        }
        if (std::size_t d = edit_distance(typed, name); d <= max_edits) near.emplace_back(d, name);
    }
    if (!containing.empty()) {
        if (containing.size() > 4) containing.resize(4);
        return containing;
    }
    std::stable_sort(near.begin(), near.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (auto& [distance, name] : near) {
        if (out.size() == 3) break;
        out.push_back(name);
    }
    return out;
}

std::string did_you_mean(const std::vector<std::string>& matches) {
    if (matches.empty()) return "";
    std::string text = "did you mean ";
    for (std::size_t i = 0; i < matches.size(); ++i) {
        if (i > 0) text += i + 1 == matches.size() ? " or " : ", ";
        text += matches[i];
    }
    return text + "?";
}

}  // namespace capprof
