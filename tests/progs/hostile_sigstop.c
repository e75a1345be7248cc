// A workload that stops itself with SIGSTOP; a child wakes it with SIGCONT
// after 300 ms. Under a tracer the group-stop must stay a stop (PTRACE_LISTEN)
// and SIGCONT must resume it. Exits 4 after waking, 9 if never stopped.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t continued;
static void on_cont(int sig) { (void)sig; continued = 1; }

int main(void) {
    signal(SIGCONT, on_cont);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec wait = {0, 300 * 1000 * 1000};
        nanosleep(&wait, NULL);
        kill(parent, SIGCONT);
        _exit(0);
    }
    raise(SIGSTOP);
    waitpid(child, NULL, 0);
    return continued ? 4 : 9;
}
