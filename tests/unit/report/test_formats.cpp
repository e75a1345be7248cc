// --format docker|compose|k8s|systemd: what a user pastes. YAML outputs are
// loaded with a real YAML parser (python3-yaml) and checked as data.
#include <linux/capability.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "capprof/error.hpp"
#include "report/formats.hpp"

namespace capprof {
namespace {

using nlohmann::json;

// The YAML document as JSON, through PyYAML's safe_load; nullopt when it
// does not parse (the test then fails) or PyYAML is missing (skip).
std::optional<json> load_yaml(const std::string& text, std::string& error) {
    char path[] = "/tmp/capprof-yaml-XXXXXX";
    int fd = ::mkstemp(path);
    if (fd < 0) return std::nullopt;
    ::close(fd);
    std::ofstream(path) << text;
    std::string cmd = std::string("/usr/bin/python3 -c 'import yaml,sys,json; "
                                  "print(json.dumps(yaml.safe_load(sys.stdin)))' < ") +
                      path + " 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
        int status = ::pclose(p);
        ::unlink(path);
        if (status != 0) {
            error = out;
            return std::nullopt;
        }
    }
    return json::parse(out, nullptr, false);
}

bool have_pyyaml() {
    return std::system("/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1") == 0;
}

Report web_server() {
    Report r;
    r.command = {"nginx", "-g", "daemon off;"};
    r.success = true;
    r.cap_add = cap_bit(CAP_NET_BIND_SERVICE) | cap_bit(CAP_SETGID) | cap_bit(CAP_SETUID);
    r.optional = cap_bit(CAP_SYS_NICE);
    return r;
}

// Lines of a docker answer that are not shell comments.
std::size_t command_lines(const std::string& out) {
    std::size_t commands = 0, start = 0;
    while (start < out.size()) {
        std::size_t end = out.find('\n', start);
        std::string line = out.substr(start, end - start);
        if (!line.empty() && line[0] != '#') ++commands;
        start = end == std::string::npos ? out.size() : end + 1;
    }
    return commands;
}

TEST(Formats, DockerLineIsCompleteAndExplained) {
    std::string out = render_format(web_server(), "docker");
    EXPECT_NE(out.find("docker run --cap-drop ALL --cap-add SETGID --cap-add SETUID "
                       "--cap-add NET_BIND_SERVICE --security-opt no-new-privileges IMAGE "
                       "nginx -g 'daemon off;'\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("# NET_BIND_SERVICE: low risk, in Docker's default set"), std::string::npos) << out;
    EXPECT_NE(out.find("Docker 20.10+"), std::string::npos) << out;
    EXPECT_NE(out.find("own network namespace"), std::string::npos) << out;
    EXPECT_NE(out.find("optional (the workload succeeded without): SYS_NICE"), std::string::npos) << out;
    // Every line but the command is a shell comment: the output can be pasted.
    EXPECT_EQ(command_lines(out), 1u) << out;
}

TEST(Formats, DockerLineForTheTextReport) {
    Report r = web_server();
    EXPECT_EQ(docker_line(r),
              "docker run --cap-drop ALL --cap-add SETGID --cap-add SETUID --cap-add NET_BIND_SERVICE …");
    r.user = "www-data";
    r.cap_add = 0;
    EXPECT_EQ(docker_line(r), "docker run --cap-drop ALL --user www-data …");
}

// nginx started as www-data: the bind needs NET_BIND_SERVICE, which Docker
// never gives a non-root --user.
Report non_root_server(const std::string& exe = "/usr/sbin/nginx") {
    Report r = web_server();
    r.user = "www-data";
    r.cap_add = cap_bit(CAP_NET_BIND_SERVICE);
    r.optional = 0;
    Finding bind;
    bind.verdict = Verdict::capability;
    bind.capability = "NET_BIND_SERVICE";
    bind.event.name = "bind";
    bind.event.task.exe = exe;
    r.findings.push_back(bind);
    return r;
}

TEST(Formats, NonRootUserGetsTheFileCapabilityAnswer) {
    std::string docker = render_format(non_root_server(), "docker");
    EXPECT_NE(docker.find("#   RUN setcap cap_net_bind_service+ep /usr/sbin/nginx\n"), std::string::npos) << docker;
    EXPECT_NE(docker.find("--cap-add NET_BIND_SERVICE --user www-data IMAGE nginx -g 'daemon off;'"
                          "  # only with the file capability in IMAGE: setcap cap_net_bind_service+ep "
                          "/usr/sbin/nginx\n"),
              std::string::npos)
        << "the condition is on the line itself\n" << docker;
    EXPECT_NE(docker.find("no effective capability"), std::string::npos) << docker;
    EXPECT_NE(docker.find("start it as root (no --user) if it switches to www-data itself"), std::string::npos)
        << docker;
    EXPECT_NE(docker.find("listen on a port >= 1024"), std::string::npos) << docker;
    EXPECT_EQ(docker.find("no-new-privileges"), std::string::npos)
        << "no_new_privs makes execve ignore file capabilities\n" << docker;
    EXPECT_EQ(command_lines(docker), 1u) << docker;
    EXPECT_NE(render_format(non_root_server(), "systemd").find("AmbientCapabilities=CAP_NET_BIND_SERVICE"),
              std::string::npos);
    EXPECT_EQ(render_format(non_root_server(), "systemd").find("setcap"), std::string::npos)
        << "systemd gives ambient capabilities: no file capability needed";
}

TEST(Formats, FileCapabilityAnswerParsesAsYaml) {
    if (!have_pyyaml()) GTEST_SKIP() << "python3-yaml is not installed (scripts/setup.sh installs it)";
    std::string error;
    Report r = non_root_server();
    r.user = "33:33";
    std::string k8s = render_format(r, "k8s");
    auto doc = load_yaml(k8s, error);
    ASSERT_TRUE(doc && doc->is_object()) << error << k8s;
    EXPECT_EQ((*doc)["securityContext"]["allowPrivilegeEscalation"], true) << k8s;
    EXPECT_EQ((*doc)["securityContext"]["runAsUser"], 33) << k8s;
    EXPECT_NE(k8s.find("allowPrivilegeEscalation: true  # the file capabilities (setcap) need it"),
              std::string::npos) << k8s;
    EXPECT_NE(k8s.find("add: [\"NET_BIND_SERVICE\"]  # held by runAsUser only through the file capability: "
                       "RUN setcap cap_net_bind_service+ep /usr/sbin/nginx"),
              std::string::npos) << k8s;
    std::string compose = render_format(r, "compose");
    doc = load_yaml(compose, error);
    ASSERT_TRUE(doc && doc->is_object()) << error << compose;
    EXPECT_EQ((*doc)["services"]["app"]["image"], "IMAGE") << compose;
    EXPECT_EQ((*doc)["services"]["app"]["cap_add"], json::array({"NET_BIND_SERVICE"})) << compose;
    EXPECT_NE(compose.find("image: IMAGE  # built with: RUN setcap cap_net_bind_service+ep /usr/sbin/nginx"),
              std::string::npos) << compose;
    EXPECT_EQ(compose.find("no-new-privileges"), std::string::npos) << compose;
}

TEST(Formats, FileCapabilityGoesToTheProgramThatNeedsIt) {
    Report r = non_root_server("/usr/bin/python3.11");
    r.cap_add |= cap_bit(CAP_CHOWN);  // asked for by no finding: the command's
    std::string docker = render_format(r, "docker");
    EXPECT_NE(docker.find("RUN setcap cap_net_bind_service+ep /usr/bin/python3.11\n"), std::string::npos) << docker;
    EXPECT_NE(docker.find("/usr/bin/python3.11 runs other programs"), std::string::npos) << docker;
    EXPECT_NE(docker.find("RUN setcap cap_chown+ep $(command -v nginx)\n"), std::string::npos) << docker;
    // A hostile executable name stays inside its comment.
    Report hostile = non_root_server("/tmp/x\nrm -rf /");
    std::string out = render_format(hostile, "docker");
    EXPECT_EQ(command_lines(out), 1u) << out;
    EXPECT_NE(out.find("$'/tmp/x\\012rm -rf /'"), std::string::npos) << out;
}

TEST(Formats, RootNeedsNoFileCapability) {
    for (const char* user : {"root", "0", "0:33"}) {
        Report r = non_root_server();
        r.user = user;
        std::string docker = render_format(r, "docker");
        EXPECT_EQ(docker.find("setcap"), std::string::npos) << docker;
        EXPECT_NE(docker.find("--security-opt no-new-privileges"), std::string::npos) << docker;
    }
}

TEST(Formats, ComposeParsesAsYaml) {
    if (!have_pyyaml()) GTEST_SKIP() << "python3-yaml is not installed (scripts/setup.sh installs it)";
    std::string error;
    Report r = web_server();
    r.command.push_back("quote\" 'and' \\ back: # not a comment");
    auto doc = load_yaml(render_format(r, "compose"), error);
    ASSERT_TRUE(doc && doc->is_object()) << error << render_format(r, "compose");
    const json& app = (*doc)["services"]["app"];
    EXPECT_EQ(app["cap_drop"], json::array({"ALL"}));
    EXPECT_EQ(app["cap_add"], json::array({"SETGID", "SETUID", "NET_BIND_SERVICE"}));
    EXPECT_EQ(app["command"].back(), "quote\" 'and' \\ back: # not a comment");
    EXPECT_EQ(app["security_opt"], json::array({"no-new-privileges:true"}));
}

TEST(Formats, KubernetesSecurityContextParsesAsYaml) {
    if (!have_pyyaml()) GTEST_SKIP() << "python3-yaml is not installed (scripts/setup.sh installs it)";
    std::string error;
    auto doc = load_yaml(render_format(web_server(), "k8s"), error);
    ASSERT_TRUE(doc && doc->is_object()) << error;
    const json& sc = (*doc)["securityContext"];
    EXPECT_EQ(sc["capabilities"]["drop"], json::array({"ALL"}));
    EXPECT_EQ(sc["capabilities"]["add"], json::array({"SETGID", "SETUID", "NET_BIND_SERVICE"}));
    EXPECT_EQ(sc["allowPrivilegeEscalation"], false) << "setuid(2) with SETUID works under no_new_privs";

    Report admin = web_server();
    admin.cap_add |= cap_bit(CAP_SYS_ADMIN);
    doc = load_yaml(render_format(admin, "k8s"), error);
    ASSERT_TRUE(doc) << error;
    EXPECT_EQ((*doc)["securityContext"]["allowPrivilegeEscalation"], false)
        << "uid 0 holds SYS_ADMIN from the start: no_new_privs takes nothing from it, and the API "
           "server refuses the pair only when spelled CAP_SYS_ADMIN";

    Report user = web_server();
    user.user = "1000:2000";
    doc = load_yaml(render_format(user, "k8s"), error);
    ASSERT_TRUE(doc) << error;
    EXPECT_EQ((*doc)["securityContext"]["runAsUser"], 1000);
    EXPECT_EQ((*doc)["securityContext"]["runAsGroup"], 2000);
    EXPECT_EQ((*doc)["securityContext"]["allowPrivilegeEscalation"], true) << "the file capabilities need it";

    Report none;
    none.command = {"true"};
    none.success = true;
    doc = load_yaml(render_format(none, "k8s"), error);
    ASSERT_TRUE(doc) << error;
    EXPECT_EQ((*doc)["securityContext"]["capabilities"]["add"], json::array());
}

TEST(Formats, AnExecveFailureKeepsPrivilegeEscalationAllowed) {
    Report r;
    r.command = {"sh", "-c", "ping -c1 127.0.0.1"};
    r.cap_add = cap_bit(CAP_NET_RAW);
    Finding exec;
    exec.verdict = Verdict::capability;
    exec.capability = "NET_RAW";
    exec.event.name = "execve";
    r.findings.push_back(exec);
    std::string k8s = render_format(r, "k8s");
    EXPECT_NE(k8s.find("allowPrivilegeEscalation: true"), std::string::npos) << k8s;
    EXPECT_EQ(render_format(r, "systemd").find("NoNewPrivileges"), std::string::npos);
    EXPECT_NE(k8s.find("INCOMPLETE"), std::string::npos) << "report.success is false\n" << k8s;
}

TEST(Formats, Systemd) {
    Report r = web_server();
    r.user = "www-data";
    std::string out = render_format(r, "systemd");
    EXPECT_NE(out.find("[Service]\n"), std::string::npos) << out;
    EXPECT_NE(out.find("User=www-data\n"), std::string::npos) << out;
    EXPECT_NE(out.find("CapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_NET_BIND_SERVICE\n"),
              std::string::npos) << out;
    EXPECT_NE(out.find("AmbientCapabilities=CAP_SETGID CAP_SETUID CAP_NET_BIND_SERVICE\n"),
              std::string::npos) << out;
    EXPECT_NE(out.find("NoNewPrivileges=yes\n"), std::string::npos) << out;

    Report none;
    none.command = {"true"};
    std::string empty = render_format(none, "systemd");
    EXPECT_NE(empty.find("CapabilityBoundingSet=\n"), std::string::npos) << "empty = no capability\n" << empty;
}

TEST(Formats, UnknownFormatIsAUsageError) {
    try {
        render_format(web_server(), "helm");
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.exit_code(), 125);
        EXPECT_NE(std::string(e.what()).find("helm"), std::string::npos);
    }
}

}  // namespace
}  // namespace capprof

namespace capprof {
namespace {

// A command word with an escape sequence or invalid UTF-8 must neither reach
// the terminal raw nor change when pasted: bash's $'...' with octal bytes.
TEST(FormatsQuoting, ControlBytesAndInvalidUtf8UseAnsiCQuoting) {
    Report report;
    report.command = {"sh", "-c", "printf '\x1b[31m'", std::string("caf\xc3\xa9"), std::string("bad\xff")};
    const std::string line = render_format(report, "docker");
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line.find('\xff'), std::string::npos) << line;
    EXPECT_NE(line.find("$'printf \\'\\033[31m\\''"), std::string::npos) << line;
    EXPECT_NE(line.find("'caf\xc3\xa9'"), std::string::npos) << "valid UTF-8 stays readable: " << line;
    EXPECT_NE(line.find("$'bad\\377'"), std::string::npos) << line;
}

}  // namespace
}  // namespace capprof
