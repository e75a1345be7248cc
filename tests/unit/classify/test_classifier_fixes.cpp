// Answers that are safe to paste: a failure with another errno than
// EPERM/EACCES is reported only when a rule explains it, and no fix widens
// a chroot, "/" or a configuration directory or offers a capability a
// process without root could not use.
#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "classify/classifier.hpp"
#include "classify/collector.hpp"
#include "classify/protected_dirs.hpp"
#include "support/classify_fixture.hpp"
#include "support/canned_runner.hpp"

namespace capprof {
namespace {

using testing::dir;
using testing::Ev;
using testing::file;
using testing::host_context;
using testing::missing;

constexpr gid_t ftp_gid = 106;
constexpr uid_t ftp_uid = 102;

// vsftpd's session process after chroot("/srv/ftp") and setuid(ftp): it
// creates "/upload.txt" in the chroot's root directory.
Ev ftp_upload() { return Ev("openat", EACCES).sarg(2, O_WRONLY | O_CREAT).path("/upload.txt").uid(ftp_uid).groups(ftp_gid, {}); }

ClassifyContext chrooted(const std::string& root_on_host) {
    ClassifyContext c = host_context();
    c.root_on_host = root_on_host;
    c.components = {dir("/", 0, 0, 0755), missing("/upload.txt")};
    return c;
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ClassifyFixes, OtherErrnoWithoutARuleIsNoDenial) {
    Finding f = classify(Ev("mlock", ENOMEM).arg(0, 0x10000).arg(1, 4096), host_context());
    EXPECT_EQ(f.verdict, Verdict::unknown);
    EXPECT_FALSE(is_denial(f)) << "ENOMEM also means the range is not mapped";
    EXPECT_TRUE(is_denial(classify(Ev("getpid", EPERM), host_context())));
}

TEST(ClassifyFixes, CollectorDropsFailuresNoRuleExplains) {
    Collector collector;
    SyscallEvent e = testing::open_event(4242, "/usr/share/doc/x", EROFS);
    ASSERT_TRUE(collector.wants_details(e));
    collector.on_failure(e);
    EXPECT_TRUE(collector.findings().empty());
    EXPECT_FALSE(collector.wants_details(e)) << "a repeat is not classified again";
    EXPECT_EQ(collector.ignored_calls(), 2u);
    EXPECT_FALSE(collector.watched_failures().empty());
}

TEST(ClassifyFixes, NamespacedSysctlIsSetWithDockerSysctl) {
    Finding f = classify(Ev("openat", EROFS).sarg(2, O_WRONLY).path("/proc/sys/net/ipv4/ip_forward"),
                         host_context());
    EXPECT_EQ(f.verdict, Verdict::not_capability);
    EXPECT_TRUE(mentions(f.fix, "docker run --sysctl net.ipv4.ip_forward=VALUE")) << f.fix;
    Finding ipc = classify(Ev("openat", EROFS).sarg(2, O_WRONLY).path("/proc/sys/kernel/shmmax"), host_context());
    EXPECT_TRUE(mentions(ipc.fix, "--sysctl kernel.shmmax=VALUE")) << ipc.fix;
}

TEST(ClassifyFixes, HostWideSysctlIsSetOnTheHost) {
    Finding f = classify(Ev("openat", EROFS).sarg(2, O_WRONLY).path("/proc/sys/vm/swappiness"), host_context());
    EXPECT_EQ(f.verdict, Verdict::not_capability);
    EXPECT_TRUE(mentions(f.fix, "set it on the host (sysctl -w vm.swappiness=VALUE there)")) << f.fix;
    EXPECT_TRUE(mentions(f.fix, "--sysctl refuses it")) << f.fix;
    Finding sysrq = classify(Ev("openat", EROFS).sarg(2, O_WRONLY).path("/proc/sysrq-trigger"), host_context());
    EXPECT_EQ(sysrq.rule, "read-only-kernel-interface");
    EXPECT_TRUE(mentions(sysrq.fix, "on the host")) << sysrq.fix;
}

TEST(ClassifyFixes, UidMapNeedsSetfcapEvenWhenHeldInsideTheNamespace) {
    ClassifyContext c = host_context();
    c.same_userns = false;
    c.written = "0 0 1\n";
    Finding f = classify(Ev("write", EPERM).path("/proc/4242/uid_map").cap_eff(~0ull >> 23), c);
    EXPECT_EQ(f.verdict, Verdict::capability) << f.explanation;
    EXPECT_EQ(f.capability, "SETFCAP");
    EXPECT_EQ(f.rule, "userns-map-root");
    EXPECT_TRUE(mentions(f.explanation, "(\"0 0 1\\n\")")) << f.explanation;
}

TEST(ClassifyFixes, ChrootDirectoryIsNeverMadeWritable) {
    Finding f = classify(ftp_upload(), chrooted("/srv/ftp"));
    EXPECT_EQ(f.verdict, Verdict::file_permission);
    EXPECT_FALSE(mentions(f.fix, "chmod o+w")) << f.fix;
    EXPECT_FALSE(mentions(f.fix, "chown 102 /,") || mentions(f.fix, "chown 102 / ")) << f.fix;
    EXPECT_TRUE(mentions(f.fix, "keep / as it is (/ (/srv/ftp on the host) is the directory this process chrooted "
                                "into")) << f.fix;
    EXPECT_TRUE(mentions(f.fix, "mkdir /srv/ftp/data && chown 102 /srv/ftp/data")) << f.fix;
}

TEST(ClassifyFixes, ConfiguredChrootDirectoryIsNeverMadeWritable) {
    ClassifyContext c = host_context();
    c.chroot_dirs = {"/srv/ftp"};
    c.components = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), dir("/srv/ftp", 0, 0, 0755),
                    missing("/srv/ftp/x")};
    Finding f = classify(Ev("mkdir", EACCES).path("/srv/ftp/x").uid(ftp_uid).groups(ftp_gid, {}), c);
    EXPECT_TRUE(mentions(f.fix, "named as a chroot directory")) << f.fix;
    EXPECT_FALSE(mentions(f.fix, "chmod o+w")) << f.fix;
}

