// `capprof inspect PID`: what a running process holds, from /proc/PID/status
// (proc(5)): the five capability sets, NoNewPrivs, Seccomp mode and ids.
#include <charconv>
#include <cstdio>
#include <iostream>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "capprof/proc_status.hpp"
#include "cli/command.hpp"

namespace capprof {
namespace {

std::string mask_line(const char* label, std::uint64_t mask) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(mask));
    std::string names;
    if (mask == cap_all()) {
        names = "ALL";
    } else {
        for (const auto& name : cap_names(mask)) names += (names.empty() ? "" : " ") + name;
    }
    return std::string(label) + "  " + hex + "  " + (mask ? names : "none") + "\n";
}

template <typename T>
std::string id_list(const std::vector<T>& ids) {
    std::string out;
    for (T id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
    return out.empty() ? "none" : out;
}

const char* seccomp_mode(int mode) {
    switch (mode) {
        case 0: return "0 (disabled)";
        case 1: return "1 (strict)";
        case 2: return "2 (filter: an EPERM may come from a seccomp profile)";
        default: return "unknown";
    }
}

class InspectCommand : public Command {
public:
    std::string name() const override { return "inspect"; }
    std::string description() const override {
        return "Show the capabilities, NoNewPrivs and seccomp mode of a running process";
    }
    void setup(CLI::App& cmd) override {
        cmd.add_option("PID", pid_text_, "Process id")->required();
    }

    int execute(Runner&) override {
        pid_t pid = 0;
        auto [end, ec] = std::from_chars(pid_text_.data(), pid_text_.data() + pid_text_.size(), pid);
        if (ec != std::errc{} || end != pid_text_.data() + pid_text_.size() || pid <= 0)
            throw UserError("inspect: '" + pid_text_ + "' is not a process id");
        auto info = read_task_info(pid);
        if (!info) throw UserError("inspect: no process " + pid_text_ + " (or /proc/" + pid_text_ +
                                   "/status is not readable)");
        std::string out;
        out += "pid " + std::to_string(info->pid ? info->pid : pid) + " " + info->comm;
        if (!info->exe.empty()) out += "  " + info->exe;
        out += "\n";
        out += "uid     " + id_list(std::vector<uid_t>{info->uid, info->euid, info->suid, info->fsuid}) +
               "  (real effective saved fs)\n";
        out += "gid     " + id_list(std::vector<gid_t>{info->gid, info->egid, info->sgid, info->fsgid}) +
               "  (real effective saved fs)\n";
        out += "groups  " + id_list(info->groups) + "\n";
        out += mask_line("CapInh", info->cap_inh);
        out += mask_line("CapPrm", info->cap_prm);
        out += mask_line("CapEff", info->cap_eff);
        out += mask_line("CapBnd", info->cap_bnd);
        out += mask_line("CapAmb", info->cap_amb);
        out += std::string("NoNewPrivs  ") + (info->no_new_privs ? "1" : "0") + "\n";
        out += std::string("Seccomp     ") + seccomp_mode(info->seccomp) + "\n";
        std::cout << out << std::flush;
        return 0;
    }

private:
    std::string pid_text_;
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() { return std::make_unique<InspectCommand>(); }

}  // namespace capprof
