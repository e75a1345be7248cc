// execve(2) from a non-leader thread: the kernel kills the other threads and
// the exec'ing thread takes over the leader's pid (PTRACE_EVENT_EXEC reports
// the former tid, ptrace(2) "execve(2) under ptrace"). The new program's
// exit status must be the workload's.
// Usage: hostile_thread_exec CODE  (the exec'd shell exits with CODE)
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char* code;

static void* exec_from_thread(void* unused) {
    (void)unused;
    char script[64];
    snprintf(script, sizeof script, "exit %s", code);
    execl("/bin/sh", "sh", "-c", script, (char*)NULL);
    return NULL;
}

static void* idle(void* unused) {
    (void)unused;
    for (;;) pause();
    return NULL;
}

int main(int argc, char** argv) {
    code = argc > 1 ? argv[1] : "0";
    pthread_t a, b;
    pthread_create(&a, NULL, idle, NULL);
    pthread_create(&b, NULL, exec_from_thread, NULL);
    for (;;) pause();
}
