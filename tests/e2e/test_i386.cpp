// 32-bit (i386 compat) programs on x86_64: the syscall numbers and names
// differ (chown32, setuid32, ...); capprof must decode them with the i386
// table. The programs are the tests/progs sources built with `gcc -m32`
// (gcc-multilib) at test time; the tests skip where that is not possible.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

#ifdef CAPPROF_SOURCE_DIR
// Builds tests/progs/NAME.c as a 32-bit program in `dir`; empty if impossible.
std::string build_i386(const TempDir& dir, const std::string& name) {
    std::string out = dir / name;
    std::string src = source_dir() + "/tests/progs/" + name + ".c";
    CommandResult r = run_command({"gcc", "-m32", "-O2", "-pthread", "-o", out, src}, 60s);
    return r.exited(0) ? out : "";
}

#define CAPPROF_BUILD_I386(var, dir, name)                                                        \
    std::string var = build_i386(dir, name);                                                      \
    if (var.empty()) GTEST_SKIP() << "cannot build 32-bit programs here (gcc -m32 needs gcc-multilib)";

Expected i386_case(const std::string& binary, const std::string& name, std::vector<std::string> args,
                   const std::string& syscall, const std::string& err, const std::string& capability) {
    std::vector<std::string> command = {binary};
    command.insert(command.end(), args.begin(), args.end());
    Expected e = capability_case(name, std::move(command), syscall, err, capability);
    e.exe = binary;
    return e;
}

TEST(I386, Chown32NeedsChown) {
    require_root();
    TempDir tmp;
    CAPPROF_BUILD_I386(binary, tmp, "chown_file");
    std::string file = tmp.file("target");
    auto e = i386_case(binary, "chown_file", {file}, "chown32", "EPERM", "CHOWN");
    e.path = file;
    expect_capability_roundtrip(e);
}

TEST(I386, ShmctlThroughTheIpcMultiplexerNeedsIpcLock) {
    require_root();
    TempDir tmp;
    CAPPROF_BUILD_I386(binary, tmp, "shm_lock");
    // glibc on i386 makes shmctl through ipc(2): reported as shmctl.
    expect_capability_roundtrip(i386_case(binary, "shm_lock", {}, "shmctl", "EPERM", "IPC_LOCK"));
}

TEST(I386, WatchedErrnosThroughTheMultiplexersAndMmap2) {
    require_root();
    TempDir tmp;
    CAPPROF_BUILD_I386(memlock, tmp, "memlock_limit");
    // ENOMEM from shmctl made through ipc(2), EAGAIN from mmap2: the
    // (syscall, errno) pairs are watched with i386 numbers too.
    expect_capability_roundtrip(i386_case(memlock, "memlock_limit", {"shm"}, "shmctl", "ENOMEM", "IPC_LOCK"));
    expect_capability_roundtrip(i386_case(memlock, "memlock_limit", {"map_locked"}, "mmap2", "EAGAIN", "IPC_LOCK"));
    CAPPROF_BUILD_I386(fds, tmp, "unix_fds_inflight");
    auto e = i386_case(fds, "unix_fds_inflight", {}, "sendmsg", "ETOOMANYREFS", "SYS_RESOURCE");
    expect_finding(e);
    expect_fixed_by(e, "SYS_ADMIN");
}

TEST(I386, Setuid32NeedsSetuid) {
    require_root();
    TempDir tmp;
    CAPPROF_BUILD_I386(binary, tmp, "setuid_1000");
    expect_capability_roundtrip(i386_case(binary, "setuid_1000", {}, "setuid32", "EPERM", "SETUID"));
}

TEST(I386, BindPort80NeedsNetBindService) {
    require_root();
    TempDir tmp;
    CAPPROF_BUILD_I386(binary, tmp, "bind_port80");
    auto e = i386_case(binary, "bind_port80", {}, "bind", "EACCES", "NET_BIND_SERVICE");
    json f = expect_finding(e);
    if (!f.is_null()) {
        EXPECT_NE(f.value("args", "").find("0.0.0.0:80"), std::string::npos) << f.dump(2);
    }
    expect_fixed_by(e, "NET_BIND_SERVICE");
}
#endif

}  // namespace
}  // namespace capprof::e2e
