// --format output of a real minimize run: YAML that a real parser loads, a
// docker line that setpriv confirms; decode and inspect through the binary.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

bool have_pyyaml() { return run_command({"/usr/bin/python3", "-c", "import yaml"}, 10s).exited(0); }

// PyYAML's safe_load of `text`, as JSON (null when it does not parse).
json load_yaml(const std::string& text, std::string& error) {
    CommandResult r = run_command(
        {"/usr/bin/python3", "-c", "import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin)))"}, 20s,
        SpawnOptions{text, std::nullopt, true});
    if (!r.exited(0)) {
        error = r.err;
        return nullptr;
    }
    return json::parse(r.out, nullptr, false);
}

// `capprof minimize --format FORMAT --report FILE -- bind_port80`: the text of FILE.
std::string minimize_format(const std::string& format) {
    TempDir tmp;
    std::string report = tmp / "out";
    CommandResult r = run_command({capprof_bin(), "minimize", "-q", "--format", format, "--report", report, "--",
                                   prog("bind_port80")},
                                  60s);
    EXPECT_TRUE(r.exited(0)) << r;
    return read_file(report);
}

TEST(FormatsE2E, KubernetesAndComposeParseAsYaml) {
    require_root();
    if (!have_pyyaml()) GTEST_SKIP() << "python3-yaml is not installed (scripts/setup.sh installs it)";
    std::string error;
    std::string k8s_text = minimize_format("k8s");
    json k8s = load_yaml(k8s_text, error);
    ASSERT_TRUE(k8s.is_object()) << error << k8s_text;
    EXPECT_EQ(k8s["securityContext"]["capabilities"]["add"], json({"NET_BIND_SERVICE"})) << k8s_text;
    EXPECT_EQ(k8s["securityContext"]["capabilities"]["drop"], json({"ALL"})) << k8s_text;
    EXPECT_EQ(k8s["securityContext"]["allowPrivilegeEscalation"], false) << k8s_text;
    EXPECT_NE(k8s_text.find("low risk, in Docker's default set"), std::string::npos) << k8s_text;

    std::string compose_text = minimize_format("compose");
    json compose = load_yaml(compose_text, error);
    ASSERT_TRUE(compose.is_object()) << error << compose_text;
    EXPECT_EQ(compose["services"]["app"]["cap_add"], json({"NET_BIND_SERVICE"})) << compose_text;
    EXPECT_EQ(compose["services"]["app"]["cap_drop"], json({"ALL"})) << compose_text;
    EXPECT_EQ(compose["services"]["app"]["command"], json({prog("bind_port80")})) << compose_text;
}

TEST(FormatsE2E, DockerAndSystemd) {
    require_root();
    std::string docker = minimize_format("docker");
    EXPECT_NE(docker.find("docker run --cap-drop ALL --cap-add NET_BIND_SERVICE "), std::string::npos) << docker;
    EXPECT_NE(docker.find("IMAGE " + prog("bind_port80")), std::string::npos) << docker;
    EXPECT_NE(docker.find("Docker 20.10+"), std::string::npos) << docker;
    std::string systemd = minimize_format("systemd");
    EXPECT_NE(systemd.find("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"), std::string::npos) << systemd;
    EXPECT_NE(systemd.find("AmbientCapabilities=CAP_NET_BIND_SERVICE\n"), std::string::npos) << systemd;
    EXPECT_NE(systemd.find("NoNewPrivileges=yes\n"), std::string::npos) << systemd;
}

TEST(FormatsE2E, MinimizeFormatK8sRedirectedToAFileHoldsOnlyTheAnswer) {
    require_root();
    if (!have_pyyaml()) GTEST_SKIP() << "python3-yaml is not installed (scripts/setup.sh installs it)";
    TempDir tmp;
    const std::string file = tmp / "k8s.yaml";
    CommandResult r = sh(capprof_bin() + " minimize --format k8s -- " + prog("bind_port80") + " > " + file, 60s);
    EXPECT_TRUE(r.exited(0)) << r;
    const std::string text = read_file(file);
    std::string error;
    json k8s = load_yaml(text, error);
    ASSERT_TRUE(k8s.is_object()) << error << text;
    EXPECT_EQ(k8s.size(), 1u) << "the securityContext and nothing else\n" << text;
    EXPECT_EQ(k8s["securityContext"]["capabilities"]["add"], json({"NET_BIND_SERVICE"})) << text;
    EXPECT_EQ(text.find("bind_port80 pid="), std::string::npos) << "the workload's output went to stderr\n" << text;
    EXPECT_NE(r.err.find("bind_port80 pid="), std::string::npos) << r;
    EXPECT_NE(r.err.find("minimal: NET_BIND_SERVICE"), std::string::npos) << "progress on stderr\n" << r;
}

// The line of `text` that starts with `prefix` ("" if none).
std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(prefix, 0) == 0) return line;
    return "";
}

