// A bystander for the signal tests: not started by capprof, it must never
// receive what the workload sends. Prints "ready", then "got SIGNAL" for
// every SIGNAL it receives, for SECONDS.
// Usage: signal_sentinel SIGNAL SECONDS
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t received;
static void on_signal(int sig) { (void)sig; received++; }

int main(int argc, char** argv) {
    int sig = argc > 1 ? atoi(argv[1]) : SIGURG;
    int seconds = argc > 2 ? atoi(argv[2]) : 30;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(sig, &action, NULL);
    printf("ready\n");
    fflush(stdout);
    time_t end = time(NULL) + seconds;
    int reported = 0;
    while (time(NULL) < end) {
        usleep(20000);
        for (; reported < received; ++reported) {
            printf("got %d\n", sig);
            fflush(stdout);
        }
    }
    return 0;
}
