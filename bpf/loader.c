/* The collector's loader (run as root by `casefile collector`, `casefile record` and the tests):
 * loads syscalls.bpf.c, attaches its tracepoints, and writes what the kernel records to stdout,
 * verbatim: each record is one complete scap event block (or one of our network blocks, see
 * syscalls.h), so a capture is a section header, a machine info and process list, then these
 * bytes. Network facts (TCP state changes, retransmits, ICMP sends), which no event type of sysdig
 * 0.29.3 carries, go to stderr as JSON lines {"net":...} instead (see bpf/README.md).
 *
 *   loader [--pid P]... [--comm NAME]... [--cgroup PATH]... [--exclude-pid P]... [--no-follow]
 *          [--snaplen N] [--ring-mb M] [--seconds S] [--no-switch] [--no-net]
 *   loader --dump-table      (the syscall table as JSON lines, for bpf/table.test.ts)
 *
 * On stderr: one JSON line {"ready":...} once attached, then once a second (and once more at the
 * end) `stats events=<event blocks written> drops=<records the ring buffer refused>
 * toolarge=<events past the scratch area> net=<network lines> unwritten=<events given up at a
 * stop because the reader did not take them within 2 s>`,
 * cumulative. Exits after a final drain on SIGINT, SIGTERM, a closed stdout, or --seconds.
 *
 * Records are not woken for one by one (that costs more than the traced syscall): the programs
 * wake the reader only past 256 KiB pending, and the loop here drains every ~5 ms. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <poll.h>
#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "syscalls.h"
#include "syscall-table.h"
#include "syscalls.skel.h"

static const unsigned short ppm_sc_of[CF_MAX_SYSCALLS] = {
#include "ppm-sc.h"
};

#define MAX_LIST 64
static int pids[MAX_LIST], n_pids;
static int excl[MAX_LIST], n_excl;
static const char *comms[MAX_LIST];
static int n_comms;
static const char *cgroups[8];
static int n_cgroups;

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static void usage(void)
{
	fprintf(stderr,
		"usage: loader [--pid P]... [--comm NAME]... [--cgroup PATH]... [--exclude-pid P]... [--no-follow]\n"
		"              [--snaplen N] [--ring-mb M] [--seconds S] [--no-switch] [--no-net]\n"
		"       loader --dump-table\n");
	exit(2);
}

static long num_arg(const char *opt, const char *v, long min, long max)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max) {
		fprintf(stderr, "loader: %s wants a number from %ld to %ld, not '%s'\n", opt, min, max, v);
		exit(2);
	}
	return n;
}

/* ---- output: records gathered into big writes ---- */

#define OUT_CAP (4 << 20)
static char *out;
static size_t out_len;
static unsigned long long n_records, n_net;
static int out_broken;

/* Event blocks in a stretch of gathered output (whole blocks only ever sit in `out`). */
static unsigned long long blocks_in(const char *p, size_t n)
{
	unsigned long long c = 0;
	for (size_t at = 0; at + 8 <= n;) {
		unsigned int len = *(const unsigned int *)(p + at + 4);
		c++;
		if (len < 12)
			break;
		at += len;
	}
	return c;
}

/* The blocks of p[0, n) not written whole when only its first `written` bytes went out: a block
 * cut by a partial write counts as lost (the reader gets a cut block, reports it, and keeps the
 * blocks before it). */
static unsigned long long blocks_lost(const char *p, size_t n, size_t written)
{
	unsigned long long c = 0;
	for (size_t at = 0; at + 8 <= n;) {
		unsigned int len = *(const unsigned int *)(p + at + 4);
		if (len < 12) {
			c++;
			break;
		}
		if (at + len > written)
			c++;
		at += len;
	}
	return c;
}

static unsigned long long n_unwritten;
static unsigned long long stop_deadline_ns;
/* Set once a stop gave up on the reader: nothing is written after that. Writing on (the pipe
 * may have room again a moment later) put whole blocks after a block cut by a partial write,
 * and the reader, which stops at the damage, lost them all while the stats counted them as
 * given to it. */
static int out_given_up;
static unsigned long long clock_ns(clockid_t c);

/* Writes what was gathered. A reader that stops reading holds the loader here (and the ring
 * then fills: the drops say so), but not forever once asked to stop: from then on stdout is
 * non-blocking and what cannot be written within 2 s is given up, its events counted apart
 * (stats unwritten=) and taken off events=, which counts what the reader got. */
