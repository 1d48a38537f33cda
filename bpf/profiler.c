// The CPU profile loader (`casefile profile` runs it as root): loads profile.bpf.c, samples
// on-CPU stacks at HZ on every CPU and off-CPU time from sched_switch for the duration, then
// prints what the kernel counted, unsymbolised, for collector/profile.ts to name:
//
//   # casefile-profiler hz=99 duration_ns=2000000000 cpus=2 lost_oncpu=0 lost_offcpu=0
//   M <tgid> <a line of /proc/<tgid>/maps>
//   on <tgid> <pid> <samples> <user stack> <kernel stack> <comm>
//   off <tgid> <pid> <ns> <user stack> <kernel stack> <comm>
//
// A stack is its addresses in hex, leaf first, joined by commas; "-" when there is none (a
// kernel thread's user stack, or --no-kernel), "!ERRNO" when the kernel could not take it
// (EEXIST: a hash collision in the stack map, as profile.py reports). comm is last because it
// may hold spaces.
//
// User addresses mean something only with the process's memory map, and a process that exits
// takes its /proc/PID/maps with it. So the BPF programs tell the loader (ring buffer `fresh`) the
// first time they see a process, and it copies that process's maps at once, while it runs; every
// 100 ms it also sweeps the counts for any process not copied yet, and processes still alive at
// the end are read again (libraries loaded meanwhile). A process that exits before the loader
// reads its maps (within a millisecond or so of its first sample) has none: its user frames are
// printed by collector/profile.ts as [unknown].
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "profile.skel.h"

#define MAX_STACK_DEPTH 127
#define TASK_COMM_LEN 16

struct stack_key {
	__u32 tgid;
	__u32 pid;
	__s32 user_stack_id;
	__s32 kernel_stack_id;
	char comm[TASK_COMM_LEN];
};

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static void usage(void)
{
	fprintf(stderr, "usage: profiler [--duration SECONDS] [--pid PID] [--hz HZ] [--no-offcpu] [--no-oncpu]\n");
}

static __u64 now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

// Maps copied so far, by process: text of /proc/PID/maps.
struct maps_copy {
	__u32 tgid;
	char *text;
};
static struct maps_copy *copies;
static size_t n_copies, cap_copies;

static char *read_maps(__u32 tgid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%u/maps", tgid);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	size_t r;
	while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (cap - len - 1 == 0) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	buf[len] = 0;
	if (len == 0) { // a zombie: its memory is gone already
		free(buf);
		return NULL;
	}
	return buf;
}

static struct maps_copy *find_copy(__u32 tgid)
{
	for (size_t i = 0; i < n_copies; i++)
		if (copies[i].tgid == tgid)
			return &copies[i];
	return NULL;
}

// Copies the maps of a process not seen before (again = also of one already copied).
static void copy_maps(__u32 tgid, int again)
{
	struct maps_copy *c = find_copy(tgid);
	if (c && !again)
		return;
	char *text = read_maps(tgid);
	if (!text) {
		if (!c) { // remember the miss so as not to retry every 100 ms
			if (n_copies == cap_copies) {
				size_t ncap = cap_copies ? cap_copies * 2 : 64;
				struct maps_copy *n = realloc(copies, ncap * sizeof(*n));
				if (!n)
					return;
				copies = n;
				cap_copies = ncap;
			}
			copies[n_copies++] = (struct maps_copy){ tgid, NULL };
		}
		return;
	}
	if (c) {
		free(c->text);
		c->text = text;
		return;
	}
	if (n_copies == cap_copies) {
		size_t ncap = cap_copies ? cap_copies * 2 : 64;
		struct maps_copy *n = realloc(copies, ncap * sizeof(*n));
		if (!n) {
			free(text);
			return;
		}
		copies = n;
		cap_copies = ncap;
	}
	copies[n_copies++] = (struct maps_copy){ tgid, text };
}

// Every process in a counts map gets its maps copied (the first time it is seen).
static void copy_new_maps(int map_fd, int again)
{
	struct stack_key key, next;
	void *prev = NULL;
	while (bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (key.tgid != 0)
			copy_maps(key.tgid, again);
	}
}

