// A parent that does not reap strangers, as PID 1 on some machines and in
// containers without --init: it is a child subreaper (prctl(2)
// PR_SET_CHILD_SUBREAPER), so every orphan of COMMAND comes to it instead of
// to init. It runs COMMAND in a session of its own and, the moment COMMAND
// has exited, lists every process left of that session or process group,
// zombie or not, and every process re-parented to the harness. Then it
// kills and reaps them, so that it leaves nothing either.
// Usage: reap_harness COMMAND [ARG...]
// Prints on stderr "reap_harness: exit N" (N as a shell reports it) and one
// "reap_harness: left PID STATE PPID PGRP SID COMM" line per process left.
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct stat_fields {
    char state;
    int ppid, pgrp, sid;
    char comm[64];
};

static int read_stat(int pid, struct stat_fields* out) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE* f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char* open = strchr(text, '(');
    char* close = strrchr(text, ')');
    if (!open || !close) return -1;
    size_t len = (size_t)(close - open - 1);
    if (len >= sizeof out->comm) len = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, len);
    out->comm[len] = '\0';
    return sscanf(close + 2, "%c %d %d %d", &out->state, &out->ppid, &out->pgrp, &out->sid) == 4 ? 0 : -1;
}

// Lists (and with `kill_them`, kills) what is left; returns how many.
static int leftovers(pid_t session, int kill_them) {
    DIR* proc = opendir("/proc");
    if (!proc) return -1;
    int count = 0;
    struct dirent* entry;
    while ((entry = readdir(proc))) {
        int pid = atoi(entry->d_name);
        if (pid <= 0 || pid == getpid()) continue;
        struct stat_fields st;
        if (read_stat(pid, &st) != 0) continue;
        if (st.sid != session && st.pgrp != session && st.ppid != getpid()) continue;
        ++count;
        if (kill_them) {
            kill(pid, SIGKILL);
        } else {
            fprintf(stderr, "reap_harness: left %d %c %d %d %d %s\n", pid, st.state, st.ppid, st.pgrp, st.sid,
                    st.comm);
        }
    }
    closedir(proc);
    return count;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: reap_harness COMMAND [ARG...]\n");
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        perror("reap_harness: PR_SET_CHILD_SUBREAPER");
        return 2;
    }
    pid_t child = fork();
    if (child == 0) {
        setsid();
        execvp(argv[1], argv + 1);
        perror("reap_harness: exec");
        _exit(127);
    }
    int status;
    while (waitpid(child, &status, 0) != child) {
    }
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    fprintf(stderr, "reap_harness: exit %d\n", code);
    leftovers(child, 0);
    // Leave nothing behind ourselves.
    for (int round = 0; round < 50 && leftovers(child, 1) > 0; ++round) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
        usleep(20000);
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    return 0;
}
