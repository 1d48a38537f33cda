// SPDX-License-Identifier: GPL-2.0
/* The live collector's kernel half: syscalls (raw_syscalls sys_enter/sys_exit), process
 * lifecycle (sched_process_fork/exit, and clone/execve exits built from the task), sched_switch,
 * and network facts (inet_sock_set_state, tcp_retransmit_skb, icmp_send).
 *
 * Every record put in the ring buffer is one complete scap event block (EV_BLOCK_TYPE_V2), laid
 * out as sysdig 0.29.3's driver would have written the event, so the loader copies records to
 * its output verbatim and a capture is a section header plus these bytes. Which event a syscall
 * becomes and where each parameter comes from is the table `sc_table`, filled by the loader from
 * syscall-table.h before load; events whose parameters come from the task (clone, execve,
 * procexit, switch) are built here.
 *
 * Only tracepoints: kprobes, fentry and LSM hooks are not available on the machines this runs
 * on (DESIGN.md, Collector notes). Written for this project from the scap format and the
 * kernel's structures; falco's modern_bpf was read for which kernel fields hold what. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "syscalls.h"

char LICENSE[] SEC("license") = "GPL";

/* One record is built in a per-CPU scratch area. Variable parts are written at offsets masked
 * to the lower half and never longer than the upper half, which is how the verifier sees every
 * write stay inside; an event whose fixed parts reach past CF_VAR_LIMIT gets empty variable
 * parameters instead. */
#define CF_SCRATCH 65536
#define CF_HALF_MASK 32767
#define CF_VAR_LIMIT 30000
#define CF_MAX_SNAPLEN 16384
#define CF_MAX_PATH 4096
#define CF_MAX_ARGS 4096
#define CF_TMP 49152 /* scratch for cgroup path pieces: the last 16 KiB */

/* Pending data (bytes) past which a record wakes the reader: below it, the loader's 5 ms drain
 * finds the records. A wake-up per record costs more than the syscall being traced. */
#define CF_WAKEUP_BYTES (256 * 1024)

const volatile struct cf_syscall sc_table[CF_MAX_SYSCALLS] = {};
const volatile __u32 snaplen = 80;
const volatile __u8 filter_pid = 0, filter_comm = 0, filter_cgroup = 0, have_excluded = 0;
const volatile __u8 follow_children = 1;
/* Whether switch events are recorded (the program runs anyway, to flush pending enters). */
const volatile __u8 with_switch = 1;
#define CF_FAST_EXCLUDED 4
const volatile __u32 excluded_fast[CF_FAST_EXCLUDED] = {};
const volatile __u8 n_cgroup_filters = 0;
/* Wall clock minus the monotonic clock (ns), refreshed by the loader every second. Monotonic, not
 * boot time: bpf_ktime_get_ns costs ~7 ns less per read than bpf_ktime_get_boot_ns here (bpf_stats,
 * two reads per syscall), and the two differ only by time suspended, which the refresh absorbs. */
__u64 clock_offset = 0;

const volatile struct cf_cgroup_filter cgroup_filters[8] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} events SEC(".maps");

struct scratch_buf { __u8 data[CF_SCRATCH]; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* the loader sets it to the number of possible CPUs */
	__type(key, __u32);
	__type(value, struct scratch_buf);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2); /* 0: records the ring buffer refused, 1: records too large */
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* The record being built on this CPU, between the calls of emit_param (a global function the
 * verifier checks once, instead of once per parameter of every event). */
struct build_state {
	__u32 off, n;
	__u64 a[6];
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct build_state);
} bstate SEC(".maps");

/* The generic events of a CPU, per CPU (the path of every syscall without events of its own,
 * the commonest by far; struct pending_enter is in syscalls.h, the loader reads it):
 * - a generic enter is held back (`valid`) until its exit, which usually comes next on the same
 *   CPU (a syscall that does not block); the two are then written together;
 * - the blocks are written into `stage`, not the ring: one ring record of up to CF_STAGE bytes
 *   (~44 syscalls) instead of one per syscall. A ring reservation per syscall (its lock and
 *   the cache misses of fresh ring memory) cost more than the rest of the programs but the
 *   clock reads (bench/collector);
 * - everything staged goes out, in order, before anything else is recorded on this CPU, when
 *   the thread is switched out (cf_switch runs for that even with --no-switch), and every
 *   drain of the loader (cf_flush, run every ~5 ms on each CPU that holds some), so nothing
 *   waits longer than that; at the loader's stop, the held enters too.
 * Each event keeps its own timestamp and each thread's events their order; across CPUs the
 * ring was never in strict timestamp order.
 * `busy` is set while a program changes the stage: cf_flush comes by IPI and can land in the
 * middle of a syscall program on its CPU, and a program preempted there (cf_switch) or
 * interrupted (the network programs, from softirqs) must not touch it either; they leave it
 * for the next flush. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_enter);
} pending SEC(".maps");

/* The stage itself, apart from `pending`: the loader reads every CPU's `pending` at each drain
 * to run cf_flush only where something is staged (an IPI wakes an idle CPU), and that read
 * copies whole values. */
struct stage_buf { __u8 data[CF_STAGE]; };
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stage_buf);
} stage SEC(".maps");

/* Processes (tgids) to trace; with follow_children, a fork of one adds the child. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} excluded SEC(".maps");

struct comm_key { char comm[16]; };
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct comm_key);
	__type(value, __u8);
} comms SEC(".maps");

/* ---- filters ---- */

static __always_inline bool cgroup_matches(struct task_struct *task)
{
	for (int i = 0; i < 8; i++) {
		if (i >= n_cgroup_filters)
			break;
		struct cgroup *cg;
		__u32 ssid = cgroup_filters[i].ssid;
		if (ssid == 0xff)
			cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
		else if (ssid < 12)
			cg = BPF_CORE_READ(task, cgroups, subsys[ssid], cgroup);
		else
			continue;
		if (!cg)
			continue;
		int level = BPF_CORE_READ(cg, level);
		__u32 want = cgroup_filters[i].level;
		if (level < (int)want || want > 255)
			continue;
		struct cgroup *anc = NULL;
		bpf_core_read(&anc, sizeof(anc), &cg->ancestors[want]);
		if (anc && BPF_CORE_READ(anc, kn, id) == cgroup_filters[i].id)
			return true;
	}
	return false;
}

/* The last filter verdict on this CPU, for its thread: a thread's syscalls come in runs on a
 * CPU, and a comm or pid lookup costs more than the rest of an untraced syscall. Forgotten at
 * every switch and exec (a comm changes at exec; a thread renaming itself with prctl keeps its
 * verdict until it is next switched out). */
struct verdict_cache {
	__u64 pid_tgid;
	__u64 verdict;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct verdict_cache);
} vcache SEC(".maps");

static __always_inline void forget_verdict(void)
{
	__u32 zero = 0;
	struct verdict_cache *vc = bpf_map_lookup_elem(&vcache, &zero);
	if (vc)
		vc->pid_tgid = 0;
}

static __always_inline bool filters_match(__u32 tgid)
{
	if (filter_pid && bpf_map_lookup_elem(&pids, &tgid))
		return true;
	if (filter_comm) {
		struct comm_key k = {};
		bpf_get_current_comm(k.comm, sizeof(k.comm));
		if (bpf_map_lookup_elem(&comms, &k))
			return true;
	}
	if (filter_cgroup && cgroup_matches(bpf_get_current_task_btf()))
		return true;
	return false;
}

/* Whether the thread `pt` (bpf_get_current_pid_tgid) is traced: checked first thing in every
 * program, so a session attached to one process costs the rest of the host little per event.
 * The syscall programs read pt once and pass it on (a helper call each, on every syscall). */
static __always_inline bool interesting_pt(__u64 pt)
{
	__u32 tgid = pt >> 32;
	/* The first few excluded pids (the loader's own, the collector's, the server's) are
	 * compared here, without a map lookup: this runs for every syscall on the host. */
	for (int i = 0; i < CF_FAST_EXCLUDED; i++)
		if (excluded_fast[i] == tgid)
			return false;
	if (have_excluded && bpf_map_lookup_elem(&excluded, &tgid))
		return false;
	if (!filter_pid && !filter_comm && !filter_cgroup)
		return true;
	__u32 zero = 0;
	struct verdict_cache *vc = bpf_map_lookup_elem(&vcache, &zero);
	if (vc && vc->pid_tgid == pt)
		return vc->verdict;
	bool v = filters_match(tgid);
	if (vc) {
		vc->pid_tgid = pt;
		vc->verdict = v;
	}
	return v;
}

