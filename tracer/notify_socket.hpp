#pragma once
// The NOTIFY_SOCKET capprof provides to a Type=notify service
// (sd_notify(3)): an AF_UNIX datagram socket in the abstract namespace, so
// that an isolated trial (its own mount namespace, the host's network
// namespace) reaches it without a file. Like systemd, it reads each
// sender's pid from its credentials (SO_PASSCRED): with NotifyAccess=main
// only the main process may say READY=1. A process that sends another pid
// than its own (systemd-notify sends its parent's) needs CAP_SYS_ADMIN
// (unix(7), SCM_CREDENTIALS); without it the kernel refuses, and
// systemd-notify sends again with its own pid, which systemd then ignores.
#include <sys/types.h>

#include <string>

namespace capprof {

class NotifySocket {
public:
    NotifySocket();  // throws UserError when the socket cannot be made
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The value of $NOTIFY_SOCKET: "@capprof-notify-PID-N".
    const std::string& address() const { return address_; }
    // Waits up to `timeout_ms` for datagrams; true once one held READY=1
    // from `only_from` (0: from any process).
    bool wait_ready(int timeout_ms, pid_t only_from = 0);

private:
    int fd_ = -1;
    std::string address_;
    bool ready_ = false;
};

// Whether an sd_notify message (newline-separated assignments) says READY=1.
bool notify_message_ready(const std::string& message);

}  // namespace capprof
