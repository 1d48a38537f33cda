// SPDX-License-Identifier: GPL-2.0
// CPU profiles (`casefile profile`): on-CPU samples and off-CPU time, both counted by stack in
// the kernel, as bcc's profile.py and offcputime.py do, so that user space reads a few thousand
// map entries at the end instead of one record per sample or per context switch.
//
// On-CPU: a perf_event program on the software cpu-clock event at HZ on every CPU (the only
// sampling event this platform has: no hardware PMU). Off-CPU: tp_btf/sched_switch (kprobes on
// finish_task_switch, which offcputime.py uses, are not built in here): the switched-out task's
// stack is taken at switch-out, in its own context, and the time until the same thread is
// switched back in is added to that stack's total.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define TASK_COMM_LEN 16
#define MAX_STACK_DEPTH 127

// Set by the loader before load (the skeleton's rodata).
const volatile __u32 target_tgid = 0; // 0: every process
const volatile __u32 self_tgid = 0;   // the loader itself, never profiled
const volatile bool idle_too = false; // the idle task (pid 0) on-CPU

struct stack_key {
	__u32 tgid;
	__u32 pid;
	__s32 user_stack_id;   // negative: no user stack (kernel thread) or lost (-EEXIST, -ENOMEM)
	__s32 kernel_stack_id;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, 16384);
} stacks SEC(".maps");

// On-CPU: samples per stack.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct stack_key);
	__type(value, __u64);
	__uint(max_entries, 40960);
} oncpu SEC(".maps");

// Off-CPU: nanoseconds per stack.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct stack_key);
	__type(value, __u64);
	__uint(max_entries, 40960);
} offcpu SEC(".maps");

struct switch_out {
	__u64 ts;
	struct stack_key key;
};

// Threads switched out and not yet back: their switch-out time and stack, by thread id. An LRU
// so that threads that never come back (exited) make room instead of filling it.
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, struct switch_out);
	__uint(max_entries, 65536);
} started SEC(".maps");

// Samples or switches that found a full counting map: reported by the loader, not silently lost.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} lost SEC(".maps");

// Processes seen so far (sampled or switched out): the first time, the loader is told at once
// through `fresh`, so that it copies the process's memory map while the process still runs (a
// short-lived one would be gone by its next sweep, and its user frames unnamed).
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 16384);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} fresh SEC(".maps");

static __always_inline void note_process(__u32 tgid)
{
	__u8 one = 1;
	if (bpf_map_update_elem(&seen, &tgid, &one, BPF_NOEXIST) == 0)
		bpf_ringbuf_output(&fresh, &tgid, sizeof(tgid), 0);
}

static __always_inline bool wanted(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	return target_tgid == 0 || tgid == target_tgid;
}

static __always_inline void add(void *map, struct stack_key *key, __u64 value, __u32 lost_slot)
{
	__u64 *v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(v, value);
		return;
	}
	if (bpf_map_update_elem(map, key, &value, BPF_NOEXIST) == 0)
		return;
	// Another CPU added it meanwhile, or the map is full.
	v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(v, value);
		return;
	}
	__u64 *l = bpf_map_lookup_elem(&lost, &lost_slot);
	if (l)
		*l += 1;
}

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, pid = (__u32)id;
	if (pid == 0 && !idle_too)
		return 0;
	if (!wanted(tgid))
		return 0;
	struct stack_key key = {};
	key.tgid = tgid;
	key.pid = pid;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	key.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	add(&oncpu, &key, 1, 0);
	note_process(tgid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	// The thread going off the CPU: remember when, and its stack (we run in its context).
	__u32 prev_pid = prev->pid, prev_tgid = prev->tgid;
	if (prev_pid != 0 && wanted(prev_tgid)) {
		struct switch_out out = {};
		out.ts = now;
		out.key.tgid = prev_tgid;
		out.key.pid = prev_pid;
		bpf_probe_read_kernel_str(&out.key.comm, sizeof(out.key.comm), prev->comm);
		out.key.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
		out.key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
		bpf_map_update_elem(&started, &prev_pid, &out, BPF_ANY);
		note_process(prev_tgid);
	}
	// The thread coming back: its time off the CPU goes to the stack it left with.
	__u32 next_pid = next->pid;
	struct switch_out *out = bpf_map_lookup_elem(&started, &next_pid);
	if (!out)
		return 0;
	__u64 delta = now - out->ts;
	struct stack_key key = out->key;
	bpf_map_delete_elem(&started, &next_pid);
	if ((__s64)delta > 0)
		add(&offcpu, &key, delta, 1);
	return 0;
}

// A process that execs gets another memory map: forgotten, so that its next sample or switch
// tells the loader to copy the new one (samples from before the exec are named with it too).
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_map_delete_elem(&seen, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