static void flush_out(void)
{
	size_t done = 0;
	if (out_given_up) {
		unsigned long long lost = blocks_lost(out, out_len, 0);
		n_unwritten += lost;
		n_records -= lost;
		out_len = 0;
		return;
	}
	while (done < out_len && !out_broken) {
		/* Checked before every write, not only after an interrupted one: a signal that
		 * arrives once part of a write to a socket went out ends that write with its partial
		 * count, not EINTR, and the next blocking write would wait for the reader for ever. */
		if (stopping && !stop_deadline_ns) {
			stop_deadline_ns = clock_ns(CLOCK_MONOTONIC) + 2000000000ULL;
			fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
		}
		ssize_t w = write(1, out + done, out_len - done);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				if (stopping) {
					if (clock_ns(CLOCK_MONOTONIC) >= stop_deadline_ns) {
						unsigned long long lost = blocks_lost(out, out_len, done);
						n_unwritten += lost;
						n_records -= lost;
						out_given_up = 1;
						break;
					}
					struct pollfd pfd = { .fd = 1, .events = POLLOUT };
					poll(&pfd, 1, 100);
				}
				continue;
			}
			/* EPIPE (the reader went away) or worse: stop cleanly. */
			out_broken = 1;
			stopping = 1;
			break;
		}
		done += w;
	}
	out_len = 0;
}

static const char *tcp_state_name(unsigned s)
{
	static const char *names[] = { "?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV" };
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static void addr_text(char *out, size_t n, unsigned family, const unsigned char *a, unsigned port)
{
	char ip[64] = "?";
	if (family == 2)
		inet_ntop(AF_INET, a, ip, sizeof(ip));
	else if (family == 10)
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
	snprintf(out, n, family == 10 ? "[%s]:%u" : "%s:%u", ip, port);
}

/* A network fact (sysdig 0.29.3 has no event type for it, and libscap stops at a block type it
 * does not know): one JSON line on stderr, for the collector to keep as metadata. */
static void net_line(const struct cf_net_record *r)
{
	char src[96], dst[96];
	addr_text(src, sizeof(src), r->family, r->saddr, r->sport);
	addr_text(dst, sizeof(dst), r->family, r->daddr, r->dport);
	if (r->kind == CF_NET_TCP_STATE)
		fprintf(stderr, "{\"net\":\"tcp_state\",\"ts\":%llu,\"tid\":%llu,\"cpu\":%u,\"src\":\"%s\",\"dst\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"}\n",
			r->ts, r->tid, r->cpu, src, dst, tcp_state_name(r->a), tcp_state_name(r->b));
	else if (r->kind == CF_NET_TCP_RETRANSMIT)
		fprintf(stderr, "{\"net\":\"tcp_retransmit\",\"ts\":%llu,\"tid\":%llu,\"cpu\":%u,\"src\":\"%s\",\"dst\":\"%s\",\"state\":\"%s\"}\n",
			r->ts, r->tid, r->cpu, src, dst, tcp_state_name(r->a));
	else if (r->kind == CF_NET_ICMP_SEND)
		fprintf(stderr, "{\"net\":\"icmp_send\",\"ts\":%llu,\"tid\":%llu,\"cpu\":%u,\"src\":\"%s\",\"dst\":\"%s\",\"proto\":%u,\"type\":%u,\"code\":%u,\"mtu\":%u}\n",
			r->ts, r->tid, r->cpu, src, dst, r->proto, r->a, r->b, r->c);
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (*(unsigned int *)data == CF_NET_BLOCK_TYPE) {
		if (size >= 8 + sizeof(struct cf_net_record))
			net_line((const struct cf_net_record *)((char *)data + 8));
		n_net++;
		return 0;
	}
	if (out_len + size > OUT_CAP)
		flush_out();
	memcpy(out + out_len, data, size);
	out_len += size;
	/* A record may hold more than one event block (a syscall's enter and exit together). */
	n_records += blocks_in(data, size);
	return 0;
}

/* ---- time ---- */

static unsigned long long clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Wall clock minus the monotonic clock: what turns bpf_ktime_get_ns() into an event timestamp.
 * Read between two monotonic reads and averaged, so it is off by at most half the gap. */
static unsigned long long clock_offset(void)
{
	unsigned long long b1 = clock_ns(CLOCK_MONOTONIC);
	unsigned long long r = clock_ns(CLOCK_REALTIME);
	unsigned long long b2 = clock_ns(CLOCK_MONOTONIC);
	return r - (b1 + (b2 - b1) / 2);
}

/* ---- cgroup filters ---- */

