/* The known workload of bpf/collector.test.ts: waits for a line on stdin (so the loader is
 * attached and filtering on its pid), then does each thing once and prints, as one JSON line,
 * what the kernel told it (ports, fds, pids), which the test looks for in the recorded events:
 *   opens argv[1] (O_CREAT|O_WRONLY|O_TRUNC, 0640), writes argv[2] to it, closes it;
 *   listens on 127.0.0.1 (port from the kernel), connects a TCP socket to it, accepts;
 *   binds another socket to that port: EADDRINUSE;
 *   sends argv[3] by UDP (sendto) to a UDP socket of its own on 127.0.0.1;
 *   forks, and the child execs /bin/echo argv[4]; waits for it.
 * Build: cc -O2 -o workload workload.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	if (getsockname(fd, (struct sockaddr *)&a, &l))
		die("getsockname");
	return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: workload FILE TEXT UDP-TEXT ECHO-TEXT\n");
		return 2;
	}
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		return 1;

	int fd = openat(AT_FDCWD, argv[1], O_CREAT | O_WRONLY | O_TRUNC, 0640);
	if (fd < 0)
		die("openat");
	ssize_t wrote = write(fd, argv[2], strlen(argv[2]));
	close(fd);

	int srv = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(0);
	if (bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 4))
		die("listen");
	int port = port_of(srv);
	int cli = socket(AF_INET, SOCK_STREAM, 0);
	a = loopback(port);
	if (connect(cli, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	int cport = port_of(cli);
	int acc = accept(srv, NULL, NULL);
	if (acc < 0)
		die("accept");

	int dup_sock = socket(AF_INET, SOCK_STREAM, 0);
	int bind_res = bind(dup_sock, (struct sockaddr *)&a, sizeof(a));
	int bind_errno = errno;

	int ur = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in u = loopback(0);
	if (bind(ur, (struct sockaddr *)&u, sizeof(u)))
		die("bind udp");
	int uport = port_of(ur);
	int us = socket(AF_INET, SOCK_DGRAM, 0);
	u = loopback(uport);
	ssize_t sent = sendto(us, argv[3], strlen(argv[3]), 0, (struct sockaddr *)&u, sizeof(u));

	pid_t child = fork();
	if (child == 0) {
		char *args[] = { "echo", argv[4], NULL };
		execv("/bin/echo", args);
		_exit(127);
	}
	int status = 0;
	waitpid(child, &status, 0);

	printf("{\"pid\":%d,\"fd\":%d,\"wrote\":%zd,\"port\":%d,\"clientPort\":%d,\"clientFd\":%d,\"acceptFd\":%d,"
	       "\"bindRes\":%d,\"bindErrno\":%d,\"udpPort\":%d,\"udpFd\":%d,\"sent\":%zd,\"child\":%d,\"childStatus\":%d}\n",
	       getpid(), fd, wrote, port, cport, cli, acc, bind_res, bind_errno, uport, us, sent, child, status);
	fflush(stdout);
	close(acc);
	close(cli);
	close(srv);
	return 0;
}