static __always_inline bool interesting(void)
{
	return interesting_pt(bpf_get_current_pid_tgid());
}

/* ---- building a record ---- */

struct builder {
	__u8 *buf;
	__u32 off;     /* where the next value goes */
	__u32 n;       /* parameters written */
	__u32 nparams; /* parameters announced */
};

static __always_inline __u64 now_ns(void)
{
	return bpf_ktime_get_ns() + clock_offset;
}

static __always_inline __u8 *scratch_area(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch_buf *s = bpf_map_lookup_elem(&scratch, &cpu);
	return s ? s->data : NULL;
}

static __always_inline void count_drops(__u32 which, __u32 n)
{
	__u64 *d = bpf_map_lookup_elem(&drops, &which);
	if (d)
		*d += n;
}

static __always_inline void count_drop(__u32 which)
{
	count_drops(which, 1);
}

static __always_inline void begin(struct builder *b, __u16 type, __u32 nparams, __u64 tid, __u64 ts)
{
	__u8 *p = b->buf;
	*(__u32 *)(p + 0) = CF_EV_BLOCK_TYPE_V2;
	*(__u16 *)(p + 8) = bpf_get_smp_processor_id();
	*(__u64 *)(p + 10) = ts;
	*(__u64 *)(p + 18) = tid;
	*(__u16 *)(p + 30) = type;
	*(__u32 *)(p + 32) = nparams;
	b->nparams = nparams;
	b->n = 0;
	b->off = CF_HDR_LEN + 2 * nparams;
}

static __always_inline void set_len(struct builder *b, __u32 len)
{
	__u32 i = b->n;
	if (i >= 32)
		return;
	asm volatile("%0 &= 31" : "+r"(i));
	*(__u16 *)(b->buf + CF_HDR_LEN + 2 * i) = len;
	b->n = i + 1;
}

static __always_inline void put_int(struct builder *b, __u64 v, __u32 size)
{
	__u32 off = b->off & CF_HALF_MASK;
	__u8 *p = b->buf + off;
	switch (size) {
	case 1: *p = v; break;
	case 2: *(__u16 *)p = v; break;
	case 4: *(__u32 *)p = v; break;
	default: *(__u64 *)p = v; size = 8; break;
	}
	b->off = off + size;
	set_len(b, size);
}

static __always_inline void put_empty(struct builder *b)
{
	set_len(b, 0);
}

/* An empty string: one NUL, as the driver writes it (a reader takes a CHARBUF as a C string,
 * so a zero-length one would run into the next parameter's bytes). */
static __always_inline void put_empty_str(struct builder *b)
{
	__u32 off = b->off & CF_HALF_MASK;
	b->buf[off] = 0;
	b->off = off + 1;
	set_len(b, 1);
}

/* Bytes from user (or kernel) memory, at most `max` (≤ CF_MAX_SNAPLEN). */
static __always_inline void put_mem(struct builder *b, const void *src, __u64 len, bool user)
{
	if (b->off > CF_VAR_LIMIT || !src) {
		put_empty(b);
		return;
	}
	if (len > CF_MAX_SNAPLEN)
		len = CF_MAX_SNAPLEN;
	/* The same bound again where the verifier sees it (clang may clamp a copy). */
	asm volatile("%0 &= 0x7fff" : "+r"(len));
	__u32 off = b->off & CF_HALF_MASK;
	long r = user ? bpf_probe_read_user(b->buf + off, len, src)
	              : bpf_probe_read_kernel(b->buf + off, len, src);
	if (r < 0)
		len = 0;
	b->off = off + len;
	set_len(b, len);
}

/* A NUL-terminated string, NUL included; an unreadable one is empty. */
static __always_inline void put_str(struct builder *b, const void *src, bool user)
{
	if (b->off > CF_VAR_LIMIT || !src) {
		put_empty_str(b);
		return;
	}
	__u32 off = b->off & CF_HALF_MASK;
	long r = user ? bpf_probe_read_user_str(b->buf + off, CF_MAX_PATH, src)
	              : bpf_probe_read_kernel_str(b->buf + off, CF_MAX_PATH, src);
	if (r < 1) {
		b->buf[off] = 0;
		r = 1;
	}
	r &= CF_SCRATCH - 1;
	b->off = off + r;
	set_len(b, r);
}

/* The reader is woken by the record that takes the pending data past CF_WAKEUP_BYTES, not by
 * every record after it: a reader that is slow to come (its output blocked) must not make every
 * traced syscall pay for a wake-up. The loader drains every 5 ms in any case. */
static __always_inline __u64 wakeup_flags(__u32 size)
{
	__u64 pending = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	return pending < CF_WAKEUP_BYTES && pending + size >= CF_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Pads the block to 4 bytes, writes both lengths and the trailer, and outputs it. */
static __always_inline void finish(struct builder *b)
{
	__u32 end = b->off & CF_HALF_MASK;
	__u8 *p = b->buf;
	/* The ppm header's len counts from the event header on (after the u16 cpu). */
	*(__u32 *)(p + 26) = end - CF_BLOCK_HDR - 2;
	*(__u32 *)(p + end) = 0;
	__u32 total = ((end + 3) & ~3U) + 4;
	if (total > CF_SCRATCH - 8) {
		count_drop(1);
		return;
	}
	*(__u32 *)(p + 4) = total;
	*(__u32 *)(p + ((total - 4) & CF_HALF_MASK)) = total;
	if (bpf_ringbuf_output(&events, p, total, wakeup_flags(total)))
		count_drop(0);
}

/* ---- kernel facts ---- */

static __always_inline struct file *fd_file(struct task_struct *task, __s64 fd)
{
	if (fd < 0)
		return NULL;
	struct files_struct *files = BPF_CORE_READ(task, files);
	if (!files)
		return NULL;
	struct fdtable *fdt = BPF_CORE_READ(files, fdt);
	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline struct sock *file_sock(struct file *f)
{
	if (!f)
		return NULL;
	/* Only socket files have socket_file_ops; their private_data is the struct socket. A
	 * cheap check that it is one: the socket points back at the file. */
	struct socket *s = BPF_CORE_READ(f, private_data);
	if (!s || BPF_CORE_READ(s, file) != f)
		return NULL;
	return BPF_CORE_READ(s, sk);
}

/* scap's device encoding (new_encode_dev) of a kernel dev_t (MAJOR << 20 | MINOR). */
static __always_inline __u32 encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline __u32 kb_of_pages(__u64 pages)
{
	return pages << 2; /* 4 KiB pages */
}

static __always_inline __s64 rss_counter(struct mm_struct *mm, int i)
{
	__s64 v = 0;
	if (i < 0 || i > 3)
		return 0;
	bpf_core_read(&v, sizeof(v), &mm->rss_stat[i].count);
	return v < 0 ? 0 : v;
}

static __always_inline __u32 vm_size_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	return mm ? kb_of_pages(BPF_CORE_READ(mm, total_vm)) : 0;
}

/* MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SWAPENTS 2, MM_SHMEMPAGES 3 */
static __always_inline __u32 vm_rss_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	return mm ? kb_of_pages(rss_counter(mm, 0) + rss_counter(mm, 1) + rss_counter(mm, 3)) : 0;
}

static __always_inline __u32 vm_swap_kb(struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	return mm ? kb_of_pages(rss_counter(mm, 2)) : 0;
}

/* ---- conversions to the driver's PPM_* encodings ---- */

#define N_O_WRONLY 01
#define N_O_RDWR 02
#define N_O_CREAT 0100
#define N_O_EXCL 0200
#define N_O_TRUNC 01000
#define N_O_APPEND 02000
#define N_O_NONBLOCK 04000
#define N_O_DSYNC 010000
#define N_O_DIRECT 040000
#define N_O_LARGEFILE 0100000
#define N_O_DIRECTORY 0200000
#define N_O_CLOEXEC 02000000
#define N___O_SYNC 04000000
#define N___O_TMPFILE 020000000

