// drop_workers_server PORT: a pre-forking server in the style of apache2's
// prefork MPM. The parent (root) binds 127.0.0.1:PORT and forks two workers;
// each worker drops to nobody (setgroups, setgid, setuid to 65534), prints a
// warning when a call fails and carries on serving as whoever it still is.
// Each connection gets an HTTP/1.0 answer whose body is "uid=U gid=G\n".
// Runs until killed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void drop_privileges(void) {
    if (setgroups(0, NULL) != 0) perror("worker: setgroups");
    if (setgid(65534) != 0) perror("worker: setgid(65534)");
    if (setuid(65534) != 0) perror("worker: setuid(65534)");
}

static void serve(int listener) {
    drop_privileges();
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        char line[96];
        int n = snprintf(line, sizeof line, "HTTP/1.0 200 OK\r\n\r\nuid=%d gid=%d\n", (int)geteuid(),
                         (int)getegid());
        if (write(client, line, (size_t)n) < 0) perror("worker: write");
        close(client);
    }
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: drop_workers_server PORT\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr*)&address, sizeof address) != 0 || listen(listener, 16) != 0) {
        perror("drop_workers_server: bind");
        return 1;
    }
    for (int i = 0; i < 2; ++i) {
        pid_t pid = fork();
        if (pid == 0) serve(listener);
    }
    signal(SIGTERM, SIG_DFL);
    while (wait(NULL) > 0) {
    }
    return 0;
}