/* Which v1 hierarchy a cgroup directory is on: the subsystem named in its mount's options, as
 * its index in /proc/cgroups (the kernel's subsystem id order). */
static int cgroup_v1_ssid(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return -1;
	char line[4096], best_opts[1024] = "";
	size_t best_len = 0;
	while (fgets(line, sizeof(line), f)) {
		char mnt[1024], fstype[64], opts[1024];
		/* id parent maj:min root mountpoint options ... - fstype source superoptions */
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1)
			continue;
		if (sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2 || strcmp(fstype, "cgroup"))
			continue;
		size_t l = strlen(mnt);
		if (strncmp(path, mnt, l) == 0 && (path[l] == '/' || path[l] == 0) && l > best_len) {
			best_len = l;
			snprintf(best_opts, sizeof(best_opts), "%s", opts);
		}
	}
	fclose(f);
	if (!best_len)
		return -1;
	FILE *c = fopen("/proc/cgroups", "r");
	if (!c)
		return -1;
	int id = -1, i = 0;
	while (fgets(line, sizeof(line), c)) {
		char name[64];
		if (line[0] == '#' || sscanf(line, "%63s", name) != 1)
			continue;
		/* the mount's options name its subsystems among rw,relatime,... */
		char opts[1024], *save = NULL;
		snprintf(opts, sizeof(opts), "%s", best_opts);
		for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (!strcmp(t, name) && id < 0)
				id = i;
		i++;
	}
	fclose(c);
	return id;
}

