// bare_loop: the least a seccomp-free ptrace tracer can do, as a yardstick
// for capprof's overhead. It follows every child (fork, vfork, clone, exec),
// reads PTRACE_GET_SYSCALL_INFO at each syscall stop, counts exits failing
// with EPERM/EACCES, re-injects signals, and nothing else.
//
// Its options select a CPU-placement variant, so that each design can be
// measured on the same loop (docs/PERFORMANCE.md):
//   --pin none     no affinity change (default)
//   --pin all      tracer and workload on one CPU (the workload inherits the
//                  mask: sched_getaffinity/nproc in the workload see 1 CPU)
//   --pin tracer   only the tracer on one CPU; the workload gets the full mask
//   --cpu N        the CPU for --pin (default: the one the loop starts on,
//                  as capprof does)
//   --follow       before blocking, the tracer moves itself to the CPU it was
//                  woken on (sched_getcpu), if it changed
//   --spin-us N    poll waitpid(WNOHANG) for up to N microseconds before
//                  blocking in waitpid
//   --keep-awake   one SCHED_IDLE busy thread per allowed CPU, so no virtual
//                  CPU halts (they yield to any other task at once)
//   --keep-busy    the same with nice 19 SCHED_OTHER threads: no CPU looks
//                  idle to the scheduler, so wake-ups stay on the waker's CPU
//   --fifo         the tracer runs SCHED_FIFO priority 1
// Prints "bare_loop: syscalls=N failures=M tasks=T" on stderr with -v.
// Exit status: the workload's (128+N when killed by signal N).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum pin_mode { PIN_NONE, PIN_ALL, PIN_TRACER };

struct options {
    enum pin_mode pin;
    int cpu;
    bool follow;
    long spin_us;
    bool keep_awake;
    bool keep_busy;
    bool fifo;
    bool verbose;
    char** argv;
};

static void usage(void) {
    fprintf(stderr,
            "usage: bare_loop [--pin none|all|tracer] [--cpu N] [--follow] [--spin-us N]\n"
            "                 [--keep-awake|--keep-busy] [--fifo] [-v] -- COMMAND [ARG...]\n");
    exit(125);
}

static struct options parse(int argc, char** argv) {
    struct options o = {.pin = PIN_NONE, .cpu = -1};
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
        const char* a = argv[i];
        const char* next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--pin") && next) {
            ++i;
            if (!strcmp(next, "none")) o.pin = PIN_NONE;
            else if (!strcmp(next, "all")) o.pin = PIN_ALL;
            else if (!strcmp(next, "tracer")) o.pin = PIN_TRACER;
            else usage();
        } else if (!strcmp(a, "--cpu") && next) {
            o.cpu = atoi(argv[++i]);
        } else if (!strcmp(a, "--spin-us") && next) {
            o.spin_us = atol(argv[++i]);
        } else if (!strcmp(a, "--follow")) {
            o.follow = true;
        } else if (!strcmp(a, "--keep-awake")) {
            o.keep_awake = true;
        } else if (!strcmp(a, "--keep-busy")) {
            o.keep_busy = true;
        } else if (!strcmp(a, "--fifo")) {
            o.fifo = true;
        } else if (!strcmp(a, "-v")) {
            o.verbose = true;
        } else {
            usage();
        }
    }
    if (i + 1 >= argc) usage();
    o.argv = argv + i + 1;
    return o;
}

static void die(const char* what) {
    perror(what);
    exit(125);
}

static void pin_self(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

// A SCHED_IDLE thread that keeps one virtual CPU busy: a halted vCPU takes
// tens of microseconds to wake on a KVM guest without halt polling, and a CPU
// running only SCHED_IDLE tasks still counts as idle for wake-up placement.
static bool spinners_idle;

static void* keep_awake(void* arg) {
    int cpu = (int)(intptr_t)arg;
    pin_self(cpu);
    struct sched_param none = {0};
    if (spinners_idle) {
        if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) return NULL;
    } else if (setpriority(PRIO_PROCESS, (id_t)gettid(), 19) != 0) {
        return NULL;
    }
    for (;;) __builtin_ia32_pause();
    return NULL;
}