// `program` as `docker run --user www-data --cap-drop ALL --cap-add
// NET_BIND_SERVICE` starts it (KERNEL-NOTES): the capability in the bounding
// set only, nothing permitted when it executes as uid 33. setpriv sets the
// bounding set as root (SETUID and SETGID stay for capsh's --user, they do
// not change the outcome); capsh becomes www-data, empties its permitted set
// (--caps=; capsh would otherwise keep it across --user, and no_new_privs
// then lets a file capability within it through) and executes the program.
CommandResult as_docker_user(const std::string& program, bool no_new_privs = false) {
    std::vector<std::string> argv{"setpriv", "--bounding-set=-all,+net_bind_service,+setuid,+setgid",
                                  "--inh-caps=-all", "--ambient-caps=-all"};
    if (no_new_privs) argv.push_back("--no-new-privs");
    argv.insert(argv.end(), {"--", "capsh", "--user=www-data", "--caps=", "--shell=" + program, "--"});
    return run_command(argv, 20s);
}

TEST(FormatsE2E, NonRootUserWithALowPortGetsAnAnswerThatWorks) {
    require_root();
    TempDir tmp;
    const std::string server = tmp / "server";
    std::filesystem::copy_file(prog("bind_port80"), server);
    ::chmod(server.c_str(), 0755);
    CommandResult r =
        run_command({capprof_bin(), "minimize", "--user", "www-data", "--format", "docker", "--", server}, 120s);
    ASSERT_TRUE(r.exited(0)) << r;
    const std::string setcap = "setcap cap_net_bind_service+ep " + server;
    const std::string line = line_starting(r.out, "docker run ");
    EXPECT_NE(line.find("--cap-add NET_BIND_SERVICE"), std::string::npos) << r.out;
    EXPECT_NE(line.find("--user www-data IMAGE " + server + "  # only with the file capability in IMAGE: " + setcap),
              std::string::npos)
        << "the line says what it needs\n" << r.out;
    EXPECT_EQ(line.find("no-new-privileges"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("#   RUN " + setcap + "\n"), std::string::npos) << r.out;

    // Check the wording on this machine: the set alone does not bind port 80 ...
    EXPECT_TRUE(as_docker_user(server).exited(1)) << "Docker's --cap-add gives a non-root user nothing";
    // ... the image build's setcap line makes it work ...
    ASSERT_TRUE(sh(setcap).exited(0));
    CommandResult works = as_docker_user(server);
    EXPECT_TRUE(works.exited(0)) << works;
    // ... and no-new-privileges would undo it, which is why the line leaves it out.
    EXPECT_TRUE(as_docker_user(server, true).exited(1));
}

TEST(FormatsE2E, RootAnswerKeepsNoNewPrivileges) {
    require_root();
    CommandResult r = run_command({capprof_bin(), "minimize", "--format", "docker", "--", prog("bind_port80")}, 60s);
    ASSERT_TRUE(r.exited(0)) << r;
    EXPECT_NE(line_starting(r.out, "docker run ").find("--security-opt no-new-privileges"), std::string::npos) << r;
    EXPECT_EQ(r.out.find("setcap"), std::string::npos) << r;
}

TEST(FormatsE2E, DecodeLikeCapsh) {
    CommandResult r = run_command({capprof_bin(), "decode", "0x0000000000000400"}, 10s);
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_EQ(r.out, "0x0000000000000400=cap_net_bind_service\ndocker: NET_BIND_SERVICE\n") << r;
    if (have_program("capsh")) {
        CommandResult capsh = run_command({"capsh", "--decode=4c1"}, 10s);
        CommandResult ours = run_command({capprof_bin(), "decode", "4c1"}, 10s);
        EXPECT_EQ(ours.out.substr(0, ours.out.find('\n') + 1), capsh.out) << ours << capsh;
    }
    CommandResult bad = run_command({capprof_bin(), "decode", "0xnothex"}, 10s);
    EXPECT_TRUE(bad.exited(125)) << bad;
    EXPECT_EQ(line_count(bad.err), 1u) << bad;
    EXPECT_NE(bad.err.find("0xnothex"), std::string::npos) << bad;
}

TEST(FormatsE2E, InspectARunningProcess) {
    require_root();  // setpriv --bounding-set needs SETPCAP
    Background sleeper({"setpriv", "--bounding-set=-all,+chown", "--", "sleep", "30"});
    ASSERT_TRUE(wait_for_exec(sleeper.pid(), "sleep")) << "sleep did not start";
    CommandResult r = run_command({capprof_bin(), "inspect", std::to_string(sleeper.pid())}, 10s);
    EXPECT_TRUE(r.exited(0)) << r;
    EXPECT_NE(r.out.find("pid " + std::to_string(sleeper.pid()) + " sleep"), std::string::npos) << r;
    EXPECT_NE(r.out.find("CapBnd  0000000000000001  CHOWN"), std::string::npos) << r;
    EXPECT_NE(r.out.find("NoNewPrivs  0"), std::string::npos) << r;
    EXPECT_NE(r.out.find("Seccomp     "), std::string::npos) << r;

    CommandResult gone = run_command({capprof_bin(), "inspect", "999999999"}, 10s);
    EXPECT_TRUE(gone.exited(125)) << gone;
    EXPECT_NE(gone.err.find("999999999"), std::string::npos) << gone;
}

}  // namespace
}  // namespace capprof::e2e
