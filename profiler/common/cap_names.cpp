#include "common/cap_names.hpp"

#include <sys/capability.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>

#include "capprof/error.hpp"
#include "common/close_matches.hpp"

namespace capprof {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// "NET_BIND_SERVICE" without any CAP_ prefix, upper case.
std::string docker_spelling(std::string_view name) {
    std::string s = upper(trim(name));
    if (s.rfind("CAP_", 0) == 0) s.erase(0, 4);
    return s;
}

std::vector<std::string> known_names() {
    std::vector<std::string> names;
    for (int cap = 0; cap <= cap_last_cap(); ++cap) names.push_back(cap_name(cap));
    return names;
}

std::string unknown_name_message(std::string_view typed) {
    std::string message = "unknown capability \"" + std::string(trim(typed)) + "\"";
    auto matches = close_matches(docker_spelling(typed), known_names());
    if (matches.empty()) return message + " (see capabilities(7) for the names)";
    return message + ": " + did_you_mean(matches);
}

}  // namespace

int cap_last_cap() {
    static const int last = [] {
        std::ifstream in("/proc/sys/kernel/cap_last_cap");
        int value = -1;
        if (in >> value && value >= 0 && value < 64) return value;
        return static_cast<int>(cap_max_bits()) - 1;  // libcap probes the kernel
    }();
    return last;
}

std::string cap_name(int cap) {
    // cap_to_name(3): "cap_chown", or the number for a capability libcap does
    // not know yet (a kernel newer than libcap).
    char* raw = cap_to_name(static_cast<cap_value_t>(cap));
    if (raw == nullptr) return "CAP_" + std::to_string(cap);
    std::string name = raw;
    cap_free(raw);
    if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0])))
        return "CAP_" + std::to_string(cap);
    return docker_spelling(name);
}

std::optional<int> cap_from_name(std::string_view name) {
    const std::string docker = docker_spelling(name);
    if (docker.empty()) return std::nullopt;
    // "CAP_40" is how cap_name() spells a capability libcap has no name for.
    if (std::all_of(docker.begin(), docker.end(),
                    [](unsigned char c) { return std::isdigit(c); })) {
        return std::nullopt;
    }
    cap_value_t value = 0;
    if (::cap_from_name(("cap_" + lower(docker)).c_str(), &value) != 0) {
        std::string typed = upper(trim(name));
        if (typed.rfind("CAP_", 0) == 0 && typed.size() > 4 &&
            std::all_of(typed.begin() + 4, typed.end(),
                        [](unsigned char c) { return std::isdigit(c); })) {
            int number = std::stoi(typed.substr(4));
            if (number <= cap_last_cap()) return number;
        }
        return std::nullopt;
    }
    if (value < 0 || value > cap_last_cap()) return std::nullopt;
    return static_cast<int>(value);
}

CapSet parse_cap_list(const std::vector<std::string>& items) {
    CapSet set = 0;
    for (const std::string& item : items) {
        std::string_view rest = item;
        while (true) {
            auto comma = rest.find(',');
            std::string_view one = trim(rest.substr(0, comma));
            if (!one.empty()) {
                if (docker_spelling(one) == "ALL") {
                    set |= cap_all();
                } else if (auto cap = cap_from_name(one)) {
                    set |= cap_bit(*cap);
                } else {
                    throw UserError(unknown_name_message(one), exit_usage);
                }
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return set;
}

std::vector<std::string> cap_names(CapSet set) {
    std::vector<std::string> names;
    for (int cap : caps_in(set)) names.push_back(cap_name(cap));
    return names;
}

CapSet cap_all() {
    const int last = cap_last_cap();
    return last >= 63 ? ~CapSet{0} : cap_bit(last + 1) - 1;
}

std::string cap_names_text(CapSet set, std::string_view separator) {
    std::string text;
    for (const std::string& name : cap_names(set)) {
        if (!text.empty()) text += separator;
        text += name;
    }
    return text.empty() ? "none" : text;
}

}  // namespace capprof
