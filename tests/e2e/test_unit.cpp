// capprof run|minimize|check --unit: real Debian units copied into the
// test's own directory (adapted only where a port or path must change),
// profiled, and each answer checked independently: the same exec setup
// (user, groups, ambient capabilities, runtime directory) under setpriv with
// the answer works, and without each capability it does not.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "e2e_verify.hpp"

namespace capprof::e2e {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// setpriv reproducing a systemd service's credentials: the user and its
// groups (initgroups), and `caps` as the bounding set, and for a non-root
// user as inheritable and ambient capabilities (AmbientCapabilities=).
std::vector<std::string> as_service(const std::optional<std::string>& user, const std::vector<std::string>& caps,
                                    const std::vector<std::string>& command) {
    std::string list;
    for (const auto& cap : caps) list += ",+" + lower(cap);
    std::vector<std::string> argv{"setpriv", "--bounding-set=-all" + list};
    if (user) {
        argv.insert(argv.end(), {"--reuid=" + *user, "--regid=" + *user, "--init-groups",
                                 "--inh-caps=-all" + list, "--ambient-caps=-all" + list});
    } else {
        argv.insert(argv.end(), {"--inh-caps=-all", "--ambient-caps=-all"});
    }
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

std::vector<std::string> without(std::vector<std::string> caps, const std::string& cap) {
    caps.erase(std::remove(caps.begin(), caps.end(), cap), caps.end());
    return caps;
}

// The Debian unit file `installed`, with each (from, to) replaced.
std::string adapted_unit(const std::string& installed, const std::vector<std::pair<std::string, std::string>>& changes) {
    std::string text = read_file(installed);
    for (const auto& [from, to] : changes) {
        const auto at = text.find(from);
        if (at == std::string::npos) return "";
        text.replace(at, from.size(), to);
    }
    return text;
}

CapprofRun capprof_unit(const std::string& subcommand, const std::string& unit, std::vector<std::string> options = {},
                        std::chrono::milliseconds limit = 300s) {
    options.insert(options.begin(), {"--unit", unit});
    return run_capprof(subcommand, options, {}, limit);
}

// The drop-in parses (systemd-analyze verify, with the unit beside it);
// the check itself is shown to read the drop-in by a key it must reject.
void expect_drop_in_verifies(const std::string& unit_text, const std::string& name, const std::string& drop_in) {
    if (!have_program("systemd-analyze")) {
        std::cerr << "[ SKIPPED  ] systemd-analyze verify: systemd-analyze is not installed (scripts/setup.sh)\n";
        return;
    }
    TempDir dir;
    dir.file(name, 0644, 0, 0, unit_text);
    dir.dir(name + ".d");
    dir.file(name + ".d/capprof.conf", 0644, 0, 0, drop_in);
    CommandResult verified = run_command({"systemd-analyze", "verify", dir / name}, 60s);
    EXPECT_EQ(verified.err.find("capprof.conf"), std::string::npos) << verified << verified.err;
    dir.file(name + ".d/capprof.conf", 0644, 0, 0, drop_in + "NoSuchSettingCapprof=1\n");
    CommandResult control = run_command({"systemd-analyze", "verify", dir / name}, 60s);
    EXPECT_NE(control.err.find("capprof.conf"), std::string::npos) << "systemd-analyze did not read the drop-in: " << control;
}

// Port 80 free, waiting a little for a server of an earlier test to go.
bool can_run_services() {
    if (!have_program("curl") || !have_program("setpriv")) return false;
    for (int i = 0; i < 50 && !port_is_free(80); ++i) std::this_thread::sleep_for(200ms);
    return port_is_free(80);
}

}  // namespace

namespace {

// Debian's lighttpd.service, its config path and PID file moved into the
// test's directory and runtime directory, and a drop-in such as an admin
// writes: User=www-data, RuntimeDirectory=.
struct LighttpdUnit {
    TempDir dir;
    const std::string runtime = "capprof-e2e-lighttpd";
    std::string unit_path, unit_text, conf;
    LighttpdUnit() {
        dir.dir("www");
        dir.file("www/index.html", 0644, 0, 0, "lighttpd under capprof\n");
        conf = dir.file("lighttpd.conf", 0644, 0, 0,
                        "server.document-root = \"" + dir.path() + "/www\"\n"
                        "server.errorlog = \"/run/" + runtime + "/error.log\"\n"
                        "server.pid-file = \"/run/" + runtime + "/lighttpd.pid\"\n"
                        "server.port = 80\n"
                        "index-file.names = ( \"index.html\" )\n");
        unit_text = adapted_unit("/lib/systemd/system/lighttpd.service",
                                 {{"PIDFile=/run/lighttpd.pid", "PIDFile=/run/" + runtime + "/lighttpd.pid"},
                                  {"-tt -f /etc/lighttpd/lighttpd.conf", "-tt -f " + conf},
                                  {"-D -f /etc/lighttpd/lighttpd.conf", "-D -f " + conf}});
        unit_path = dir.file("lighttpd.service", 0644, 0, 0, unit_text);
        dir.dir("lighttpd.service.d");
        dir.file("lighttpd.service.d/user.conf", 0644, 0, 0,
                 "[Service]\nUser=www-data\nGroup=www-data\nRuntimeDirectory=" + runtime + "\n");
    }
    std::string runtime_dir() const { return "/run/" + runtime; }
    // The unit with its drop-in, for systemd-analyze.
    std::string full_text() const { return unit_text + "\n" + read_file(dir / "lighttpd.service.d/user.conf"); }

