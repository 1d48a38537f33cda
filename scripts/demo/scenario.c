// The demo capture's actors (scripts/record-demo.sh): one program, whose role is the name it is
// run as, so that each actor has its own process name (comm) in the capture, as the seed
// stories' processes had.
//
//   keepalived PORT BEATS STALL_AT   a VRRP-like heartbeat: a 40-byte UDP sendmsg to
//                                    127.0.0.1:PORT every second; before beat STALL_AT it is
//                                    stuck for 5 s computing (burn_cpu_hot_loop: the profile
//                                    shows it), the gap of the OpenStack keepalived story
//   stale-httpd PORT SECONDS          holds 127.0.0.1:PORT (listening) for SECONDS
//   httpd PORT                        Apache's start: bind 127.0.0.1:PORT fails EADDRINUSE,
//                                    it logs AH00072 and exits 1 (the "apache fails to start"
//                                    talk)
//   worker-pool CGROUP_DIR...         forks a worker, moves it into the cgroups, then lets it
//                                    exec itself as the worker (which writes a log and exits):
//                                    the fork/clone story, its cgroups in the exec event
//   mysql                             reads a password from /dev/tty (a pty under script(1))
//                                    with echo off, then fails to connect to 127.0.0.1:3306
//                                    (the secret read from a terminal-like fd)
//
// Built with frame pointers so that the profile's stacks reach main.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

volatile unsigned long sink;

// The CPU-heavy function of the story: reads memory so that it is not a const function (gcc
// would call one of those once, out of the caller's loop).
__attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n)
{
	unsigned long x = sink;
	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005ul + i;
	return x;
}

// Recomputes something big for `seconds`, no system call meanwhile.
__attribute__((noinline)) static void recompute_state(double seconds)
{
	double end = now() + seconds;
	while (now() < end)
		sink += burn_cpu_hot_loop(5000000);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int keepalived(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int port = atoi(argv[1]), beats = atoi(argv[2]), stall_at = atoi(argv[3]);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = loopback(port);
	unsigned char vrrp[40] = { 0x21, 51, 100, 1 }; // version 2, advertisement, vrid 51, prio 100
	for (int i = 1; i <= beats; i++) {
		if (i == stall_at)
			recompute_state(5.0);
		else if (i > 1)
			usleep(1000000);
		struct iovec iov = { vrrp, sizeof(vrrp) };
		struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1 };
		if (sendmsg(fd, &msg, 0) < 0)
			perror("keepalived: sendmsg");
	}
	close(fd);
	return 0;
}

static int listen_on(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)); // as Apache does
	struct sockaddr_in a = loopback(port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -errno;
	if (listen(fd, 16) < 0)
		return -errno;
	return fd;
}

static int stale_httpd(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int fd = listen_on(atoi(argv[1]));
	if (fd < 0) {
		fprintf(stderr, "stale-httpd: bind: %s\n", strerror(-fd));
		return 1;
	}
	sleep(atoi(argv[2]));
	close(fd);
	return 0;
}

static int httpd(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int port = atoi(argv[1]);
	// Apache reads its configuration first.
	int conf = open("/etc/hostname", O_RDONLY);
	if (conf >= 0) {
		char buf[256];
		if (read(conf, buf, sizeof(buf)) < 0)
			perror("httpd: read");
		close(conf);
	}
	int fd = listen_on(port);
	if (fd < 0) {
		fprintf(stderr, "(%d)%s: AH00072: make_sock: could not bind to address 127.0.0.1:%d\n", -fd, strerror(-fd), port);
		fprintf(stderr, "no listening sockets available, shutting down\n");
		return 1;
	}
	close(fd);
	return 0;
}

static int worker_pool(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "--worker")) {
		// The worker, after its exec: it starts in its own cgroup, which its exec event says.
		int log = open("/tmp/casefile-demo-worker.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dprintf(log, "worker %d started\n", getpid());
		close(log);
		return 0;
	}
	// Its own path (exec through /proc/self/exe would name the worker "exe").
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = 0;
	int go[2];
	if (pipe(go) < 0)
		return 1;
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1) // wait until moved into its cgroups
			_exit(1);
		close(go[0]);
		execl(self, argv[0], "--worker", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	// Into each cgroup named (the v2 one, and a v1 one on a hybrid host: the exec event's
	// cgroups parameter lists the v1 controllers' paths).
	for (int i = 1; i < argc; i++) {
		char path[512], pid[32];
		snprintf(path, sizeof(path), "%s/cgroup.procs", argv[i]);
		int procs = open(path, O_WRONLY);
		int n = snprintf(pid, sizeof(pid), "%d\n", child);
		if (procs < 0 || write(procs, pid, n) != n)
			perror("worker-pool: moving the worker into its cgroup");
		if (procs >= 0)
			close(procs);
	}
	if (write(go[1], "g", 1) != 1)
		perror("worker-pool: write");
	close(go[1]);
	int status;
	waitpid(child, &status, 0);
	return 0;
}

static int mysql(void)
{
	// As the mysql client does: the password from the controlling terminal, echo off.
	int tty = open("/dev/tty", O_RDWR);
	if (tty < 0) {
		perror("mysql: /dev/tty");
		return 1;
	}
	struct termios old, quiet;
	int have = tcgetattr(tty, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~ECHO;
		tcsetattr(tty, TCSANOW, &quiet);
	}
	if (write(tty, "Enter password: ", 16) != 16)
		return 1;
	char pw[128];
	ssize_t n = read(tty, pw, sizeof(pw) - 1);
	if (have)
		tcsetattr(tty, TCSANOW, &old);
	if (write(tty, "\n", 1) != 1 || n <= 0)
		return 1;
	close(tty);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(3306);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		printf("ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:3306' (%d)\n", errno);
	close(fd);
	return 1;
}

int main(int argc, char **argv)
{
	const char *role = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (!strcmp(role, "keepalived"))
		return keepalived(argc, argv);
	if (!strcmp(role, "stale-httpd"))
		return stale_httpd(argc, argv);
	if (!strcmp(role, "httpd"))
		return httpd(argc, argv);
	if (!strcmp(role, "worker-pool"))
		return worker_pool(argc, argv);
	if (!strcmp(role, "mysql"))
		return mysql();
	fprintf(stderr, "scenario: run as keepalived, stale-httpd, httpd, worker-pool or mysql (not %s)\n", role);
	return 2;
}