static void start_spinners(bool idle) {
    spinners_idle = idle;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) die("sched_getaffinity");
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        pthread_t t;
        if (pthread_create(&t, NULL, keep_awake, (void*)(intptr_t)cpu) != 0) die("pthread_create");
        pthread_detach(t);
    }
}

// The workload starts blocked on a pipe so that it can be seized before exec.
static pid_t start_workload(const struct options* o, int* release_fd) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) die("pipe2");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        if (o->pin == PIN_TRACER) {  // give the workload every CPU back
            cpu_set_t all;
            CPU_ZERO(&all);
            for (int c = 0; c < CPU_SETSIZE; ++c) CPU_SET(c, &all);
            sched_setaffinity(0, sizeof all, &all);
        }
        if (o->fifo) {
            struct sched_param p = {0};
            sched_setscheduler(0, SCHED_OTHER, &p);
        }
        char go;
        close(fds[1]);
        if (read(fds[0], &go, 1) != 1) _exit(125);
        execvp(o->argv[0], o->argv);
        fprintf(stderr, "bare_loop: %s: %s\n", o->argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(fds[0]);
    *release_fd = fds[1];
    return pid;
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static pid_t wait_any(const struct options* o, int* status) {
    if (o->spin_us > 0) {
        long long until = now_ns() + o->spin_us * 1000LL;
        do {
            pid_t pid = waitpid(-1, status, __WALL | WNOHANG);
            if (pid != 0) return pid;
        } while (now_ns() < until);
    }
    return waitpid(-1, status, __WALL);
}

static bool is_stop_signal(int sig) {
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

int main(int argc, char** argv) {
    struct options o = parse(argc, argv);
    if (o.pin == PIN_ALL || o.pin == PIN_TRACER) pin_self(o.cpu >= 0 ? o.cpu : sched_getcpu());
    if (o.keep_awake || o.keep_busy) start_spinners(o.keep_awake);
    if (o.fifo) {
        struct sched_param p = {.sched_priority = 1};
        if (sched_setscheduler(0, SCHED_FIFO, &p) != 0) die("sched_setscheduler");
    }

    int release_fd;
    pid_t root = start_workload(&o, &release_fd);
    long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SEIZE, root, 0, opts) != 0) die("PTRACE_SEIZE");
    if (ptrace(PTRACE_INTERRUPT, root, 0, 0) != 0) die("PTRACE_INTERRUPT");
    bool released = false;

    unsigned long long syscalls = 0, failures = 0, tasks = 1;
    int root_status = 0, cpu = -1;
    for (;;) {
        int status;
        pid_t pid = wait_any(&o, &status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            if (errno == ECHILD) break;
            die("waitpid");
        }
        if (o.follow) {  // stay where the last stop woke us
            int here = sched_getcpu();
            if (here != cpu) {
                pin_self(here);
                cpu = here;
            }
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == root) root_status = status;
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16, inject = 0;
        enum __ptrace_request resume = PTRACE_SYSCALL;
        if (sig == (SIGTRAP | 0x80)) {
            struct __ptrace_syscall_info info;  // glibc 2.36 spelling
            if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0 &&
                info.op == PTRACE_SYSCALL_INFO_EXIT) {
                ++syscalls;
                if (info.exit.is_error &&
                    (info.exit.rval == -EPERM || info.exit.rval == -EACCES))
                    ++failures;
            }
        } else if (event == PTRACE_EVENT_STOP) {
            if (!released) {  // the first stop of the workload: let it exec
                released = true;
                if (write(release_fd, "", 1) != 1) die("write");
                close(release_fd);
            } else if (is_stop_signal(sig)) {
                resume = PTRACE_LISTEN;  // group-stop: stay stopped (ptrace(2))
            }
        } else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                   event == PTRACE_EVENT_CLONE) {
            ++tasks;
        } else if (event == 0) {
            inject = sig;  // signal-delivery-stop: deliver it
        }
        // ESRCH: the task died meanwhile; its exit status is coming.
        ptrace(resume, pid, 0, inject);
    }
    if (o.verbose)
        fprintf(stderr, "bare_loop: syscalls=%llu failures=%llu tasks=%llu\n", syscalls,
                failures, tasks);
    if (WIFSIGNALED(root_status)) return 128 + WTERMSIG(root_status);
    return WEXITSTATUS(root_status);
}