static __always_inline __u32 open_flags(__u64 f)
{
	__u32 r;
	switch (f & 3) {
	case N_O_WRONLY: r = 2; break;
	case N_O_RDWR: r = 3; break;
	default: r = 1; break;
	}
	if (f & N_O_CREAT) r |= 1 << 2;
	if (f & N_O_APPEND) r |= 1 << 3;
	if (f & N_O_DSYNC) r |= 1 << 4;
	if (f & N_O_EXCL) r |= 1 << 5;
	if (f & N_O_NONBLOCK) r |= 1 << 6;
	if (f & N___O_SYNC) r |= 1 << 7;
	if (f & N_O_TRUNC) r |= 1 << 8;
	if (f & N_O_DIRECT) r |= 1 << 9;
	if (f & N_O_DIRECTORY) r |= 1 << 10;
	if (f & N_O_LARGEFILE) r |= 1 << 11;
	if (f & N_O_CLOEXEC) r |= 1 << 12;
	if (f & N___O_TMPFILE) r |= 1 << 13;
	return r;
}

static __always_inline __u32 prot_flags(__u64 p)
{
	__u32 r = p & 0xf; /* READ, WRITE, EXEC, SEM share their bits */
	if (p & 0x01000000) r |= 16; /* PROT_GROWSDOWN */
	if (p & 0x02000000) r |= 32; /* PROT_GROWSUP */
	return r;
}

static __always_inline __u32 mmap_flags(__u64 f)
{
	__u32 r = f & 3; /* SHARED, PRIVATE */
	if (f & 0x10) r |= 4;       /* FIXED */
	if (f & 0x20) r |= 8;       /* ANONYMOUS */
	if (f & 0x40) r |= 16;      /* 32BIT */
	if (f & 0x4000) r |= 64;    /* NORESERVE */
	if (f & 0x8000) r |= 128;   /* POPULATE */
	if (f & 0x10000) r |= 256;  /* NONBLOCK */
	if (f & 0x100) r |= 512;    /* GROWSDOWN */
	if (f & 0x800) r |= 1024;   /* DENYWRITE */
	if (f & 0x1000) r |= 2048;  /* EXECUTABLE */
	if (f & 0x2000) r |= 16384; /* LOCKED */
	return r;
}

static __always_inline __u32 fcntl_cmd(__u64 c)
{
	switch (c) {
	case 0: return 1;   /* F_DUPFD */
	case 1: return 2;   /* F_GETFD */
	case 2: return 3;   /* F_SETFD */
	case 3: return 4;   /* F_GETFL */
	case 4: return 5;   /* F_SETFL */
	case 5: return 6;   /* F_GETLK */
	case 6: return 8;   /* F_SETLK */
	case 7: return 9;   /* F_SETLKW */
	case 8: return 10;  /* F_SETOWN */
	case 9: return 12;  /* F_GETOWN */
	case 10: return 13; /* F_SETSIG */
	case 11: return 15; /* F_GETSIG */
	case 15: return 21; /* F_SETOWN_EX */
	case 16: return 22; /* F_GETOWN_EX */
	case 36: return 30; /* F_OFD_GETLK */
	case 37: return 31;
	case 38: return 32;
	case 1024: return 23; /* F_SETLEASE */
	case 1025: return 24;
	case 1026: return 27; /* F_NOTIFY */
	case 1029: return 25; /* F_CANCELLK */
	case 1030: return 26; /* F_DUPFD_CLOEXEC */
	case 1031: return 28; /* F_SETPIPE_SZ */
	case 1032: return 29;
	default: return 0;
	}
}

/* An argument by a variable index: a switch, because the verifier refuses variable offsets
 * into the stack. */
static __always_inline __u64 pick(__u64 *a, unsigned int i)
{
	switch (i) {
	case 0: return a[0];
	case 1: return a[1];
	case 2: return a[2];
	case 3: return a[3];
	case 4: return a[4];
	case 5: return a[5];
	default: return 0;
	}
}

static __always_inline __u64 convert(__u64 v, __u8 conv, __u64 *a, __u8 mode_arg)
{
	switch (conv) {
	case CV_OPEN_FLAGS: return open_flags(v);
	case CV_OPEN_MODE:
		/* The driver reports a mode only when the call can create a file. */
		if (mode_arg < 6 && (pick(a, mode_arg) & (N_O_CREAT | N___O_TMPFILE)))
			return v & 07777;
		return 0;
	case CV_PROT: return prot_flags(v);
	case CV_MMAP_FLAGS: return mmap_flags(v);
	case CV_FCNTL: return fcntl_cmd(v);
	case CV_SIGNED: return (__s64)(__s32)v;
	case CV_MODE: return v & 07777;
	case CV_EVENTFD_FLAGS: return 0; /* 0.29.3's driver leaves eventfd's flags 0 */
	default: return v;
	}
}

/* ---- sockets ---- */

#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10

static __always_inline __u16 swab16(__u16 v) { return (v >> 8) | (v << 8); }

/* A sockaddr from user memory, as scap encodes it: family, address, port (host order); unix:
 * family and path. */
static __always_inline void put_sockaddr(struct builder *b, const void *usa, __u64 len)
{
	if (!usa || len < 2 || b->off > CF_VAR_LIMIT) {
		put_empty(b);
		return;
	}
	__u16 fam = 0;
	bpf_probe_read_user(&fam, 2, usa);
	__u32 off = b->off & CF_HALF_MASK;
	__u8 *p = b->buf + off;
	if (fam == AF_INET_ && len >= 8) {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), usa);
		p[0] = AF_INET_;
		*(__u32 *)(p + 1) = sin.sin_addr.s_addr;
		*(__u16 *)(p + 5) = swab16(sin.sin_port);
		b->off = off + 7;
		set_len(b, 7);
	} else if (fam == AF_INET6_ && len >= 24) {
		p[0] = AF_INET6_;
		bpf_probe_read_user(p + 1, 16, usa + 8);
		__u16 port = 0;
		bpf_probe_read_user(&port, 2, usa + 2);
		*(__u16 *)(p + 17) = swab16(port);
		b->off = off + 19;
		set_len(b, 19);
	} else if (fam == AF_UNIX_) {
		p[0] = AF_UNIX_;
		long r = bpf_probe_read_user_str(p + 1, 108, usa + 2);
		if (r < 1) {
			p[1] = 0;
			r = 1;
		}
		r &= 127;
		b->off = off + 1 + r;
		set_len(b, 1 + r);
	} else {
		p[0] = fam;
		b->off = off + 1;
		set_len(b, 1);
	}
}

/* The socket tuple of a socket, as the driver builds it: local then far end; `inbound` puts the
 * far end first. The far end is the user's sockaddr (sendto/recvfrom/connect) when given, else
 * the socket's peer. Unix sockets: the two kernel socket addresses and the path. */
static __always_inline void put_tuple(struct builder *b, struct sock *sk, const void *usa, __u64 ulen, bool inbound)
{
	if (!sk || b->off > CF_VAR_LIMIT) {
		put_empty(b);
		return;
	}
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u32 off = b->off & CF_HALF_MASK;
	__u8 *p = b->buf + off;
	if (fam == AF_INET_) {
		__u32 lip = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u32 rip = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 rport = swab16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (usa && ulen >= 8) {
			struct sockaddr_in sin = {};
			bpf_probe_read_user(&sin, sizeof(sin), usa);
			if (sin.sin_family == AF_INET_) {
				rip = sin.sin_addr.s_addr;
				rport = swab16(sin.sin_port);
			}
		}
		p[0] = AF_INET_;
		if (inbound) {
			*(__u32 *)(p + 1) = rip;
			*(__u16 *)(p + 5) = rport;
			*(__u32 *)(p + 7) = lip;
			*(__u16 *)(p + 11) = lport;
		} else {
			*(__u32 *)(p + 1) = lip;
			*(__u16 *)(p + 5) = lport;
			*(__u32 *)(p + 7) = rip;
			*(__u16 *)(p + 11) = rport;
		}
		b->off = off + 13;
		set_len(b, 13);
	} else if (fam == AF_INET6_) {
		__u8 lip[16], rip[16];
		BPF_CORE_READ_INTO(&lip, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&rip, sk, __sk_common.skc_v6_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = swab16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (usa && ulen >= 24) {
			__u16 ufam = 0;
			bpf_probe_read_user(&ufam, 2, usa);
			if (ufam == AF_INET6_) {
				bpf_probe_read_user(rip, 16, usa + 8);
				bpf_probe_read_user(&rport, 2, usa + 2);
				rport = swab16(rport);
			}
		}
		p[0] = AF_INET6_;
		__builtin_memcpy(p + 1, inbound ? rip : lip, 16);
		*(__u16 *)(p + 17) = inbound ? rport : lport;
		__builtin_memcpy(p + 19, inbound ? lip : rip, 16);
		*(__u16 *)(p + 35) = inbound ? lport : rport;
		b->off = off + 37;
		set_len(b, 37);
	} else if (fam == AF_UNIX_) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		p[0] = AF_UNIX_;
		*(__u64 *)(p + 1) = (__u64)sk;
		*(__u64 *)(p + 9) = (__u64)peer;
		/* The path: the peer's bound name when connected, else our own. */
		struct unix_address *ua = BPF_CORE_READ(peer ? (struct unix_sock *)peer : us, addr);
		long r = -1;
		if (ua)
			r = bpf_probe_read_kernel_str(p + 17, 108, (void *)ua + bpf_core_field_offset(struct unix_address, name) + 2);
		if (r < 1) {
			p[17] = 0;
			r = 1;
		}
		r &= 127;
		b->off = off + 17 + r;
		set_len(b, 17 + r);
	} else {
		put_empty(b);
	}
}