    // ExecStartPre= then ExecStart= under setpriv as the unit would run
    // them; whether the server then answers.
    bool serves_with(const std::vector<std::string>& caps) const {
        sh("install -d -o www-data -g www-data -m 0755 " + runtime_dir());  // as systemd creates it
        const std::optional<std::string> user = "www-data";
        CommandResult pre = run_command(as_service(user, caps, {"/usr/sbin/lighttpd", "-tt", "-f", conf}), 30s);
        bool ok = false;
        if (pre.exited(0)) {
            Background server(as_service(user, caps, {"/usr/sbin/lighttpd", "-D", "-f", conf}));
            ok = serves("http://127.0.0.1:80/", 3s);
            server.process().kill_all(SIGTERM);
            server.process().wait(10s);
        }
        sh("rm -rf " + runtime_dir());
        return ok;
    }
};

}  // namespace

TEST(UnitE2E, LighttpdAsWwwDataWithRuntimeDirectoryGetsAmbientNetBindService) {
    require_root();
    if (!have_program("/usr/sbin/lighttpd") || !can_run_services()) GTEST_SKIP() << "needs lighttpd, curl, setpriv, port 80";
    LighttpdUnit unit;
    ASSERT_FALSE(unit.unit_text.empty()) << "Debian's lighttpd.service changed: adapt the test";
    sh("rm -rf " + unit.runtime_dir());
    CapprofRun run = capprof_unit("minimize", unit.unit_path, {"--probe", "curl -sf http://127.0.0.1:80/"});
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    EXPECT_EQ(strings(run.report["cap_add"]), std::vector<std::string>{"NET_BIND_SERVICE"}) << run.report.dump(2);
    const json& summary = run.report["unit"];
    EXPECT_EQ(summary["name"], "lighttpd.service");
    EXPECT_EQ(summary["user"], "www-data");
    EXPECT_TRUE(summary["ambient"].get<bool>());
    EXPECT_EQ(strings(summary["drop_ins"]).size(), 1u);
    const std::string drop_in = summary["drop_in"];
    EXPECT_NE(drop_in.find("\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"), std::string::npos) << drop_in;
    EXPECT_NE(drop_in.find("\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"), std::string::npos) << drop_in;
    EXPECT_NE(drop_in.find("\nNoNewPrivileges=yes\n"), std::string::npos) << drop_in;
    EXPECT_NE(drop_in.find("# CAP_NET_BIND_SERVICE: bind("), std::string::npos) << drop_in;
    if (run.report["isolated"].get<bool>()) {
        EXPECT_FALSE(std::filesystem::exists(unit.runtime_dir())) << "an isolated trial's RuntimeDirectory= reached the host";
    }
    EXPECT_TRUE(processes_mentioning(unit.dir.path()).empty()) << "a lighttpd process is left behind";

    EXPECT_TRUE(unit.serves_with({"NET_BIND_SERVICE"})) << "lighttpd as www-data with ambient NET_BIND_SERVICE";
    EXPECT_FALSE(unit.serves_with({})) << "lighttpd as www-data served port 80 without NET_BIND_SERVICE";
    expect_drop_in_verifies(unit.full_text(), "lighttpd.service", drop_in);
}

TEST(UnitE2E, RunCreatesTheRuntimeDirectoryAsSystemdDoesAndPrintsTheDropIn) {
    require_root();
    if (!have_program("/usr/sbin/lighttpd") || !can_run_services()) GTEST_SKIP() << "needs lighttpd, curl, setpriv, port 80";
    LighttpdUnit unit;
    ASSERT_FALSE(unit.unit_text.empty());
    sh("rm -rf " + unit.runtime_dir());
    // --format text (the default) on stderr: the report, then the install commands.
    CommandResult run = run_command({capprof_bin(), "run", "--unit", unit.unit_path, "--cap-add", "NET_BIND_SERVICE",
                                     "--probe", "stat -c %U:%G:%a " + unit.runtime_dir() + " | grep -qx www-data:www-data:755"},
                                    60s);
    EXPECT_NE(run.err.find("passed the probe"), std::string::npos) << run << run.err;
    EXPECT_NE(run.err.find("sudo SYSTEMD_EDITOR=tee systemctl edit lighttpd.service <<'CAPPROF_EOF'\n"), std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("\nsudo systemctl restart lighttpd.service\n"), std::string::npos) << run.err;
    sh("rm -rf " + unit.runtime_dir());
}

namespace {

// Debian's nginx.service (Type=forking, PIDFile=, an ExecStartPre= that
// tests the configuration) pointed at the test's own configuration and PID
// file; the master runs as root, the workers as www-data.
struct NginxUnit {
    TempDir dir;
    std::string unit_path, unit_text, pid_file;
    NginxUnit() {
        dir.dir("www");
        dir.file("www/index.html", 0644, 0, 0, "nginx.service under capprof\n");
        const std::string& t = dir.path();
        pid_file = t + "/nginx.pid";
        dir.file("nginx.conf", 0644, 0, 0,
                 "user www-data;\nworker_processes 1;\npid " + pid_file + ";\nerror_log " + t + "/error.log;\n"
                 "events { worker_connections 64; }\nhttp {\n  access_log " + t + "/access.log;\n"
                 "  client_body_temp_path " + t + "/client_body;\n  proxy_temp_path " + t + "/proxy;\n"
                 "  fastcgi_temp_path " + t + "/fastcgi;\n  uwsgi_temp_path " + t + "/uwsgi;\n"
                 "  scgi_temp_path " + t + "/scgi;\n  server { listen 80; root " + t + "/www; }\n}\n");
        const std::string options = "-p " + t + " -e " + t + "/error.log -c " + t + "/nginx.conf ";
        unit_text = adapted_unit("/lib/systemd/system/nginx.service",
                                 {{"PIDFile=/run/nginx.pid", "PIDFile=" + pid_file},
                                  {"ExecStartPre=/usr/sbin/nginx -t", "ExecStartPre=/usr/sbin/nginx " + options + "-t"},
                                  {"ExecStart=/usr/sbin/nginx -g", "ExecStart=/usr/sbin/nginx " + options + "-g"}});
        unit_path = dir.file("nginx.service", 0644, 0, 0, unit_text);
    }
    std::vector<std::string> nginx(const std::string& first) const {
        const std::string& t = dir.path();
        std::vector<std::string> argv{"/usr/sbin/nginx", "-p", t, "-e", t + "/error.log", "-c", t + "/nginx.conf"};
        if (!first.empty()) argv.push_back(first);
        argv.insert(argv.end(), {"-g", "daemon on; master_process on;"});
        return argv;
    }
    // ExecStartPre=, then ExecStart= (which forks the daemon and exits 0),
    // then the PID file names the running master and the site answers.
    bool starts_with(const std::vector<std::string>& caps) const {
        // Each start from the same state, as each of capprof's isolated
        // trials: nginx creates and chowns its temporary directories.
        for (const char* made : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
            std::filesystem::remove_all(dir / made);
        std::filesystem::remove(pid_file);
        if (!run_command(as_service(std::nullopt, caps, nginx("-t")), 30s).exited(0)) return false;
        if (!run_command(as_service(std::nullopt, caps, nginx("")), 30s).exited(0)) return false;
        const bool ok = serves("http://127.0.0.1:80/", 3s);
        std::string pid = read_file(pid_file);
        if (!pid.empty()) ::kill(std::stoi(pid), SIGTERM);
        for (int i = 0; i < 50 && !processes_mentioning(dir.path()).empty(); ++i) std::this_thread::sleep_for(100ms);
        return ok && !pid.empty();
    }
};

}  // namespace

TEST(UnitE2E, NginxForkingWithPidFileFollowsTheDaemon) {
    require_root();
    if (!have_program("/usr/sbin/nginx") || !can_run_services()) GTEST_SKIP() << "needs nginx, curl, setpriv, port 80";
    NginxUnit unit;
    ASSERT_FALSE(unit.unit_text.empty()) << "Debian's nginx.service changed: adapt the test";
    // No --probe: the service is ready when the start command has exited 0
    // and the PID file names the daemon, as for systemd.
    CapprofRun run = capprof_unit("minimize", unit.unit_path);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    const auto caps = strings(run.report["cap_add"]);
    for (const char* needed : {"NET_BIND_SERVICE", "SETGID", "SETUID"})
        EXPECT_NE(std::find(caps.begin(), caps.end(), needed), caps.end()) << needed << "\n" << run.report.dump(2);
    EXPECT_EQ(run.report["unit"]["type"], "forking");
    EXPECT_FALSE(run.report["unit"]["ambient"].get<bool>());
    const std::string drop_in = run.report["unit"]["drop_in"];
    EXPECT_EQ(drop_in.find("AmbientCapabilities="), std::string::npos) << drop_in;
    EXPECT_TRUE(processes_mentioning(unit.dir.path()).empty()) << "an nginx process is left behind";

    ASSERT_TRUE(port_is_free(80));
    EXPECT_TRUE(unit.starts_with(caps)) << "nginx.service under setpriv with the answer";
    for (const auto& cap : caps) EXPECT_FALSE(unit.starts_with(without(caps, cap))) << "started without " << cap;
    expect_drop_in_verifies(unit.unit_text, "nginx.service", drop_in);
}

namespace {

// A Type=notify service: a shell wrapper that starts busybox httpd on port
// 80, says READY=1 with systemd-notify and stays; its ExecStartPre= hands a
// data directory to www-data (CHOWN, a capability of its own).
struct NotifyUnit {
    TempDir dir;
    std::string unit_path, main_only_unit, wrapper, data;
    std::string unit_text(const std::string& access) const {
        return "[Unit]\nDescription=notify service under capprof\n\n[Service]\nType=notify\n" + access +
               "ExecStartPre=/bin/chown www-data " + data + "\nExecStart=" + wrapper + "\n";
    }
    NotifyUnit() {
        dir.dir("www");
        dir.file("www/index.html", 0644, 0, 0, "notify service under capprof\n");
        data = dir.dir("data");
        wrapper = dir.file("wrapper.sh", 0755, 0, 0,
                           "#!/bin/sh\nbusybox httpd -p 80 -h " + dir.path() + "/www || exit 1\n"
                           "systemd-notify --ready\nexec sleep 60\n");
        // systemd-notify is a child of the wrapper: systemd hears it only
        // with NotifyAccess=all (main_only_unit shows why).
        unit_path = dir.file("capprof-notify.service", 0644, 0, 0, unit_text("NotifyAccess=all\n"));
        main_only_unit = dir.file("capprof-notify-main.service", 0644, 0, 0, unit_text(""));
    }
    bool chown_works_with(const std::vector<std::string>& caps) const {
        ::chown(data.c_str(), 0, 0);
        return run_command(as_service(std::nullopt, caps, {"/bin/chown", "www-data", data}), 30s).exited(0);
    }
    bool serves_with(const std::vector<std::string>& caps) const {
        Background service(as_service(std::nullopt, caps, {wrapper}));
        const bool ok = serves("http://127.0.0.1:80/", 3s);
        service.process().kill_all(SIGKILL);
        service.process().wait(10s);
        for (pid_t pid : processes_mentioning(dir.path())) ::kill(pid, SIGKILL);  // the daemonized httpd
        for (int i = 0; i < 50 && !port_is_free(80); ++i) std::this_thread::sleep_for(100ms);
        return ok;
    }
};

}  // namespace

TEST(UnitE2E, NotifyServiceIsReadyOnReadyAndItsExecStartPreNeedsItsOwnCapability) {
    require_root();
    if (!have_program("systemd-notify") || !have_program("busybox") || !can_run_services())
        GTEST_SKIP() << "needs systemd-notify, busybox, curl, setpriv, port 80";
    NotifyUnit unit;
    CapprofRun run = capprof_unit("minimize", unit.unit_path);
    ASSERT_TRUE(run.process.exited(0)) << run;
    ASSERT_TRUE(run.has_report()) << run;
    const auto caps = strings(run.report["cap_add"]);
    EXPECT_EQ(caps, (std::vector<std::string>{"CHOWN", "NET_BIND_SERVICE"})) << run.report.dump(2);
    EXPECT_EQ(run.report["unit"]["type"], "notify");
    // The chown is reported as the ExecStartPre= line's, the bind as ExecStart='s.
    json chown = find_finding(run.report, {"fchownat", "chown", "lchown"});
    ASSERT_TRUE(chown.is_object()) << run.report.dump(2);
    EXPECT_EQ(chown["step"], "ExecStartPre=/bin/chown www-data " + unit.data);
    json bind = find_finding(run.report, "bind");
    ASSERT_TRUE(bind.is_object()) << run.report.dump(2);
    EXPECT_EQ(bind["step"], "ExecStart=" + unit.wrapper);
    EXPECT_TRUE(processes_mentioning(unit.dir.path()).empty()) << "a process of the service is left behind";

    EXPECT_TRUE(unit.chown_works_with({"CHOWN"}));
    EXPECT_FALSE(unit.chown_works_with({}));
    EXPECT_TRUE(unit.serves_with({"NET_BIND_SERVICE"}));
    EXPECT_FALSE(unit.serves_with({}));

    // The CI gate with minimize's answer passes (its optional list, such as
    // systemd-notify's SO_SNDBUFFORCE, tolerated); without CHOWN the
    // ExecStartPre= fails.
    const std::string answer = unit.dir.file("minimize.json", 0644, 0, 0, run.report.dump());
    CapprofRun pass = capprof_unit("check", unit.unit_path, {"--allow-file", answer, "--skip-unused"});
    EXPECT_TRUE(pass.process.exited(0)) << pass;
    CapprofRun fail = capprof_unit("check", unit.unit_path, {"--allow", "NET_BIND_SERVICE", "--skip-unused"});
    EXPECT_TRUE(fail.process.exited(1)) << fail;
    ASSERT_TRUE(fail.has_report()) << fail;
    EXPECT_EQ(fail.report["unit"]["failed_step"], "ExecStartPre=/bin/chown www-data " + unit.data) << fail.report.dump(2);
    EXPECT_TRUE(processes_mentioning(unit.dir.path()).empty()) << "a process of the service is left behind";
}

// NotifyAccess=main (Type=notify's default): READY=1 counts only from the
// main process. systemd-notify sends its parent's pid, which the kernel
// allows only with CAP_SYS_ADMIN (unix(7)); without it the message carries
// systemd-notify's own pid and is ignored, as systemd ignores it.
TEST(UnitE2E, NotifyAccessMainHearsOnlyTheMainProcess) {
    require_root();
    if (!have_program("systemd-notify") || !have_program("busybox") || !can_run_services())
        GTEST_SKIP() << "needs systemd-notify, busybox, curl, setpriv, port 80";
    NotifyUnit unit;
    const std::vector<std::string> base{"--cap-add", "CHOWN,NET_BIND_SERVICE", "--ready-timeout", "3"};
    CapprofRun ignored = capprof_unit("run", unit.main_only_unit, base, 60s);
    ASSERT_TRUE(ignored.has_report()) << ignored;
    EXPECT_FALSE(ignored.report["success"].get<bool>()) << ignored.report.dump(2);
    EXPECT_EQ(ignored.report["probe_ok"], false) << ignored.report.dump(2);
    std::vector<std::string> with_admin = base;
    with_admin[1] += ",SYS_ADMIN";
    CapprofRun heard = capprof_unit("run", unit.main_only_unit, with_admin, 60s);
    ASSERT_TRUE(heard.has_report()) << heard;
    EXPECT_EQ(heard.report["probe_ok"], true) << heard.report.dump(2);
    EXPECT_TRUE(processes_mentioning(unit.dir.path()).empty()) << "a process of the service is left behind";
}

TEST(UnitE2E, BadUnitsAreOneLineErrors) {
    require_root();
    TempDir dir;
    const std::string plus = dir.file("plus.service", 0644, 0, 0, "[Service]\nExecStartPre=+/bin/true\nExecStart=/bin/true\n");
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases{
        {{"run", "--unit", "capprof-no-such-unit"}, "unit capprof-no-such-unit.service not found in /etc/systemd/system"},
        {{"run", "--unit", plus}, "the \"+\" prefix (the command runs with full privileges) is not supported"},
        {{"run", "--unit", plus, "--", "true"}, "give either --unit or a command after --"},
        {{"minimize", "--unit", plus, "--user", "nobody"}, "leave out --user"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv{capprof_bin()};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        CommandResult result = run_command(argv, 30s);
        EXPECT_TRUE(result.exited(125)) << result;
        EXPECT_EQ(line_count(result.err), 1u) << result.err;
        EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
    }
}

}  // namespace capprof::e2e
