/* The load of bench/collector.ts: getppid() in a tight loop.
 *   syscall-loop N                  N calls as fast as it can; prints {"calls":N,"ns":total,"nsPerCall":x,"cpuNsPerCall":y}
 *   syscall-loop --rate R --seconds S   R calls a second for S seconds, paced every millisecond
 *                                   (sleeping to the next millisecond); prints
 *                                   {"calls":n,"ns":elapsed,"behindMs":ms the loop fell behind,"cpuNsPerCall":y}
 * The paced loop sleeps between its bursts rather than spinning: spinning took a whole core of
 * this 2-core machine whatever the rate, away from the tracer and the ingest it is there to
 * load (a program making 1 M syscalls/s spends ~0.25 s/s on them, not 1 s/s). The sleep adds
 * 1,000 clock_nanosleep calls a second (0.2% of the events at 500,000 calls/s).
 * getppid is the cheapest syscall that cannot be answered without entering the kernel (no vDSO):
 * what tracing adds to it is all overhead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static unsigned long long clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

int main(int argc, char **argv)
{
	if (argc == 2) {
		long n = atol(argv[1]);
		unsigned long long t0 = now_ns(), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		unsigned long long t = now_ns() - t0, c = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		/* cpuNsPerCall: the loop's own CPU time (user + kernel, the BPF programs included) per
		 * call, without the time it sat preempted: on a shared machine the wall clock also
		 * measures the neighbours. */
		printf("{\"calls\":%ld,\"ns\":%llu,\"nsPerCall\":%.1f,\"cpuNsPerCall\":%.1f}\n", n, t, (double)t / n, (double)c / n);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "--rate") && !strcmp(argv[3], "--seconds")) {
		double rate = atof(argv[2]), seconds = atof(argv[4]);
		unsigned long long t0 = now_ns(), end = t0 + (unsigned long long)(seconds * 1e9);
		unsigned long long c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		unsigned long long calls = 0, behind_ns = 0;
		for (;;) {
			unsigned long long t = now_ns();
			if (t >= end)
				break;
			/* Catch up to where the rate says we should be, then spin to the next tick. */
			unsigned long long due = (unsigned long long)((t - t0) * rate / 1e9);
			if (due > calls + rate / 100) /* more than 10 ms of calls owed */
				behind_ns += 1000000;
			while (calls < due) {
				syscall(SYS_getppid);
				calls++;
			}
			unsigned long long next = t + 1000000;
			if (next > end)
				next = end;
			struct timespec at = { .tv_sec = next / 1000000000ULL, .tv_nsec = next % 1000000000ULL };
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
				;
		}
		unsigned long long t = now_ns() - t0, c = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		/* cpuNsPerCall here includes the sleeps' own syscalls (one per millisecond). */
		printf("{\"calls\":%llu,\"ns\":%llu,\"behindMs\":%llu,\"cpuNsPerCall\":%.1f}\n", calls, t, behind_ns / 1000000,
		       calls ? (double)c / calls : 0.0);
		return 0;
	}
	fprintf(stderr, "usage: syscall-loop N | syscall-loop --rate R --seconds S\n");
	return 2;
}