/* ---- iovecs ---- */

struct iovec_ { void *base; __u64 len; };

static __always_inline __u64 iov_total(const struct iovec_ *iov, __u64 cnt)
{
	__u64 total = 0;
	for (int i = 0; i < 16; i++) {
		if (i >= cnt)
			break;
		struct iovec_ v = {};
		bpf_probe_read_user(&v, sizeof(v), &iov[i]);
		total += v.len;
	}
	return total;
}

/* The first `want` bytes (≤ snaplen) of what an iovec array holds. */
static __always_inline void put_iov(struct builder *b, const struct iovec_ *iov, __u64 cnt, __u64 want)
{
	if (!iov || b->off > CF_VAR_LIMIT) {
		put_empty(b);
		return;
	}
	if (want > snaplen)
		want = snaplen;
	if (want > CF_MAX_SNAPLEN)
		want = CF_MAX_SNAPLEN;
	__u32 start = b->off & CF_HALF_MASK;
	__u32 got = 0;
	for (int i = 0; i < 8; i++) {
		if (i >= cnt || got >= want)
			break;
		struct iovec_ v = {};
		bpf_probe_read_user(&v, sizeof(v), &iov[i]);
		__u64 n = v.len;
		if (n > want - got)
			n = want - got;
		if (n > CF_MAX_SNAPLEN)
			n = CF_MAX_SNAPLEN;
		__u32 at = (start + got) & CF_HALF_MASK;
		if (bpf_probe_read_user(b->buf + at, n, v.base) < 0)
			break;
		got += n;
		if (got > CF_MAX_SNAPLEN)
			break;
	}
	got &= CF_SCRATCH - 1;
	b->off = start + got;
	set_len(b, got);
}

/* PT_FDLIST: u16 count, then per fd an i64 fd and u16 PPM_POLL* flags (the first 16 fds). */
static __always_inline __u16 poll_flags(__u16 f)
{
	__u16 r = f & 7; /* IN, PRI, OUT */
	if (f & 0x2000) r |= 8;   /* RDHUP */
	if (f & 0x8) r |= 16;     /* ERR */
	if (f & 0x10) r |= 32;    /* HUP */
	if (f & 0x20) r |= 64;    /* NVAL */
	if (f & 0x40) r |= 128;   /* RDNORM */
	if (f & 0x80) r |= 256;   /* RDBAND */
	if (f & 0x100) r |= 512;  /* WRNORM */
	if (f & 0x200) r |= 1024; /* WRBAND */
	return r;
}

struct pollfd_ { int fd; short events, revents; };

static __always_inline void put_fdlist(struct builder *b, const struct pollfd_ *fds, __u64 nfds, __u8 revents)
{
	if (b->off > CF_VAR_LIMIT) {
		put_empty(b);
		return;
	}
	__u32 start = b->off & CF_HALF_MASK;
	__u16 n = 0;
	for (int i = 0; i < 16; i++) {
		if (i >= nfds || !fds)
			break;
		struct pollfd_ pf = {};
		if (bpf_probe_read_user(&pf, sizeof(pf), &fds[i]) < 0)
			break;
		__u32 at = (start + 2 + n * 10) & CF_HALF_MASK;
		*(__s64 *)(b->buf + at) = pf.fd;
		*(__u16 *)(b->buf + ((at + 8) & CF_HALF_MASK)) = poll_flags(revents ? pf.revents : pf.events);
		n++;
	}
	*(__u16 *)(b->buf + start) = n;
	__u32 len = 2 + n * 10;
	len &= 255;
	b->off = start + len;
	set_len(b, len);
}

/* ---- table-driven syscall events ---- */

