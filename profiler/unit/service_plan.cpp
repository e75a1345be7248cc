#include "unit/service_plan.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <random>
#include <set>
#include <sstream>

#include "capprof/error.hpp"
#include "common/user_db.hpp"
#include "unit/exec_line.hpp"
#include "unit/service_settings.hpp"
#include "unit/specifiers.hpp"

namespace capprof {

namespace {

constexpr const char* service_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct PlanContext {
    const LoadedUnit& unit;
    SpecifierContext specifiers;
    std::string root_dir;
    ServicePlan plan;
    std::optional<PasswdEntry> passwd;  // User='s entry
    std::map<std::string, std::string> environment;
    std::vector<std::string> environment_order;
};

std::string setting(const PlanContext& ctx, const char* key) {
    auto all = ctx.unit.file.assignments("Service", key);
    if (all.empty()) return "";
    return expand_specifiers(all.back().value, ctx.specifiers, all.back().origin);
}

std::string origin_of(const PlanContext& ctx, const char* key) {
    auto all = ctx.unit.file.assignments("Service", key);
    return all.empty() ? ctx.unit.path : all.back().origin;
}

void set_env(PlanContext& ctx, const std::string& name, const std::string& value) {
    if (!ctx.environment.count(name)) ctx.environment_order.push_back(name);
    ctx.environment[name] = value;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

gid_t resolve_group(const std::string& name, const std::vector<GroupEntry>& groups, const std::string& where) {
    for (const auto& group : groups)
        if (group.name == name) return group.gid;
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) return static_cast<gid_t>(std::stoul(name));
    throw UserError(where + ": unknown group \"" + name + "\" (not in /etc/group)");
}

// User=, Group=, SupplementaryGroups=: the user's groups from the group
// database (initgroups(3), as systemd does) plus the supplementary ones.
void plan_user(PlanContext& ctx) {
    const std::string user = setting(ctx, "User");
    const std::string group = setting(ctx, "Group");
    const auto supplementary = ctx.unit.file.assignments("Service", "SupplementaryGroups");
    if (user.empty() && group.empty() && supplementary.empty()) return;
    const std::string etc = ctx.root_dir + (ctx.root_dir.ends_with("/") ? "" : "/") + "etc/";
    const auto groups = parse_group(read_file(etc + "group"));
    UserSpec spec;
    if (!user.empty()) {
        spec = lookup_user(user, ctx.root_dir).value_or(UserSpec{});
        for (const auto& entry : parse_passwd(read_file(etc + "passwd")))
            if (entry.uid == spec.uid && (entry.name == user || std::to_string(entry.uid) == user)) ctx.passwd = entry;
        ctx.plan.user = user;
        ctx.plan.non_root = spec.uid != 0;
    }
    if (!group.empty()) spec.gid = resolve_group(group, groups, origin_of(ctx, "Group"));
    for (const auto& line : supplementary)
        for (const auto& name : split_unit_words(expand_specifiers(line.value, ctx.specifiers, line.origin), line.origin))
            spec.groups.push_back(resolve_group(name, groups, line.origin));
    std::sort(spec.groups.begin(), spec.groups.end());
    spec.groups.erase(std::unique(spec.groups.begin(), spec.groups.end()), spec.groups.end());
    spec.text = user.empty() ? "root" : user;
    if (!group.empty()) spec.text += ":" + group;
    ctx.plan.spec.user = spec;
}

std::string random_id() {
    std::random_device device;
    std::ostringstream out;
    for (int i = 0; i < 4; ++i) out << std::hex << std::setw(8) << std::setfill('0') << device();
    return out.str();
}

// The environment systemd gives a system service (systemd.exec(5),
// "Environment Variables in Spawned Processes"), then Environment= and
// EnvironmentFile= in that order.
void plan_environment(PlanContext& ctx) {
    set_env(ctx, "PATH", service_path);
    if (ctx.passwd) {
        set_env(ctx, "HOME", ctx.passwd->home.empty() ? "/" : ctx.passwd->home);
        set_env(ctx, "LOGNAME", ctx.passwd->name);
        set_env(ctx, "USER", ctx.passwd->name);
        set_env(ctx, "SHELL", ctx.passwd->shell.empty() ? "/bin/sh" : ctx.passwd->shell);
    }
    set_env(ctx, "INVOCATION_ID", random_id());
    for (const auto& line : ctx.unit.file.assignments("Service", "Environment")) {
        const std::string value = expand_specifiers(line.value, ctx.specifiers, line.origin);
        for (const auto& word : split_unit_words(value, line.origin)) {
            const auto equals = word.find('=');
            if (equals == std::string::npos || equals == 0)
                throw UserError(line.origin + ": Environment= expects NAME=VALUE, got: " + word);
            set_env(ctx, word.substr(0, equals), word.substr(equals + 1));
        }
    }
    for (const auto& line : ctx.unit.file.assignments("Service", "EnvironmentFile")) {
        std::string path = expand_specifiers(line.value, ctx.specifiers, line.origin);
        const bool optional = path.starts_with("-");
        if (optional) path.erase(0, 1);
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            if (optional) continue;
            throw UserError(line.origin + ": EnvironmentFile=" + path + " cannot be read (prefix it with - if it is optional)");
        }
        for (const auto& [name, value] : parse_environment_file(read_file(path))) set_env(ctx, name, value);
    }
}

void finish_environment(PlanContext& ctx) {
    std::vector<std::string> env;
    for (const auto& name : ctx.environment_order) env.push_back(name + "=" + ctx.environment[name]);
    ctx.plan.spec.environment = std::move(env);
}

}  // namespace