TEST(ClassifyFixes, ProcessThatLeftRootIsOfferedNoCapability) {
    Finding f = classify(ftp_upload(), chrooted("/srv/ftp"));
    EXPECT_FALSE(f.capability) << "uid 102 cannot use DAC_OVERRIDE";
    EXPECT_TRUE(f.alternatives.empty());
    EXPECT_TRUE(mentions(f.explanation, "--cap-add does not reach this call")) << f.explanation;
    EXPECT_TRUE(mentions(f.fix, "before the program switches to uid 102")) << f.fix;
}

TEST(ClassifyFixes, ProcessThatKeptARootIdMayStillUseTheCapability) {
    // seteuid(102) keeps the permitted set: the program can switch back.
    Ev e = ftp_upload();
    const_cast<SyscallEvent&>(e.get()).task.suid = 0;
    Finding f = classify(e, chrooted("/"));
    EXPECT_EQ(f.capability, "DAC_OVERRIDE");
}

TEST(ClassifyFixes, ConfigurationDirectoryIsNeverWidened) {
    ClassifyContext c = host_context();
    c.components = {dir("/", 0, 0, 0755), dir("/etc", 0, 0, 0755), dir("/etc/nginx", 0, 0, 0755),
                    missing("/etc/nginx/nginx.pid")};
    Finding f = classify(Ev("openat", EACCES).sarg(2, O_WRONLY | O_CREAT).path("/etc/nginx/nginx.pid").uid(33)
                             .groups(33, {}), c);
    EXPECT_FALSE(mentions(f.fix, "chmod o+w")) << f.fix;
    EXPECT_FALSE(mentions(f.fix, "chown 33 /etc/nginx")) << f.fix;
    EXPECT_TRUE(mentions(f.fix, "holds the system's configuration or programs")) << f.fix;
    EXPECT_TRUE(mentions(f.fix, "mkdir /var/lib/NAME && chown 33 /var/lib/NAME")) << f.fix;
}

TEST(ClassifyFixes, ConfigurationFileIsOpenedToTheProgramsGroupOnly) {
    ClassifyContext c = host_context();
    c.components = {dir("/", 0, 0, 0755), dir("/etc", 0, 0, 0755), dir("/etc/app", 0, 0, 0755),
                    file("/etc/app/key.pem", 0, 0, 0600)};
    Finding f = classify(Ev("openat", EACCES).sarg(2, O_RDONLY).path("/etc/app/key.pem").uid(33).groups(33, {}), c);
    EXPECT_EQ(f.fix, "chgrp 33 /etc/app/key.pem && chmod g+r /etc/app/key.pem (access for the program's group "
                     "only), or run as uid 0, or make this access before the program switches to uid 33");
}

TEST(ClassifyFixes, RootReadingAForeignFileKeepsTheUsualFix) {
    ClassifyContext c = host_context();
    c.components = {dir("/", 0, 0, 0755), dir("/srv", 0, 0, 0755), file("/srv/secret", 1000, 1000, 0600)};
    Finding f = classify(Ev("openat", EACCES).sarg(2, O_RDONLY).path("/srv/secret"), c);
    EXPECT_EQ(f.capability, "DAC_READ_SEARCH");
    EXPECT_EQ(f.fix, "chown 0 /srv/secret, or chmod o+r /srv/secret, or run as uid 1000");
}

TEST(ProtectedDirs, WhatMustKeepItsOwnerAndMode) {
    FixLimits host;
    EXPECT_TRUE(protected_dir_reason("/", host));
    EXPECT_TRUE(protected_dir_reason("/etc/ssh", host));
    EXPECT_TRUE(protected_dir_reason("/usr/local/bin", host));
    EXPECT_TRUE(protected_dir_reason("/var", host));
    EXPECT_FALSE(protected_dir_reason("/var/lib/nginx", host));
    EXPECT_FALSE(protected_dir_reason("/etcetera/x", host));
    FixLimits ftp{"/", {"/srv/ftp/"}};
    EXPECT_TRUE(protected_dir_reason("/srv/ftp", ftp));
    EXPECT_FALSE(protected_dir_reason("/srv/ftp/upload", ftp));
}

TEST(ProtectedDirs, ChrootDirectoriesOfDaemonConfigurations) {
    EXPECT_EQ(vsftpd_chroot_dirs("# c\nanon_root=/srv/ftp\nsecure_chroot_dir=/var/run/vsftpd/empty\n"
                                 "local_root=relative\nlisten=YES\n"),
              (std::vector<std::string>{"/srv/ftp", "/var/run/vsftpd/empty"}));
    EXPECT_EQ(sshd_chroot_dirs("Match Group sftp\n  ChrootDirectory /srv/sftp\nChrootDirectory %h\n"
                               "chrootdirectory none\n"),
              std::vector<std::string>{"/srv/sftp"});
}

}  // namespace
}  // namespace capprof