static __always_inline void put_param(struct builder *b, const volatile struct cf_param *pp, __u64 *a,
				      __s64 ret, __u32 id, __u16 ppm_sc, __u8 mode_arg, bool have_ret)
{
	__u8 kind = pp->kind, arg = pp->arg, size = pp->size, aux = pp->aux;
	if (arg > 5)
		arg = 5;
	__u64 v = pick(a, arg);
	struct task_struct *task = bpf_get_current_task_btf();
	switch (kind) {
	case PK_ARG:
		put_int(b, convert(v, aux, a, mode_arg), size);
		break;
	case PK_RES:
		put_int(b, ret, size);
		break;
	case PK_CONST:
		put_int(b, aux, size);
		break;
	case PK_PATH:
		put_str(b, (void *)v, true);
		break;
	case PK_BUF_RES:
		put_mem(b, (void *)v, ret > 0 ? (ret < snaplen ? ret : snaplen) : 0, true);
		break;
	case PK_BUF_ARG: {
		__u64 n = pick(a, aux);
		put_mem(b, (void *)v, n < snaplen ? n : snaplen, true);
		break;
	}
	case PK_IOV_RES:
		put_iov(b, (void *)v, pick(a, aux), ret > 0 ? ret : 0);
		break;
	case PK_IOV_LEN:
		put_iov(b, (void *)v, pick(a, aux), iov_total((void *)v, pick(a, aux)));
		break;
	case PK_IOV_SIZE:
		put_int(b, iov_total((void *)v, pick(a, aux)), 4);
		break;
	case PK_MSG_RES:
	case PK_MSG_LEN:
	case PK_MSG_SIZE: {
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)v);
		__u64 total = iov_total((void *)m.msg_iov, m.msg_iovlen);
		if (kind == PK_MSG_SIZE)
			put_int(b, total, 4);
		else
			put_iov(b, (void *)m.msg_iov, m.msg_iovlen, kind == PK_MSG_RES ? (ret > 0 ? ret : 0) : total);
		break;
	}
	case PK_SOCKADDR: {
		__u64 len = pick(a, aux);
		put_sockaddr(b, (void *)v, len);
		break;
	}
	case PK_SOCKADDR_OUT: {
		int len = 0;
		if (pick(a, aux))
			bpf_probe_read_user(&len, sizeof(len), (void *)pick(a, aux));
		if (have_ret && ret < 0)
			len = 0;
		put_sockaddr(b, (void *)v, len);
		break;
	}
	case PK_TUPLE_FD:
	case PK_TUPLE_RES: {
		__s64 fd = kind == PK_TUPLE_RES ? ret : (__s64)(__s32)v;
		if (kind == PK_TUPLE_RES && ret < 0) {
			put_empty(b);
			break;
		}
		const void *usa = NULL;
		__u64 ulen = 0;
		__u8 ua = aux & 0x0f;
		if (ua >= 1 && ua <= 5) {
			usa = (void *)pick(a, ua - 1);
			/* The sockaddr's length: the next argument, or behind a pointer there (recvfrom). */
			if (aux & 0x40) {
				int l = 0;
				if (pick(a, ua))
					bpf_probe_read_user(&l, sizeof(l), (void *)pick(a, ua));
				ulen = l;
			} else {
				ulen = pick(a, ua);
			}
		}
		put_tuple(b, file_sock(fd_file(task, fd)), usa, ulen, aux & 0x80);
		break;
	}
	case PK_TUPLE_MSG: {
		struct user_msghdr m = {};
		__u8 ma = aux & 0x0f;
		if (ma >= 1 && ma <= 6)
			bpf_probe_read_user(&m, sizeof(m), (void *)pick(a, ma - 1));
		put_tuple(b, file_sock(fd_file(task, (__s32)v)), m.msg_name, m.msg_namelen, aux & 0x80);
		break;
	}
	case PK_HOW: {
		__u64 how[3] = {};
		bpf_probe_read_user(how, sizeof(how), (void *)v);
		__u64 r = 0;
		if (aux == 0) {
			r = open_flags(how[0]);
		} else if (aux == 1) {
			r = (how[0] & (N_O_CREAT | N___O_TMPFILE)) ? (how[1] & 07777) : 0;
		} else {
			__u64 x = how[2];
			if (x & 0x08) r |= 1;  /* RESOLVE_BENEATH */
			if (x & 0x10) r |= 2;  /* RESOLVE_IN_ROOT */
			if (x & 0x02) r |= 4;  /* RESOLVE_NO_MAGICLINKS */
			if (x & 0x04) r |= 8;  /* RESOLVE_NO_SYMLINKS */
			if (x & 0x01) r |= 16; /* RESOLVE_NO_XDEV */
			if (x & 0x20) r |= 32; /* RESOLVE_CACHED */
		}
		put_int(b, r, 4);
		break;
	}
	case PK_TIMESPEC: {
		__s64 ts[2] = {};
		bpf_probe_read_user(ts, sizeof(ts), (void *)v);
		put_int(b, ts[0] * 1000000000ULL + ts[1], 8);
		break;
	}
	case PK_FDLIST:
		put_fdlist(b, (void *)v, a[1], aux);
		break;
	case PK_FDPAIR: {
		int fds[2] = {};
		if (!have_ret || ret >= 0)
			bpf_probe_read_user(fds, sizeof(fds), (void *)v);
		put_int(b, (__s64)((aux & 1) ? fds[1] : fds[0]), 8);
		break;
	}
	case PK_PIPE_INO: {
		int fds[2] = {};
		__u64 ino = 0;
		if (ret >= 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)v) == 0) {
			struct file *f = fd_file(task, fds[0]);
			if (f)
				ino = BPF_CORE_READ(f, f_inode, i_ino);
		}
		put_int(b, ino, 8);
		break;
	}
	case PK_SOCK_ADDR_PAIR: {
		int fds[2] = {};
		__u64 addr = 0;
		if (ret >= 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)v) == 0) {
			struct sock *sk = file_sock(fd_file(task, fds[0]));
			if (sk)
				addr = aux ? (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer) : (__u64)sk;
		}
		put_int(b, addr, 8);
		break;
	}
	case PK_DEV_RES: {
		__u32 dev = 0;
		struct file *f = ret >= 0 ? fd_file(task, ret) : NULL;
		if (f)
			dev = encode_dev(BPF_CORE_READ(f, f_inode, i_sb, s_dev));
		put_int(b, dev, 4);
		break;
	}
	case PK_FLAGS_RES: {
		/* Later drivers add O_F_CREATED (FMODE_CREATED) here; 0.29.3's had no such flag. */
		put_int(b, open_flags(v), 4);
		break;
	}
	case PK_QUEUE: {
		__u32 len = 0, max = 0;
		struct sock *sk = file_sock(fd_file(task, (__s32)a[0]));
		if (sk) {
			len = BPF_CORE_READ(sk, sk_ack_backlog);
			max = BPF_CORE_READ(sk, sk_max_ack_backlog);
		}
		if (aux == 0)
			put_int(b, max ? len * 100 / max : 0, 1);
		else
			put_int(b, aux == 1 ? len : max, 4);
		break;
	}
	case PK_VM_SIZE:
		put_int(b, vm_size_kb(task), 4);
		break;
	case PK_VM_RSS:
		put_int(b, vm_rss_kb(task), 4);
		break;
	case PK_VM_SWAP:
		put_int(b, vm_swap_kb(task), 4);
		break;
	case PK_SYSCALL_ID:
		put_int(b, ppm_sc, 2);
		break;
	case PK_NATIVE_ID:
		put_int(b, id, 2);
		break;
	default:
		put_empty(b);
	}
}

static __always_inline void read_args(struct pt_regs *regs, __u64 *a)
{
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
}

/* The generic events: PPME_GENERIC_E (ID, nativeID) and PPME_GENERIC_X (ID), fixed in size,
 * reserved in the ring buffer directly (the path every untabled syscall takes: cheapest). */
#define GENERIC_E_LEN (CF_HDR_LEN + 4 + 4 + 4)  /* 2 lengths, 2 x u16, trailer */
#define GENERIC_X_LEN (CF_HDR_LEN + 2 + 2 + 4)  /* 1 length, u16, trailer */

static __always_inline void write_generic(__u8 *p, bool enter, __u64 ts, __u32 tid, __u16 ppm_sc, __u16 id, __u16 cpu)
{
	__u32 size = enter ? GENERIC_E_LEN : GENERIC_X_LEN;
	*(__u32 *)(p + 0) = CF_EV_BLOCK_TYPE_V2;
	*(__u32 *)(p + 4) = size;
	*(__u16 *)(p + 8) = cpu;
	*(__u64 *)(p + 10) = ts;
	*(__u64 *)(p + 18) = tid;
	*(__u16 *)(p + 30) = enter ? 0 : 1;
	if (enter) {
		*(__u32 *)(p + 26) = 26 + 4 + 4;
		*(__u32 *)(p + 32) = 2;
		*(__u16 *)(p + 36) = 2;
		*(__u16 *)(p + 38) = 2;
		*(__u16 *)(p + 40) = ppm_sc;
		*(__u16 *)(p + 42) = id;
		*(__u32 *)(p + 44) = size;
	} else {
		*(__u32 *)(p + 26) = 26 + 2 + 2;
		*(__u32 *)(p + 32) = 1;
		*(__u16 *)(p + 36) = 2;
		*(__u16 *)(p + 38) = ppm_sc;
		*(__u32 *)(p + 40) = size;
	}
}

static __always_inline struct pending_enter *pending_slot(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&pending, &zero);
}

static __always_inline __u8 *stage_data(void)
{
	__u32 zero = 0;
	struct stage_buf *sb = bpf_map_lookup_elem(&stage, &zero);
	return sb ? sb->data : NULL;
}

/* Outputs the stage as one ring record; the caller holds `busy`. */
static __always_inline void output_stage(struct pending_enter *pe)
{
	__u32 n = pe->staged & (CF_STAGE - 1); /* always < CF_STAGE: the mask is for the verifier */
	__u8 *data = stage_data();
	if (n > 0 && data && bpf_ringbuf_output(&events, data, n, wakeup_flags(n)))
		count_drops(0, pe->staged_events);
	pe->staged = 0;
	pe->staged_events = 0;
}

/* Where the next `len` bytes go in the stage (output first if they would not fit); the caller
 * holds `busy`. */
static __always_inline __u8 *stage_room(struct pending_enter *pe, __u32 len)
{
	if (pe->staged + len >= CF_STAGE) /* the stage holds less than CF_STAGE bytes */
		output_stage(pe);
	__u32 off = pe->staged & (CF_STAGE - 1);
	__u8 *data = stage_data();
	if (!data || off + len >= CF_STAGE) /* never: for the verifier */
		return NULL;
	pe->staged = off + len;
	return data + off;
}

/* Appends this CPU's held enter, if any, to the stage; the caller holds `busy`. */
static __always_inline void stage_held_enter(struct pending_enter *pe)
{
	if (!pe->valid)
		return;
	pe->valid = 0;
	__u8 *p = stage_room(pe, GENERIC_E_LEN);
	if (!p)
		return;
	write_generic(p, true, pe->ts, pe->tid, pe->ppm_sc, pe->id, bpf_get_smp_processor_id());
	pe->staged_events += 1;
}

/* What this CPU has staged, out now, and with `held` its held enter first; left for the next
 * flush when the stage is busy (see `busy` above). */
static __always_inline void flush_stage(struct pending_enter *pe, bool held)
{
	if (!pe || pe->busy)
		return;
	pe->busy = 1;
	if (held)
		stage_held_enter(pe);
	output_stage(pe);
	pe->busy = 0;
}

/* Everything generic this CPU holds, out now, before anything else is recorded on it. */
static __always_inline void flush_pending(struct pending_enter *pe)
{
	flush_stage(pe, true);
}

/* A generic event in a record of its own: when the stage is busy (this program runs on a CPU
 * where another, preempted, holds it). */
