// Fixes that do no harm, on a real chrooting daemon: vsftpd serves an
// anonymous FTP root from a test directory, chroots into it and switches
// to the ftp user, and an upload into the (root-owned, not writable) root
// is refused. capprof must not suggest making the chroot writable or
// handing it to ftp (vsftpd then refuses to run: "refusing to run with
// writable root inside chroot()"), nor DAC_OVERRIDE, which the ftp user's
// process could not use.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

constexpr int ftp_port = 2121;

bool port_free(int port) {
    return !sh("ss -Hltn 'sport = :" + std::to_string(port) + "' | grep -q .").exited(0);
}

std::string vsftpd_config(const std::string& root) {
    return "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port=" + std::to_string(ftp_port) +
           "\nbackground=NO\nanonymous_enable=YES\nanon_root=" + root +
           "\nno_anon_password=YES\nwrite_enable=YES\nanon_upload_enable=YES\nlocal_enable=NO\n"
           "seccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\npasv_enable=YES\npasv_address=127.0.0.1\n"
           "pasv_min_port=30000\npasv_max_port=30100\nsecure_chroot_dir=/var/run/vsftpd/empty\n"
           "xferlog_enable=NO\n";
}

// Whether `fix` widens or gives away `dir`: "chmod o+w DIR", "chown 102 DIR".
bool widens(const std::string& fix, const std::string& dir) {
    const std::string escaped = std::regex_replace(dir, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    const std::regex harmful("(chmod [ugoa]*\\+[rwx]*w[rwx]* |chown [0-9a-z_:]+ )" + escaped + "($|[ ,;)])");
    return std::regex_search(fix, harmful);
}

TEST(SafeFixes, ChrootingFtpServerGetsNoWritableChrootAdvice) {
    require_root();
    if (!have_program("vsftpd")) GTEST_SKIP() << "vsftpd is not installed (scripts/setup.sh installs it)";
    if (!have_program("curl")) GTEST_SKIP() << "curl is not installed";
    if (!port_free(ftp_port)) GTEST_SKIP() << "port " << ftp_port << " is already in use on this machine";
    if (sh("test -d /var/run/vsftpd/empty").exit_code != 0)
        GTEST_SKIP() << "vsftpd's secure_chroot_dir /var/run/vsftpd/empty is missing";
    TempDir tmp;
    const std::string root = tmp.dir("ftproot");  // root-owned 0755: vsftpd's rule for a chroot
    std::ofstream(tmp / "vsftpd.conf") << vsftpd_config(root);
    const std::string upload = tmp.file("upload.txt", 0644, 0, 0, "hello\n");

    // vsftpd needs these to chroot and switch to ftp; the upload is then refused by the mode of the root.
    Process capprof({capprof_bin(), "run", "--cap-add", "SETUID,SETGID,SYS_CHROOT", "--duration", "5", "--json",
                     tmp / "report.json", "--", "vsftpd", tmp / "vsftpd.conf"});
    CommandResult curl;
    bool answered = false;
    for (int i = 0; i < 60 && !answered; ++i) {
        std::this_thread::sleep_for(50ms);
        curl = run_command({"curl", "-sS", "--max-time", "3", "-T", upload,
                            "ftp://127.0.0.1:" + std::to_string(ftp_port) + "/upload.txt"}, 10s);
        answered = curl.err.find("Failed to connect") == std::string::npos &&
                   curl.err.find("Couldn't connect") == std::string::npos;
    }
    CommandResult result = capprof.wait(30s);
    ASSERT_TRUE(answered) << "vsftpd never answered on port " << ftp_port << "\n" << curl << result;
    EXPECT_NE(curl.err.find("553"), std::string::npos) << "vsftpd refused the upload into its root\n" << curl;
    json report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    ASSERT_TRUE(report.is_object()) << result;

    bool upload_finding = false;
    for (const auto& f : report["findings"]) {
        const std::string fix = f.value("fix", "");
        EXPECT_FALSE(widens(fix, "/")) << f.dump(2);
        EXPECT_FALSE(widens(fix, root)) << f.dump(2);
        EXPECT_FALSE(widens(fix, "/var/run/vsftpd/empty") || widens(fix, "/run/vsftpd/empty")) << f.dump(2);
        if (f.value("verdict", "") == "file-permission") {
            EXPECT_TRUE(f["capability"].is_null()) << "the ftp user's process cannot use a capability\n"
                                                   << f.dump(2);
        }
        if (f.value("path", "") == "/upload.txt") {
            upload_finding = true;
            EXPECT_NE(fix.find("keep / as it is"), std::string::npos) << f.dump(2);
            EXPECT_NE(fix.find("mkdir " + root + "/"), std::string::npos) << f.dump(2);
        }
    }
    EXPECT_TRUE(upload_finding) << "the refused upload is a finding\n" << report.dump(2);
    for (const char* list : {"cap_add", "optional"}) {
        EXPECT_FALSE(json_array_contains(report[list], "DAC_OVERRIDE")) << report.dump(2);
        EXPECT_FALSE(json_array_contains(report[list], "DAC_READ_SEARCH")) << report.dump(2);
    }
}

}  // namespace
}  // namespace capprof::e2e
