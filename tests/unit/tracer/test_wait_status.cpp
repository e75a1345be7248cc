// WaitStatus: each kind of ptrace stop is told apart as ptrace(2) describes.
#include <gtest/gtest.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <csignal>

#include "wait_status.hpp"

namespace capprof {
namespace {

using Kind = WaitStatus::Kind;

TEST(WaitStatus, ExitAndFatalSignal) {
    auto exited = WaitStatus::for_exit_code(42);
    EXPECT_EQ(exited.kind(), Kind::exited);
    EXPECT_EQ(exited.exit_code(), 42);
    EXPECT_TRUE(WIFEXITED(exited.raw()));
    auto killed = WaitStatus::for_fatal_signal(SIGKILL);
    EXPECT_EQ(killed.kind(), Kind::killed);
    EXPECT_EQ(killed.fatal_signal(), SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(killed.raw()));
}

TEST(WaitStatus, SyscallStopHasTheTraceSysGoodBit) {
    auto stop = WaitStatus::for_syscall_stop();
    EXPECT_EQ(stop.kind(), Kind::syscall_stop);
    EXPECT_EQ(WSTOPSIG(stop.raw()), SIGTRAP | 0x80);
    // A plain SIGTRAP is a signal-delivery-stop, not a syscall stop.
    EXPECT_EQ(WaitStatus::for_signal_stop(SIGTRAP).kind(), Kind::signal_stop);
}

TEST(WaitStatus, PtraceEvents) {
    auto fork = WaitStatus::for_ptrace_event(PTRACE_EVENT_FORK);
    EXPECT_EQ(fork.kind(), Kind::ptrace_event);
    EXPECT_EQ(fork.ptrace_event(), PTRACE_EVENT_FORK);
    EXPECT_EQ(WaitStatus::for_ptrace_event(PTRACE_EVENT_EXEC).ptrace_event(), PTRACE_EVENT_EXEC);
    EXPECT_EQ(WaitStatus::for_ptrace_event(PTRACE_EVENT_CLONE).kind(), Kind::ptrace_event);
}

TEST(WaitStatus, GroupStopVersusInterruptStop) {
    for (int signal : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) {
        auto stop = WaitStatus::for_group_stop(signal);
        EXPECT_EQ(stop.kind(), Kind::group_stop) << signal;
        EXPECT_EQ(stop.stop_signal(), signal);
    }
    // PTRACE_EVENT_STOP with SIGTRAP: a new child's first stop or a wake-up
    // from PTRACE_LISTEN, not a group-stop.
    auto interrupt = WaitStatus::for_ptrace_event(PTRACE_EVENT_STOP, SIGTRAP);
    EXPECT_EQ(interrupt.kind(), Kind::ptrace_event);
    EXPECT_EQ(interrupt.ptrace_event(), PTRACE_EVENT_STOP);
}

TEST(WaitStatus, SignalDeliveryStop) {
    auto stop = WaitStatus::for_signal_stop(SIGTERM);
    EXPECT_EQ(stop.kind(), Kind::signal_stop);
    EXPECT_EQ(stop.stop_signal(), SIGTERM);
    EXPECT_EQ(stop.ptrace_event(), 0);
}

}  // namespace
}  // namespace capprof