static __always_inline void output_generic(bool enter, __u64 ts, __u32 tid, __u16 ppm_sc, __u16 id)
{
	__u32 len = enter ? GENERIC_E_LEN : GENERIC_X_LEN;
	__u8 *p = bpf_ringbuf_reserve(&events, len, 0);
	if (!p) {
		count_drop(0);
		return;
	}
	write_generic(p, enter, ts, tid, ppm_sc, id, bpf_get_smp_processor_id());
	bpf_ringbuf_submit(p, wakeup_flags(len));
}

static __always_inline void generic_enter(struct pending_enter *pe, __u16 ppm_sc, __u32 id, __u32 tid)
{
	if (!pe)
		return;
	if (pe->busy) {
		output_generic(true, now_ns(), tid, ppm_sc, id);
		return;
	}
	pe->busy = 1;
	stage_held_enter(pe); /* an enter whose exit did not come here (exit_group, a migration) */
	pe->ts = now_ns();
	pe->tid = tid;
	pe->ppm_sc = ppm_sc;
	pe->id = id;
	pe->valid = 1;
	pe->busy = 0;
}

static __always_inline void generic_exit(struct pending_enter *pe, __u16 ppm_sc, __u32 id, __u32 tid)
{
	__u64 ts = now_ns();
	if (!pe)
		return;
	if (pe->busy) {
		output_generic(false, ts, tid, ppm_sc, id);
		return;
	}
	pe->busy = 1;
	__u16 cpu = bpf_get_smp_processor_id();
	if (pe->valid && pe->tid == tid) {
		/* Its enter, then the exit, together. */
		pe->valid = 0;
		__u8 *p = stage_room(pe, GENERIC_E_LEN + GENERIC_X_LEN);
		if (p) {
			write_generic(p, true, pe->ts, tid, pe->ppm_sc, pe->id, cpu);
			write_generic(p + GENERIC_E_LEN, false, ts, tid, ppm_sc, id, cpu);
			pe->staged_events += 2;
		}
	} else {
		stage_held_enter(pe);
		__u8 *p = stage_room(pe, GENERIC_X_LEN);
		if (p) {
			write_generic(p, false, ts, tid, ppm_sc, id, cpu);
			pe->staged_events += 1;
		}
	}
	pe->busy = 0;
}

/* One parameter of a table-driven event: `i` of the enter (or exit) parameters of syscall `id`,
 * appended to this CPU's record. */
__noinline int emit_param(__u32 id, __u32 i, __u32 enter, __s64 ret)
{
	__u32 zero = 0;
	struct build_state *st = bpf_map_lookup_elem(&bstate, &zero);
	__u8 *buf = scratch_area();
	if (!st || !buf || id >= CF_MAX_SYSCALLS || i >= CF_MAX_TPARAMS)
		return 0;
	/* Bounds the verifier sees on the register it indexes with. */
	asm volatile("%0 &= 511" : "+r"(id));
	asm volatile("%0 &= 7" : "+r"(i));
	if (i >= CF_MAX_TPARAMS)
		return 0;
	const volatile struct cf_syscall *sc = &sc_table[id];
	__u64 a[6];
	for (int k = 0; k < 6; k++)
		a[k] = st->a[k];
	struct builder b = { .buf = buf, .off = st->off, .n = st->n };
	put_param(&b, enter ? &sc->enter[i] : &sc->exit[i], a, ret, id, sc->ppm_sc, sc->mode_flags_arg, !enter);
	st->off = b.off;
	st->n = b.n;
	return 0;
}

static __always_inline void table_event(struct pt_regs *regs, __u32 id, bool enter, __s64 ret)
{
	const volatile struct cf_syscall *sc = &sc_table[id];
	__u8 n = enter ? sc->n_enter : sc->n_exit;
	__u16 type = enter ? sc->enter_type : sc->exit_type;
	__u8 *buf = scratch_area();
	__u32 zero = 0;
	struct build_state *st = bpf_map_lookup_elem(&bstate, &zero);
	if (!buf || !st)
		return;
	read_args(regs, st->a);
	struct builder b = { .buf = buf };
	begin(&b, type, n, bpf_get_current_pid_tgid() & 0xffffffff, now_ns());
	st->off = b.off;
	st->n = 0;
	for (int i = 0; i < CF_MAX_TPARAMS; i++) {
		if (i >= n)
			break;
		emit_param(id, i, enter, ret);
	}
	b.off = st->off;
	b.n = st->n;
	finish(&b);
}

/* ---- process events ---- */

/* A cgroup's path below its hierarchy's root, "/a/b", written at the builder's offset without
 * a NUL; returns its length. Names are gathered leaf first in the scratch's tail, then copied
 * root first. */
#define CG_DEPTH 8
__noinline __u32 emit_cgroup_path(__u32 off, __u64 cgp)
{
	__u8 *buf = scratch_area();
	if (!buf)
		return 0;
	struct cgroup *cg = (struct cgroup *)cgp;
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	const char *names[CG_DEPTH] = {};
	int depth = 0;
	for (int i = 0; i < CG_DEPTH; i++) {
		if (!kn)
			break;
		struct kernfs_node *parent = BPF_CORE_READ(kn, __parent);
		if (!parent)
			break; /* the root's own name is not part of the path */
		names[i] = BPF_CORE_READ(kn, name);
		depth = i + 1;
		kn = parent;
	}
	__u32 len = 0;
	if (depth == 0) {
		buf[off & CF_HALF_MASK] = '/';
		return 1;
	}
	for (int i = CG_DEPTH - 1; i >= 0; i--) {
		if (i >= depth)
			continue;
		__u32 at = (off + len) & CF_HALF_MASK;
		buf[at] = '/';
		len++;
		at = (off + len) & CF_HALF_MASK;
		long r = bpf_probe_read_kernel_str(buf + at, 256, names[i]);
		if (r > 1)
			len += r - 1; /* without its NUL */
		if (len > 2048)
			break;
	}
	return len;
}

/* "subsys=path\0" for each cgroup subsystem of the task, as the driver writes its cgroups. */
static __always_inline void put_cgroups(struct builder *b, struct task_struct *task)
{
	if (b->off > CF_VAR_LIMIT) {
		put_empty(b);
		return;
	}
	__u32 start = b->off & CF_HALF_MASK;
	__u32 len = 0;
	struct css_set *cs = BPF_CORE_READ(task, cgroups);
	for (int i = 0; i < 12; i++) {
		if (!cs || len > 4096)
			break;
		struct cgroup_subsys_state *css = NULL;
		bpf_core_read(&css, sizeof(css), &cs->subsys[i]);
		if (!css)
			continue;
		const char *name = BPF_CORE_READ(css, ss, name);
		struct cgroup *cg = BPF_CORE_READ(css, cgroup);
		if (!name || !cg)
			continue;
		__u32 at = (start + len) & CF_HALF_MASK;
		long r = bpf_probe_read_kernel_str(b->buf + at, 32, name);
		if (r <= 1)
			continue;
		len += r - 1;
		b->buf[(start + len) & CF_HALF_MASK] = '=';
		len++;
		len += emit_cgroup_path(start + len, (__u64)cg);
		len &= 16383;
		b->buf[(start + len) & CF_HALF_MASK] = 0;
		len++;
	}
	len &= 8191;
	b->off = start + len;
	set_len(b, len);
}

/* The process's argument area (argv, NUL-separated) from its mm: the first string is exe, the
 * rest args. */
static __always_inline void put_exe_args(struct builder *b, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 start = mm ? BPF_CORE_READ(mm, arg_start) : 0;
	__u64 end = mm ? BPF_CORE_READ(mm, arg_end) : 0;
	if (!start || end <= start || b->off > CF_VAR_LIMIT) {
		put_empty_str(b);
		put_empty(b);
		return;
	}
	__u64 total = end - start;
	if (total > CF_MAX_ARGS)
		total = CF_MAX_ARGS;
	/* exe: the first string */
	__u32 off = b->off & CF_HALF_MASK;
	long r = bpf_probe_read_user_str(b->buf + off, CF_MAX_PATH, (void *)start);
	if (r < 1) {
		b->buf[off] = 0;
		r = 1;
	}
	r &= CF_MAX_PATH * 2 - 1;
	b->off = off + r;
	set_len(b, r);
	/* args: what follows it */
	__u64 rest = total > (__u64)r ? total - r : 0;
	put_mem(b, (void *)(start + r), rest, true);
}

