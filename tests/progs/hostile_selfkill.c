// A workload that kills itself with SIGKILL after one failing call: capprof
// must exit 137 (128 + 9), as a shell would.
#include <signal.h>
#include <unistd.h>

int main(void) {
    setuid(1000);  // fails with EPERM without CAP_SETUID: one finding
    kill(getpid(), SIGKILL);
    pause();
    return 0;
}