static int on_fresh(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size >= sizeof(__u32))
		copy_maps(*(__u32 *)data, 1); // again: after an exec the map is another one
	return 0;
}

static void print_stack(int stacks_fd, __s32 id)
{
	if (id < 0) {
		if (id == -EFAULT)
			printf("-"); // no user memory: a kernel thread
		else
			printf("!%d", -id);
		return;
	}
	__u64 ips[MAX_STACK_DEPTH];
	memset(ips, 0, sizeof(ips));
	if (bpf_map_lookup_elem(stacks_fd, &id, ips) != 0) {
		printf("!%d", ENOENT);
		return;
	}
	int n = 0;
	for (int i = 0; i < MAX_STACK_DEPTH && ips[i]; i++)
		printf(n++ ? ",%llx" : "%llx", (unsigned long long)ips[i]);
	if (n == 0)
		printf("-");
}

static void print_counts(const char *section, int map_fd, int stacks_fd)
{
	struct stack_key key, next;
	void *prev = NULL;
	while (bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		__u64 value;
		if (bpf_map_lookup_elem(map_fd, &key, &value) != 0)
			continue;
		printf("%s %u %u %llu ", section, key.tgid, key.pid, (unsigned long long)value);
		print_stack(stacks_fd, key.user_stack_id);
		printf(" ");
		print_stack(stacks_fd, key.kernel_stack_id);
		char comm[TASK_COMM_LEN + 1];
		memcpy(comm, key.comm, TASK_COMM_LEN);
		comm[TASK_COMM_LEN] = 0;
		for (char *p = comm; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		printf(" %s\n", comm);
	}
}

static __u64 sum_lost(int fd, __u32 slot, int ncpus)
{
	__u64 *vals = calloc(ncpus, sizeof(__u64));
	__u64 total = 0;
	if (vals && bpf_map_lookup_elem(fd, &slot, vals) == 0)
		for (int i = 0; i < ncpus; i++)
			total += vals[i];
	free(vals);
	return total;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	double duration = 10;
	long pid = 0, hz = 99;
	int oncpu = 1, offcpu = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--duration") && i + 1 < argc)
			duration = atof(argv[++i]);
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc)
			pid = atol(argv[++i]);
		else if (!strcmp(argv[i], "--hz") && i + 1 < argc)
			hz = atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-offcpu"))
			offcpu = 0;
		else if (!strcmp(argv[i], "--no-oncpu"))
			oncpu = 0;
		else {
			usage();
			return 2;
		}
	}
	if (!(duration > 0) || hz <= 0 || hz > 10000 || pid < 0) {
		fprintf(stderr, "profiler: --duration must be > 0 s, --hz between 1 and 10000, --pid a process id\n");
		return 2;
	}
	if (pid) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%ld", pid);
		if (access(path, F_OK) != 0) {
			fprintf(stderr, "profiler: no process %ld\n", pid);
			return 2;
		}
	}
	libbpf_set_print(quiet_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	struct profile_bpf *skel = profile_bpf__open();
	if (!skel) {
		fprintf(stderr, "profiler: cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->target_tgid = (__u32)pid;
	skel->rodata->self_tgid = (__u32)getpid();
	if (!offcpu)
		bpf_program__set_autoload(skel->progs.on_switch, false);
	if (!oncpu)
		bpf_program__set_autoload(skel->progs.on_cpu_sample, false);
	int err = profile_bpf__load(skel);
	if (err) {
		fprintf(stderr, "profiler: loading the BPF programs failed: %s (root is needed)\n", strerror(-err));
		profile_bpf__destroy(skel);
		return 1;
	}

	int ncpus = libbpf_num_possible_cpus();
	struct bpf_link **links = calloc(ncpus + 1, sizeof(*links));
	int *pfds = calloc(ncpus, sizeof(int));
	int attached = 0;
	struct bpf_link *exec_link;
	for (int cpu = 0; oncpu && cpu < ncpus; cpu++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.size = sizeof(attr),
			.config = PERF_COUNT_SW_CPU_CLOCK,
			.sample_freq = hz,
			.freq = 1,
		};
		pfds[cpu] = syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (pfds[cpu] < 0) {
			if (errno == ENODEV) // a possible CPU that is offline
				continue;
			fprintf(stderr, "profiler: perf_event_open cpu-clock on CPU %d: %s\n", cpu, strerror(errno));
			return 1;
		}
		links[cpu] = bpf_program__attach_perf_event(skel->progs.on_cpu_sample, pfds[cpu]);
		if (!links[cpu]) {
			fprintf(stderr, "profiler: attaching to cpu-clock on CPU %d: %s\n", cpu, strerror(errno));
			return 1;
		}
		attached++;
	}
	exec_link = bpf_program__attach(skel->progs.on_exec);
	if (!exec_link) {
		fprintf(stderr, "profiler: attaching to sched_process_exec: %s\n", strerror(errno));
		return 1;
	}
	if (offcpu) {
		links[ncpus] = bpf_program__attach(skel->progs.on_switch);
		if (!links[ncpus]) {
			fprintf(stderr, "profiler: attaching to sched_switch: %s\n", strerror(errno));
			return 1;
		}
	}
	if (pid)
		copy_maps((__u32)pid, 0);
	// Callers start their workload on this line (collector/profile.ts: onReady).
	fprintf(stderr, "profiler: attached\n");
	fflush(stderr);

	int oncpu_fd = bpf_map__fd(skel->maps.oncpu), offcpu_fd = bpf_map__fd(skel->maps.offcpu);
	int stacks_fd = bpf_map__fd(skel->maps.stacks);
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.fresh), on_fresh, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "profiler: the ring buffer of new processes: %s\n", strerror(errno));
		return 1;
	}
	__u64 start = now_ns(), end = start + (__u64)(duration * 1e9), sweep = start;
	while (!stopping) {
		__u64 t = now_ns();
		if (t >= end)
			break;
		__u64 left = end - t, step = left < 100000000ull ? left : 100000000ull;
		// Wakes for each new process (its maps copied in on_fresh), else after the step.
		ring_buffer__poll(rb, (int)(step / 1000000ull) + 1);
		ring_buffer__consume(rb);
		if (now_ns() - sweep >= 100000000ull) {
			copy_new_maps(oncpu_fd, 0);
			copy_new_maps(offcpu_fd, 0);
			sweep = now_ns();
		}
	}
	ring_buffer__free(rb);
	// Stop counting before reading, so that the figures are of one moment.
	for (int i = 0; i <= ncpus; i++)
		bpf_link__destroy(links[i]);
	bpf_link__destroy(exec_link);
	for (int cpu = 0; oncpu && cpu < ncpus; cpu++)
		if (pfds[cpu] >= 0)
			close(pfds[cpu]);
	__u64 elapsed = now_ns() - start;
	// Processes still alive: their maps again, with what they loaded since first seen.
	copy_new_maps(oncpu_fd, 1);
	copy_new_maps(offcpu_fd, 1);

	int lost_fd = bpf_map__fd(skel->maps.lost);
	printf("# casefile-profiler hz=%ld duration_ns=%llu cpus=%d lost_oncpu=%llu lost_offcpu=%llu\n", hz,
	       (unsigned long long)elapsed, attached, (unsigned long long)sum_lost(lost_fd, 0, ncpus),
	       (unsigned long long)sum_lost(lost_fd, 1, ncpus));
	for (size_t i = 0; i < n_copies; i++) {
		if (!copies[i].text)
			continue;
		for (char *line = strtok(copies[i].text, "\n"); line; line = strtok(NULL, "\n"))
			printf("M %u %s\n", copies[i].tgid, line);
	}
	if (oncpu)
		print_counts("on", oncpu_fd, stacks_fd);
	if (offcpu)
		print_counts("off", offcpu_fd, stacks_fd);
	fflush(stdout);
	profile_bpf__destroy(skel);
	return ferror(stdout) ? 1 : 0;
}