static __always_inline void put_env(struct builder *b, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 start = mm ? BPF_CORE_READ(mm, env_start) : 0;
	__u64 end = mm ? BPF_CORE_READ(mm, env_end) : 0;
	if (!start || end <= start) {
		put_empty(b);
		return;
	}
	__u64 n = end - start;
	put_mem(b, (void *)start, n > CF_MAX_ARGS ? CF_MAX_ARGS : n, true);
}

/* The id of a pid in the namespace it was made in (its last level): vtid, vpid, vpgid. */
static __always_inline __u32 pid_vnr(struct pid *pid)
{
	if (!pid)
		return 0;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};
	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

static __always_inline __u32 pid_nr0(struct pid *pid)
{
	if (!pid)
		return 0;
	return BPF_CORE_READ(pid, numbers[0].nr);
}

static __always_inline __u64 fdlimit(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
}

/* PPM_CL_* of the native clone flags. */
static __always_inline __u32 clone_flags(__u64 f)
{
	__u32 r = 0;
	if (f & 0x00000400) r |= 1;        /* CLONE_FILES */
	if (f & 0x00000200) r |= 2;        /* CLONE_FS */
	if (f & 0x80000000) r |= 4;        /* CLONE_IO */
	if (f & 0x08000000) r |= 8;        /* CLONE_NEWIPC */
	if (f & 0x40000000) r |= 16;       /* CLONE_NEWNET */
	if (f & 0x00020000) r |= 32;       /* CLONE_NEWNS */
	if (f & 0x20000000) r |= 64;       /* CLONE_NEWPID */
	if (f & 0x04000000) r |= 128;      /* CLONE_NEWUTS */
	if (f & 0x00008000) r |= 256;      /* CLONE_PARENT */
	if (f & 0x00100000) r |= 512;      /* CLONE_PARENT_SETTID */
	if (f & 0x00002000) r |= 1024;     /* CLONE_PTRACE */
	if (f & 0x00000800) r |= 2048;     /* CLONE_SIGHAND */
	if (f & 0x00040000) r |= 4096;     /* CLONE_SYSVSEM */
	if (f & 0x00010000) r |= 8192;     /* CLONE_THREAD */
	if (f & 0x00800000) r |= 16384;    /* CLONE_UNTRACED */
	if (f & 0x00000100) r |= 32768;    /* CLONE_VM */
	if (f & 0x10000000) r |= 1048576;  /* CLONE_NEWUSER */
	if (f & 0x00200000) r |= 8388608;  /* CLONE_CHILD_CLEARTID */
	if (f & 0x01000000) r |= 16777216; /* CLONE_CHILD_SETTID */
	if (f & 0x00080000) r |= 33554432; /* CLONE_SETTLS */
	if (f & 0x00004000) r |= 134217728; /* CLONE_VFORK */
	if (f & 0x02000000) r |= 268435456; /* CLONE_NEWCGROUP */
	return r;
}

#define BUILDER_IN(b, st) do { (b).off = (st)->off; (b).n = (st)->n; } while (0)
#define BUILDER_OUT(b, st) do { (st)->off = (b).off; (st)->n = (b).n; } while (0)

static __always_inline struct build_state *build_state(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&bstate, &zero);
}

/* The variable parts of process events, each a global function so that the verifier checks it
 * once, not at every call; one body, made per part by this macro. */
#define EMIT_FROM_TASK(name, put)                                      \
	__noinline int name(void)                                      \
	{                                                              \
		struct build_state *st = build_state();                \
		__u8 *buf = scratch_area();                            \
		if (!st || !buf)                                       \
			return 0;                                      \
		struct builder b = { .buf = buf };                     \
		BUILDER_IN(b, st);                                     \
		put(&b, bpf_get_current_task_btf());                   \
		BUILDER_OUT(b, st);                                    \
		return 0;                                              \
	}

EMIT_FROM_TASK(emit_cgroups, put_cgroups)
EMIT_FROM_TASK(emit_exe_args, put_exe_args)
EMIT_FROM_TASK(emit_env, put_env)

/* clone/fork/vfork/clone3 exit (PPME_SYSCALL_CLONE_20_X and its siblings, 20 parameters in
 * 0.29.3) and execve/execveat exit (EXECVE_19_X, 20): in the parent and in the child, built
 * from the current task. */
static __always_inline void process_event(struct pt_regs *regs, __u32 id, __s64 ret, __u16 type, bool execve)
{
	__u8 *buf = scratch_area();
	struct build_state *st = build_state();
	if (!buf || !st)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 a[6];
	read_args(regs, a);
	struct builder b = { .buf = buf };
	begin(&b, type, 20, bpf_get_current_pid_tgid() & 0xffffffff, now_ns());
	put_int(&b, ret, 8);                                    /* res */
	BUILDER_OUT(b, st);
	emit_exe_args();                                        /* exe, args */
	BUILDER_IN(b, st);
	put_int(&b, t->pid, 8);                                 /* tid */
	put_int(&b, t->tgid, 8);                                /* pid */
	put_int(&b, BPF_CORE_READ(t, real_parent, pid), 8);     /* ptid */
	put_empty_str(&b);                                      /* cwd: libsinsp keeps the parent's (as falco's modern_bpf) */
	put_int(&b, fdlimit(t), 8);                             /* fdlimit */
	put_int(&b, t->maj_flt, 8);                             /* pgft_maj */
	put_int(&b, t->min_flt, 8);                             /* pgft_min */
	put_int(&b, vm_size_kb(t), 4);
	put_int(&b, vm_rss_kb(t), 4);
	put_int(&b, vm_swap_kb(t), 4);
	put_str(&b, t->comm, false);                            /* comm */
	BUILDER_OUT(b, st);
	emit_cgroups();                                         /* cgroups */
	if (execve)
		emit_env();                                     /* env */
	BUILDER_IN(b, st);
	if (execve) {
		__u32 tty = 0;
		struct tty_struct *tt = BPF_CORE_READ(t, signal, tty);
		if (tt) {
			int major = BPF_CORE_READ(tt, driver, major);
			int minor = BPF_CORE_READ(tt, driver, minor_start) + BPF_CORE_READ(tt, index);
			tty = encode_dev((major << 20) | minor);
		}
		put_int(&b, tty, 4);                            /* tty */
		put_int(&b, pid_vnr(BPF_CORE_READ(t, signal, pids[2])), 8); /* pgid (PIDTYPE_PGID) */
		put_int(&b, BPF_CORE_READ(t, loginuid.val), 4); /* loginuid */
		put_int(&b, 0, 4);                              /* flags */
	} else {
		__u64 f = a[0];
		if (type == 335) { /* clone3: flags are the first field of struct clone_args */
			f = 0;
			bpf_probe_read_user(&f, 8, (void *)a[0]);
		} else if (type != 223) {
			f = type == 227 ? 0x00004100 : 0; /* vfork: CLONE_VFORK | CLONE_VM */
		}
		__u32 fl = clone_flags(f);
		/* The child of a new pid namespace sees itself as pid 1 there. */
		if (ret == 0 && pid_vnr(BPF_CORE_READ(t, thread_pid)) != (__u32)t->pid)
			fl |= 536870912; /* PPM_CL_CHILD_IN_PIDNS */
		put_int(&b, fl, 4);                             /* flags */
		put_int(&b, BPF_CORE_READ(t, cred, euid.val), 4);  /* uid */
		put_int(&b, BPF_CORE_READ(t, cred, egid.val), 4);  /* gid */
		put_int(&b, pid_vnr(BPF_CORE_READ(t, thread_pid)), 8);                /* vtid */
		put_int(&b, pid_vnr(BPF_CORE_READ(t, group_leader, thread_pid)), 8);  /* vpid */
	}
	finish(&b);
}

/* ---- programs ---- */

