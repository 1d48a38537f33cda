/* Loads floor.bpf.c (count-only programs on sys_enter/sys_exit), prints {"ready":true} on
 * stderr once attached, and on SIGINT/SIGTERM prints `count=<events counted>` and exits. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

int main(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	struct floor_bpf *skel = floor_bpf__open_and_load();
	if (!skel || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "{\"ready\":true,\"pid\":%d}\n", getpid());
	while (!stopping)
		pause();
	int ncpu = libbpf_num_possible_cpus();
	__u64 vals[ncpu];
	__u32 zero = 0;
	unsigned long long total = 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.counts), &zero, vals))
		for (int i = 0; i < ncpu; i++)
			total += vals[i];
	fprintf(stderr, "count=%llu\n", total);
	floor_bpf__destroy(skel);
	return 0;
}
