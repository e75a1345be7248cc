#include "classify/rules.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "classify/rule_sections.hpp"

namespace capprof {

namespace {

// The table in matching order (first match wins): the most specific causes
// first, then by topic, the environment's catch-alls last.
std::vector<Rule> make_rules() {
    using namespace rule_rows;
    std::vector<Rule> table;
    for (std::vector<Rule> section : {
        netlink_reply_rules(),
        no_capability_rules(),
        proc_pid_rules(),
        exec_rules(),
        file_attribute_rules(),
        device_rules(),
        signal_rules(),
        identity_rules(),
        capability_rules(),
        network_rules(),
        memory_rules(),
        namespace_rules(),
        kernel_rules(),
        scheduling_rules(),
        file_permission_rules(),
        last_resort_rules()})
        for (Rule& row : section) table.push_back(std::move(row));
    return table;
}

}  // namespace

const std::vector<Rule>& rules() {
    static const std::vector<Rule> table = make_rules();
    return table;
}

const std::vector<SilentCapability>& silent_capabilities() {
    static const std::vector<SilentCapability> table = {
        {"FSETID", "chmod/chown/write keep working; without it the kernel silently clears set-user-ID and "
                   "set-group-ID bits (capprof reports a chmod asking for set-group-ID for a group the task "
                   "is not in: rule chmod-setgid-silent)"},
        {"BLOCK_SUSPEND", "epoll_ctl silently drops EPOLLWAKEUP; nothing fails, the system may suspend"},
        {"AUDIT_READ", "only joining the audit multicast group needs it (bind of an audit netlink socket)"},
        {"MAC_OVERRIDE", "only Smack checks it; other LSMs decide by their own policy"},
        {"NET_BROADCAST", "unused by the kernel"},
    };
    return table;
}

bool is_denial_errno(int err) { return err == EPERM || err == EACCES; }

bool rule_covers(const Rule& rule, std::string_view syscall, int err) {
    if ((err == 0) != rule.silent) return false;
    if (!rule.silent && (rule.err == 0 ? !is_denial_errno(err) : rule.err != err)) return false;
    std::string_view list = rule.syscalls;
    while (!list.empty()) {
        auto space = list.find(' ');
        std::string_view word = list.substr(0, space);
        if (word == "*" || word == syscall) return true;
        if (space == std::string_view::npos) break;
        list.remove_prefix(space + 1);
    }
    return false;
}

std::vector<WatchedFailure> watched_failures() {
    std::vector<WatchedFailure> out;
    for (const Rule& rule : rules()) {
        if (rule.err == 0 || is_denial_errno(rule.err)) continue;
        std::istringstream names{std::string(rule.syscalls)};
        for (std::string name; names >> name;) {
            WatchedFailure pair{name, rule.err};
            auto same = [&](const WatchedFailure& w) { return w.syscall == name && w.err == rule.err; };
            if (std::none_of(out.begin(), out.end(), same)) out.push_back(std::move(pair));
        }
    }
    return out;
}

std::string errno_name(int err) {
    if (const char* name = ::strerrorname_np(err)) return name;
    return std::to_string(err);
}

std::string expand_template(std::string_view text, const std::map<std::string, std::string>& facts) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                auto it = facts.find(std::string(text.substr(i + 1, close - i - 1)));
                if (it != facts.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace capprof