SEC("tp_btf/sys_enter")
int BPF_PROG(cf_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();
	if (!interesting_pt(pt))
		return 0;
	if (id < 0 || id >= CF_MAX_SYSCALLS)
		return 0;
	const volatile struct cf_syscall *sc = &sc_table[id];
	__u8 flags = sc->flags;
	struct pending_enter *pe = pending_slot();
	if (!(flags & SCF_USED)) {
		generic_enter(pe, sc->ppm_sc, id, pt & 0xffffffff);
		return 0;
	}
	flush_pending(pe);
	if (flags & SCF_NO_ENTER)
		return 0;
	table_event(regs, id, true, 0);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(cf_sys_exit, struct pt_regs *regs, long ret)
{
	long id = regs->orig_ax;
	if (id < 0 || id >= CF_MAX_SYSCALLS)
		return 0;
	const volatile struct cf_syscall *sc = &sc_table[id];
	__u8 flags = sc->flags;
	/* An exec's exit is judged by the new comm, not the verdict cached at its enter. */
	if (flags & SCF_EXECVE)
		forget_verdict();
	__u64 pt = bpf_get_current_pid_tgid();
	if (!interesting_pt(pt))
		return 0;
	struct pending_enter *pe = pending_slot();
	if (!(flags & SCF_USED)) {
		generic_exit(pe, sc->ppm_sc, id, pt & 0xffffffff);
		return 0;
	}
	flush_pending(pe);
	if (flags & (SCF_CLONE | SCF_EXECVE)) {
		process_event(regs, id, ret, sc->exit_type, flags & SCF_EXECVE);
		return 0;
	}
	table_event(regs, id, false, ret);
	return 0;
}

/* A traced process's children are traced too (a session attached to a shell sees what it
 * runs). Runs in the parent, before the child can make a syscall. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(cf_fork, struct task_struct *parent, struct task_struct *child)
{
	if (!filter_pid || !follow_children)
		return 0;
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	if (ptgid == ctgid)
		return 0;
	if (bpf_map_lookup_elem(&pids, &ptgid)) {
		__u8 one = 1;
		bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY);
	}
	return 0;
}

/* PPME_PROCEXIT_1_E: status, ret, sig, core (4 parameters in 0.29.3). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(cf_exit, struct task_struct *p)
{
	flush_pending(pending_slot()); /* an exit_group's enter */
	if (!interesting())
		return 0;
	__u8 *buf = scratch_area();
	if (!buf)
		return 0;
	__s64 code = p->exit_code;
	struct builder b = { .buf = buf };
	begin(&b, 186, 4, p->pid, now_ns());
	put_int(&b, code, 8);
	put_int(&b, (code >> 8) & 0xff, 8);
	put_int(&b, (code & 0x7f) ? (code & 0x7f) : 0, 1);
	put_int(&b, (code & 0x80) ? 1 : 0, 1);
	finish(&b);
	/* The last thread of a followed process: forget it (the pid will be reused). do_exit has
	 * counted this thread out of signal->live before the tracepoint. */
	if (filter_pid && follow_children && BPF_CORE_READ(p, signal, live.counter) == 0) {
		__u32 tgid = p->tgid;
		bpf_map_delete_elem(&pids, &tgid);
	}
	return 0;
}

/* PPME_SCHEDSWITCH_6_E: next, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap of the thread going
 * off the CPU (the event's thread). */
SEC("tp_btf/sched_switch")
int BPF_PROG(cf_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	/* The thread going off the CPU leaves a pending enter (a syscall that blocks): out first. */
	flush_pending(pending_slot());
	bool keep = with_switch && interesting();
	forget_verdict();
	if (!keep)
		return 0;
	__u8 *buf = scratch_area();
	if (!buf)
		return 0;
	struct builder b = { .buf = buf };
	begin(&b, 152, 6, prev->pid, now_ns());
	put_int(&b, next->pid, 8);
	put_int(&b, prev->maj_flt, 8);
	put_int(&b, prev->min_flt, 8);
	put_int(&b, vm_size_kb(prev), 4);
	put_int(&b, vm_rss_kb(prev), 4);
	put_int(&b, vm_swap_kb(prev), 4);
	finish(&b);
	return 0;
}

/* Run by the loader on each CPU (BPF_PROG_TEST_RUN with BPF_F_TEST_RUN_ON_CPU, by IPI) at
 * every drain: what the CPU has staged goes out, so nothing waits on a CPU that records
 * nothing else. At the stop (the programs detached) `flush_held` is set, and the enters held
 * for an exit that will not be recorded go out too. */
bool flush_held = false;

SEC("raw_tp")
int cf_flush(void *ctx)
{
	flush_stage(pending_slot(), flush_held);
	return 0;
}

/* ---- network facts (our own block: see syscalls.h) ---- */

/* A network block: u32 type, u32 length, the record, u32 length again (92 bytes). */
#define NET_BLOCK_LEN (8 + sizeof(struct cf_net_record) + 4)
struct net_block {
	struct cf_net_record r;
};

static __always_inline void net_emit(struct net_block *nb)
{
	nb->r.ts = now_ns();
	nb->r.tid = bpf_get_current_pid_tgid() & 0xffffffff;
	nb->r.cpu = bpf_get_smp_processor_id();
	__u8 *p = bpf_ringbuf_reserve(&events, NET_BLOCK_LEN, 0);
	if (!p) {
		count_drop(0);
		return;
	}
	*(__u32 *)p = CF_NET_BLOCK_TYPE;
	*(__u32 *)(p + 4) = NET_BLOCK_LEN;
	__builtin_memcpy(p + 8, &nb->r, sizeof(nb->r));
	*(__u32 *)(p + 8 + sizeof(nb->r)) = NET_BLOCK_LEN;
	bpf_ringbuf_submit(p, 0);
}

static __always_inline void net_from_sock(struct net_block *nb, const struct sock *sk)
{
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	nb->r.family = fam;
	nb->r.proto = BPF_CORE_READ(sk, sk_protocol);
	nb->r.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	nb->r.dport = swab16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (fam == AF_INET_) {
		BPF_CORE_READ_INTO((__u32 *)nb->r.saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)nb->r.daddr, sk, __sk_common.skc_daddr);
	} else if (fam == AF_INET6_) {
		BPF_CORE_READ_INTO(&nb->r.saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&nb->r.daddr, sk, __sk_common.skc_v6_daddr);
	}
}

/* Network facts are kept for traced processes only when they happen in one's context (a
 * connect's SYN_SENT, a close's FIN_WAIT1); the ones the kernel does in softirq for anybody
 * (a handshake completing, a retransmit timer) are kept unfiltered only without filters. */
static __always_inline bool net_interesting(void)
{
	return interesting();
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(cf_tcp_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (!net_interesting())
		return 0;
	if (BPF_CORE_READ(sk, sk_protocol) != 6 /* IPPROTO_TCP */)
		return 0;
	struct net_block nb = {};
	net_from_sock(&nb, sk);
	nb.r.kind = CF_NET_TCP_STATE;
	nb.r.a = oldstate;
	nb.r.b = newstate;
	net_emit(&nb);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(cf_tcp_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	if (!net_interesting())
		return 0;
	struct net_block nb = {};
	net_from_sock(&nb, sk);
	nb.r.kind = CF_NET_TCP_RETRANSMIT;
	nb.r.a = BPF_CORE_READ(sk, __sk_common.skc_state);
	net_emit(&nb);
	return 0;
}

/* icmp_send(skb_in, type, code): the offending packet's addresses, and for a "fragmentation
 * needed" (type 3 code 4) the MTU, which icmp_send's caller passed as `info` and the tracepoint
 * does not show: it is the route's MTU, read here as the skb's dst's device MTU. */
SEC("tp_btf/icmp_send")
int BPF_PROG(cf_icmp_send, const struct sk_buff *skb, int type, int code)
{
	if (!net_interesting())
		return 0;
	struct net_block nb = {};
	nb.r.kind = CF_NET_ICMP_SEND;
	nb.r.family = AF_INET_;
	nb.r.a = type;
	nb.r.b = code;
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	struct iphdr ip = {};
	if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh) == 0) {
		*(__u32 *)nb.r.saddr = ip.saddr;
		*(__u32 *)nb.r.daddr = ip.daddr;
		nb.r.proto = ip.protocol;
		if (ip.protocol == 6 || ip.protocol == 17) {
			__u16 ports[2] = {};
			bpf_probe_read_kernel(ports, sizeof(ports), head + nh + ip.ihl * 4);
			nb.r.sport = swab16(ports[0]);
			nb.r.dport = swab16(ports[1]);
		}
	}
	if (type == 3 && code == 4) {
		unsigned long refdst = BPF_CORE_READ(skb, _skb_refdst);
		struct dst_entry *dst = (struct dst_entry *)(refdst & ~1UL);
		if (dst) {
			struct net_device *dev = BPF_CORE_READ(dst, dev);
			if (dev)
				nb.r.c = BPF_CORE_READ(dev, mtu);
		}
	}
	net_emit(&nb);
	return 0;
}