std::string find_exec_binary(const std::string& name, const std::string& where) {
    if (name.starts_with("/")) return name;
    if (name.find('/') != std::string::npos)
        throw UserError(where + ": the executable must be an absolute path or a plain name, got: " + name);
    std::string search = service_path;
    for (std::size_t start = 0; start <= search.size();) {
        auto end = search.find(':', start);
        if (end == std::string::npos) end = search.size();
        const std::string candidate = search.substr(start, end - start) + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return candidate;
        start = end + 1;
    }
    throw UserError(where + ": " + name + " not found in systemd's search path (" + search + ")");
}

namespace {

ExecStep make_step(const ExecCommand& command, const std::map<std::string, std::string>& env) {
    ExecStep step;
    step.label = command.label();
    step.executable = find_exec_binary(command.executable, command.origin);
    step.argv = command.expand_environment ? expand_exec_environment(command.argv, env) : command.argv;
    step.ignore_failure = command.ignore_failure;
    return step;
}

std::vector<ExecCommand> exec_commands(const PlanContext& ctx, const char* key) {
    std::vector<ExecCommand> out;
    for (const auto& line : ctx.unit.file.assignments("Service", key))
        for (auto& command : parse_exec_line(key, line.value, ctx.specifiers, line.origin)) out.push_back(std::move(command));
    return out;
}

// Type= and its readiness; ExecStartPre= and, for oneshot, every ExecStart=
// but the last become the steps before the main command.
void plan_commands(PlanContext& ctx) {
    const std::string type = ctx.unit.file.value("Service", "Type");
    ctx.plan.type = type.empty() ? "simple" : type;
    const std::set<std::string> known{"simple", "exec", "forking", "oneshot", "notify", "notify-reload", "dbus", "idle"};
    if (!known.count(ctx.plan.type))
        throw UserError(origin_of(ctx, "Type") + ": unknown Type=" + ctx.plan.type);
    if (ctx.plan.type == "dbus") ctx.plan.not_emulated.push_back("Type=dbus (readiness is the command's exit; use --probe)");
    RunSpec& spec = ctx.plan.spec;
    spec.readiness = ctx.plan.type == "forking"                                     ? Readiness::forking
                     : ctx.plan.type == "notify" || ctx.plan.type == "notify-reload" ? Readiness::notify
                                                                                     : Readiness::exit;
    const std::string access = ctx.unit.file.value("Service", "NotifyAccess");
    if (access == "none" && spec.readiness == Readiness::notify)
        throw UserError(origin_of(ctx, "NotifyAccess") + ": NotifyAccess=none with Type=notify never becomes ready");
    spec.notify_access = access == "all" || access == "exec" ? NotifyAccess::all : NotifyAccess::main;
    const auto starts = exec_commands(ctx, "ExecStart");
    if (starts.empty()) throw UserError(ctx.unit.path + ": no ExecStart= in [Service]: nothing to run");
    if (starts.size() > 1 && ctx.plan.type != "oneshot")
        throw UserError(starts[1].origin + ": more than one ExecStart= command is only allowed with Type=oneshot");
    for (const auto& command : exec_commands(ctx, "ExecStartPre")) spec.before.push_back(make_step(command, ctx.environment));
    for (std::size_t i = 0; i + 1 < starts.size(); ++i) spec.before.push_back(make_step(starts[i], ctx.environment));
    ExecStep main = make_step(starts.back(), ctx.environment);
    spec.label = main.label;
    spec.argv = main.argv;
    spec.executable = main.executable;
    if (!exec_commands(ctx, "ExecStartPost").empty())
        ctx.plan.not_emulated.push_back("ExecStartPost= (not run: capprof profiles the start-up up to the main command)");
}

void plan_process_settings(PlanContext& ctx) {
    RunSpec& spec = ctx.plan.spec;
    std::string wd = setting(ctx, "WorkingDirectory");
    const bool optional = wd.starts_with("-");  // a missing directory is no error then
    if (optional) wd.erase(0, 1);
    if (wd == "~") wd = ctx.passwd && !ctx.passwd->home.empty() ? ctx.passwd->home : "/root";
    struct stat st {};
    if (optional && !wd.empty() && ::stat(wd.c_str(), &st) != 0) wd.clear();
    spec.working_directory = wd.empty() ? "/" : wd;
    const std::string umask = setting(ctx, "UMask");
    spec.umask = 0022;
    if (!umask.empty()) {
        if (umask.size() > 4 || umask.find_first_not_of("01234567") != std::string::npos)
            throw UserError(origin_of(ctx, "UMask") + ": expected an octal UMask= such as 0027, got: " + umask);
        spec.umask = static_cast<unsigned>(std::stoul(umask, nullptr, 8));
    }
    spec.limits = service_limits(ctx.unit.file, ctx.plan.notes);
    std::string pid_file = setting(ctx, "PIDFile");
    if (!pid_file.empty()) spec.pid_file = pid_file.starts_with("/") ? pid_file : "/run/" + pid_file;
}

}  // namespace

ServicePlan plan_service(const LoadedUnit& unit, const std::string& root_dir) {
    PlanContext ctx{unit, {unit.name, unit.path}, root_dir, {}, std::nullopt, {}, {}};
    plan_user(ctx);
    const uid_t uid = ctx.plan.spec.user ? ctx.plan.spec.user->uid : 0;
    const gid_t gid = ctx.plan.spec.user ? ctx.plan.spec.user->gid : 0;
    std::map<std::string, std::string> directory_env;
    ctx.plan.spec.directories = service_directories(unit.file, ctx.specifiers, uid, gid, directory_env);
    plan_environment(ctx);
    for (const auto& [name, value] : directory_env)
        if (!ctx.environment.count(name)) set_env(ctx, name, value);
    finish_environment(ctx);
    plan_process_settings(ctx);
    for (auto& setting : not_emulated_settings(unit.file)) ctx.plan.not_emulated.push_back(std::move(setting));
    plan_commands(ctx);
    return std::move(ctx.plan);
}

}  // namespace capprof