static int cgroup_filter(const char *path, struct cf_cgroup_filter *out_f)
{
	char real[4096];
	if (!realpath(path, real)) {
		fprintf(stderr, "loader: --cgroup %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat st;
	struct statfs sf;
	if (stat(real, &st) || statfs(real, &sf)) {
		fprintf(stderr, "loader: --cgroup %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || (sf.f_type != 0x63677270 && sf.f_type != 0x27e0eb)) {
		fprintf(stderr, "loader: --cgroup %s: not a cgroup directory\n", path);
		return -1;
	}
	/* Its depth below the hierarchy's root: walk up while the parent is the same cgroup fs. */
	unsigned level = 0;
	char cur[4096];
	snprintf(cur, sizeof(cur), "%s", real);
	for (;;) {
		char *slash = strrchr(cur, '/');
		if (!slash || slash == cur)
			break;
		*slash = 0;
		struct stat ps;
		struct statfs pf;
		if (stat(cur, &ps) || statfs(cur, &pf) || pf.f_type != sf.f_type || ps.st_dev != st.st_dev)
			break;
		level++;
	}
	out_f->level = level;
	out_f->id = st.st_ino;
	if (sf.f_type == 0x63677270) {
		out_f->ssid = 0xff;
	} else {
		int ssid = cgroup_v1_ssid(real);
		if (ssid < 0) {
			fprintf(stderr, "loader: --cgroup %s: cannot tell which cgroup v1 hierarchy it is on\n", path);
			return -1;
		}
		out_f->ssid = ssid;
	}
	return 0;
}

/* ---- the table ---- */

static void build_table(struct cf_syscall *t)
{
	memset(t, 0, sizeof(struct cf_syscall) * CF_MAX_SYSCALLS);
	for (int i = 0; i < CF_MAX_SYSCALLS; i++)
		t[i].ppm_sc = ppm_sc_of[i];
	for (size_t i = 0; i < sizeof(cf_table) / sizeof(cf_table[0]); i++) {
		int nr = cf_table[i].nr;
		if (nr < 0 || nr >= CF_MAX_SYSCALLS)
			continue;
		unsigned short sc = t[nr].ppm_sc;
		t[nr] = cf_table[i].sc;
		t[nr].ppm_sc = sc;
	}
}

static void dump_params(const struct cf_param *p, int n)
{
	printf("[");
	for (int i = 0; i < n; i++)
		printf("%s[%u,%u,%u,%u]", i ? "," : "", p[i].kind, p[i].arg, p[i].size, p[i].aux);
	printf("]");
}

static int dump_table(void)
{
	static struct cf_syscall t[CF_MAX_SYSCALLS];
	build_table(t);
	for (int i = 0; i < CF_MAX_SYSCALLS; i++) {
		printf("{\"nr\":%d,\"ppmSc\":%u,\"flags\":%u,\"enter\":%u,\"exit\":%u,\"nEnter\":%u,\"nExit\":%u,\"enterParams\":",
		       i, t[i].ppm_sc, t[i].flags, t[i].enter_type, t[i].exit_type, t[i].n_enter, t[i].n_exit);
		dump_params(t[i].enter, t[i].n_enter < CF_MAX_TPARAMS ? t[i].n_enter : CF_MAX_TPARAMS);
		printf(",\"exitParams\":");
		dump_params(t[i].exit, t[i].n_exit < CF_MAX_TPARAMS ? t[i].n_exit : CF_MAX_TPARAMS);
		printf("}\n");
	}
	return 0;
}

/* ---- main ---- */

/* What each CPU has staged (syscalls.bpf.c's generic events) out into the ring: cf_flush run
 * there by IPI, on the CPUs whose `pending` says they hold something (an IPI would wake an idle
 * CPU for nothing). Read without the CPU's say-so: a CPU that stages just after is seen at the
 * next drain. `held`: the enters held for their exits too (at the stop). */
static void flush_cpus(struct syscalls_bpf *skel, int ncpu, bool held)
{
	struct pending_enter pe[ncpu];
	__u32 zero = 0;
	bool all = bpf_map_lookup_elem(bpf_map__fd(skel->maps.pending), &zero, pe) != 0;
	int fd = bpf_program__fd(skel->progs.cf_flush);
	for (int cpu = 0; cpu < ncpu; cpu++) {
		if (!all && !pe[cpu].staged && !(held && pe[cpu].valid))
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, o, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);
		bpf_prog_test_run_opts(fd, &o);
	}
}

static unsigned long long sum_drops(int fd, int ncpu, __u32 key)
{
	__u64 vals[ncpu];
	unsigned long long s = 0;
	if (bpf_map_lookup_elem(fd, &key, vals))
		return 0;
	for (int i = 0; i < ncpu; i++)
		s += vals[i];
	return s;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	long snaplen = 80, ring_mb = 64, seconds = 0;
	int follow = 1, with_switch = 1, with_net = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--dump-table"))
			return dump_table();
		else if (!strcmp(a, "--no-follow"))
			follow = 0;
		else if (!strcmp(a, "--no-switch"))
			with_switch = 0;
		else if (!strcmp(a, "--no-net"))
			with_net = 0;
		else if (!v)
			usage();
		else if (!strcmp(a, "--pid") && n_pids < MAX_LIST)
			pids[n_pids++] = num_arg(a, v, 1, 1 << 30), i++;
		else if (!strcmp(a, "--exclude-pid") && n_excl < MAX_LIST - 1)
			excl[n_excl++] = num_arg(a, v, 1, 1 << 30), i++;
		else if (!strcmp(a, "--comm") && n_comms < MAX_LIST)
			comms[n_comms++] = v, i++;
		else if (!strcmp(a, "--cgroup") && n_cgroups < 8)
			cgroups[n_cgroups++] = v, i++;
		else if (!strcmp(a, "--snaplen"))
			snaplen = num_arg(a, v, 0, 16384), i++;
		else if (!strcmp(a, "--ring-mb"))
			ring_mb = num_arg(a, v, 1, 4096), i++;
		else if (!strcmp(a, "--seconds"))
			seconds = num_arg(a, v, 0, 1L << 30), i++;
		else
			usage();
	}
	if (ring_mb & (ring_mb - 1)) {
		fprintf(stderr, "loader: --ring-mb must be a power of two, not %ld\n", ring_mb);
		return 2;
	}
	/* Never our own writes: our pid first, so that it is one of the four compared directly. */
	memmove(excl + 1, excl, n_excl * sizeof(excl[0]));
	excl[0] = getpid();
	n_excl++;

	libbpf_set_print(libbpf_quiet);
	/* Without SA_RESTART: a write blocked on a full pipe returns, so a stop is seen. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	out = malloc(OUT_CAP);
	struct syscalls_bpf *skel = syscalls_bpf__open();
	if (!skel) {
		fprintf(stderr, "loader: cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	int ncpu = libbpf_num_possible_cpus();
	bpf_map__set_max_entries(skel->maps.scratch, ncpu);
	bpf_map__set_max_entries(skel->maps.events, (__u32)ring_mb << 20);
	build_table((struct cf_syscall *)skel->rodata->sc_table);
	skel->rodata->snaplen = snaplen;
	skel->rodata->filter_pid = n_pids > 0;
	skel->rodata->filter_comm = n_comms > 0;
	skel->rodata->follow_children = follow;
	/* The first four excluded pids are compared in the programs directly, the rest looked up. */
	for (int i = 0; i < n_excl && i < 4; i++)
		((__u32 *)skel->rodata->excluded_fast)[i] = excl[i];
	skel->rodata->have_excluded = n_excl > 4;
	for (int i = 0; i < n_cgroups; i++) {
		struct cf_cgroup_filter f;
		if (cgroup_filter(cgroups[i], &f))
			return 2;
		((struct cf_cgroup_filter *)skel->rodata->cgroup_filters)[i] = f;
	}
	skel->rodata->n_cgroup_filters = n_cgroups;
	skel->rodata->filter_cgroup = n_cgroups > 0;
	skel->rodata->with_switch = with_switch;
	if (!with_net) {
		bpf_program__set_autoload(skel->progs.cf_tcp_state, false);
		bpf_program__set_autoload(skel->progs.cf_tcp_retransmit, false);
		bpf_program__set_autoload(skel->progs.cf_icmp_send, false);
	}
	int err = syscalls_bpf__load(skel);
	if (err) {
		fprintf(stderr, "loader: the kernel refused the BPF programs: %s\n", strerror(-err));
		return 1;
	}
	skel->bss->clock_offset = clock_offset();

	__u8 one = 1;
	for (int i = 0; i < n_pids; i++) {
		__u32 k = pids[i];
		bpf_map_update_elem(bpf_map__fd(skel->maps.pids), &k, &one, BPF_ANY);
	}
	for (int i = 0; i < n_excl; i++) {
		__u32 k = excl[i];
		bpf_map_update_elem(bpf_map__fd(skel->maps.excluded), &k, &one, BPF_ANY);
	}
	for (int i = 0; i < n_comms; i++) {
		char k[16] = {};
		strncpy(k, comms[i], 15);
		bpf_map_update_elem(bpf_map__fd(skel->maps.comms), k, &one, BPF_ANY);
	}

	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "loader: cannot map the ring buffer: %s\n", strerror(errno));
		return 1;
	}
	/* The syscall programs are the ones that must attach; the others are reported if not. */
	struct bpf_link *links[8] = {};
	int n_links = 0;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj) {
		if (!bpf_program__autoload(prog) || prog == skel->progs.cf_flush)
			continue;
		struct bpf_link *l = bpf_program__attach(prog);
		if (!l) {
			const char *name = bpf_program__name(prog);
			fprintf(stderr, "loader: cannot attach %s: %s\n", name, strerror(errno));
			if (!strncmp(name, "cf_sys_", 7))
				return 1;
			continue;
		}
		if (n_links < 8)
			links[n_links++] = l;
	}
	fprintf(stderr, "{\"ready\":true,\"pid\":%d,\"cpus\":%d,\"ringMb\":%ld,\"snaplen\":%ld,\"programs\":%d}\n",
		getpid(), ncpu, ring_mb, snaplen, n_links);

	int drops_fd = bpf_map__fd(skel->maps.drops);
	unsigned long long start = clock_ns(CLOCK_MONOTONIC), last_stats = start;
	while (!stopping) {
		int r = ring_buffer__poll(rb, 5);
		if (r < 0 && r != -EINTR)
			break;
		flush_cpus(skel, ncpu, false);
		/* With wake-ups batched, epoll reports only rings past the threshold: drain anyway. */
		ring_buffer__consume(rb);
		flush_out();
		unsigned long long now = clock_ns(CLOCK_MONOTONIC);
		if (now - last_stats >= 1000000000ULL) {
			last_stats = now;
			skel->bss->clock_offset = clock_offset();
			fprintf(stderr, "stats events=%llu drops=%llu toolarge=%llu net=%llu unwritten=%llu\n", n_records,
				sum_drops(drops_fd, ncpu, 0), sum_drops(drops_fd, ncpu, 1), n_net, n_unwritten);
		}
		if (seconds && now - start >= (unsigned long long)seconds * 1000000000ULL)
			break;
		if (out_broken)
			break;
	}
	/* Detach first so nothing new arrives, then take what is left. */
	for (int i = 0; i < n_links; i++)
		bpf_link__destroy(links[i]);
	skel->bss->flush_held = true;
	flush_cpus(skel, ncpu, true);
	ring_buffer__consume(rb);
	flush_out();
	fprintf(stderr, "stats events=%llu drops=%llu toolarge=%llu net=%llu unwritten=%llu\n", n_records,
		sum_drops(drops_fd, ncpu, 0), sum_drops(drops_fd, ncpu, 1), n_net, n_unwritten);
	ring_buffer__free(rb);
	syscalls_bpf__destroy(skel);
	return 0;
}
