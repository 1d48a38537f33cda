/* What the BPF programs (syscalls.bpf.c) and their loader (loader.c) share: the per-syscall
 * table that says which scap event each syscall becomes and where each parameter comes from,
 * and the layout of the records in the ring buffer. Kept free of kernel and libc headers so
 * that both sides include it. */
#ifndef CASEFILE_SYSCALLS_H
#define CASEFILE_SYSCALLS_H

/* scap's event block (EV_BLOCK_TYPE_V2): every record the loader writes is one, complete. */
#define CF_EV_BLOCK_TYPE_V2 0x216
/* Our own block for network facts sysdig 0.29.3 has no event type for (TCP state changes,
 * retransmits, ICMP sends). libscap and our reader skip block types they do not know, so a
 * capture that keeps them still reads; the collector turns them into metadata. Layout:
 * struct cf_net_record below, in a block of this type (see bpf/README.md). */
#define CF_NET_BLOCK_TYPE 0x43466e31 /* "1nFC" */

/* Offsets in an event block: u32 block type, u32 block length, u16 cpu, then the ppm event
 * header: u64 ts, u64 tid, u32 len, u16 type, u32 nparams; then nparams u16 lengths. */
#define CF_BLOCK_HDR 8
#define CF_EVT_HDR 28 /* u16 cpu + ppm header (26) */
#define CF_HDR_LEN (CF_BLOCK_HDR + CF_EVT_HDR)

#define CF_MAX_SYSCALLS 512
#define CF_MAX_TPARAMS 6

/* Where a parameter of a table-driven event comes from. */
enum cf_param_kind {
	PK_NONE = 0,
	PK_ARG,        /* syscall argument `arg` as an integer of `size` bytes, through conversion `aux` */
	PK_RES,        /* the return value, `size` bytes */
	PK_PATH,       /* a NUL-terminated string in user memory at argument `arg` */
	PK_BUF_RES,    /* user bytes at argument `arg`, as many as the return value, cut at snaplen */
	PK_BUF_ARG,    /* user bytes at argument `arg`, as many as argument `aux`, cut at snaplen */
	PK_IOV_RES,    /* the bytes of an iovec array (argument `arg`, count argument `aux`), as many as the return value */
	PK_IOV_LEN,    /* the same, as many as the iovecs hold */
	PK_IOV_SIZE,   /* the total length of an iovec array (u32) */
	PK_MSG_RES,    /* the bytes of a msghdr's iovecs (argument `arg`), as many as the return value */
	PK_MSG_LEN,    /* the same, as many as they hold */
	PK_MSG_SIZE,   /* the total length of a msghdr's iovecs (u32) */
	PK_SOCKADDR,   /* a sockaddr in user memory at argument `arg`, length argument `aux`; aux 0xff: its length is a pointer in argument 2 (accept/recvfrom style) */
	PK_TUPLE_FD,   /* the socket tuple of the fd in argument `arg`; `aux` & 0x0f: the index+1 of a sockaddr argument to use as the far end (0: the peer), its length the next argument, or behind a pointer there with bit 0x40; bit 0x80: inbound (the far end first) */
	PK_TUPLE_RES,  /* the socket tuple of the fd the syscall returned (`aux` as above) */
	PK_TUPLE_MSG,  /* the socket tuple of the fd in argument `arg`, far end from the msghdr's name (msghdr in argument (aux & 0x0f) - 1; bit 0x80 inbound) */
	PK_FDPAIR,     /* the int at index `aux` of an int[2] in user memory at argument `arg` (pipe, socketpair), 8 bytes */
	PK_PIPE_INO,   /* the inode number of the fd at index 0 of an int[2] at argument `arg` */
	PK_SOCK_ADDR_PAIR, /* socketpair's kernel socket addresses: `aux` 0 source, 1 peer */
	PK_DEV_RES,    /* the device of the file the returned fd refers to (u32, scap encoding) */
	PK_CONST,      /* the constant `aux`, `size` bytes */
	PK_EMPTY,      /* a parameter of length 0 */
	PK_VM_SIZE,    /* the process's memory in KiB (u32) */
	PK_VM_RSS,
	PK_VM_SWAP,
	PK_SYSCALL_ID, /* the PPM_SC code of the syscall (u16), for generic events */
	PK_NATIVE_ID,  /* the native syscall number (u16) */
	PK_FLAGS_RES,  /* open's exit flags: argument `arg` converted, plus O_F_CREATED when the fd's file was created */
	PK_QUEUE,      /* accept's listen queue: `aux` 0 percent (u8), 1 length (u32), 2 max (u32) of the fd in argument 0 */
	PK_SOCKADDR_OUT, /* a sockaddr the kernel wrote at argument `arg`, its length an int at argument `aux` (accept/getsockname style) */
	PK_HOW,        /* openat2's struct open_how at argument `arg`: `aux` 0 flags, 1 mode, 2 resolve (u32, converted) */
	PK_TIMESPEC,   /* a struct timespec in user memory at argument `arg`, as ns (u64) */
	PK_FDLIST,     /* a struct pollfd array (argument `arg`, count argument 1): u16 count, then per fd u64 fd and u16 flags; `aux` 0 events, 1 revents */
};

/* Conversions of integer arguments to the driver's PPM_* encodings. */
enum cf_conv {
	CV_NONE = 0,
	CV_OPEN_FLAGS,
	CV_OPEN_MODE,  /* the mode, or 0 unless the flags (argument `size`'s neighbour, see table) create */
	CV_PROT,
	CV_MMAP_FLAGS,
	CV_FCNTL,
	CV_SIGNED,     /* sign-extend a 32-bit argument (fds) */
	CV_MODE,       /* a mode_t as it is (PPM_S_* bits equal the native ones) */
	CV_ACCEPT_FLAGS,
	CV_EVENTFD_FLAGS,
};

struct cf_param {
	unsigned char kind, arg, size, aux;
};

#define SCF_USED 1       /* the syscall has its own events (else: the generic syscall event) */
#define SCF_NO_ENTER 2   /* emit no enter event here (sysdig 0.29.3's driver has none for it) */
#define SCF_CLONE 4      /* clone/fork/vfork/clone3: the exit event is built from the task */
#define SCF_EXECVE 8     /* execve/execveat: the same */
#define SCF_OPEN_MODE 16 /* the mode parameter counts only when the flags create a file */

struct cf_syscall {
	unsigned short enter_type, exit_type;
	unsigned short ppm_sc;   /* PPM_SC code for the generic event */
	unsigned char n_enter, n_exit;
	unsigned char flags, mode_flags_arg, pad0, pad1;
	struct cf_param enter[CF_MAX_TPARAMS];
	struct cf_param exit[CF_MAX_TPARAMS];
};

/* A --cgroup filter: the thread's cgroup on that hierarchy, or an ancestor, is this one. */
struct cf_cgroup_filter {
	unsigned int ssid;  /* a v1 subsystem id, or 0xff for the unified (v2) hierarchy */
	unsigned int level; /* the cgroup's depth below its hierarchy's root */
	unsigned long long id; /* its kernfs id (the inode number of its directory) */
};

/* The network record (block CF_NET_BLOCK_TYPE), after the u32 type and u32 length: */
#define CF_NET_TCP_STATE 1   /* a = old state, b = new state (TCP_* numbers of the kernel) */
#define CF_NET_TCP_RETRANSMIT 2 /* a = state */
#define CF_NET_ICMP_SEND 3   /* a = ICMP type, b = code, c = the MTU of a frag-needed (else 0) */
struct cf_net_record {
	unsigned long long ts;   /* wall-clock ns, as events */
	unsigned long long tid;  /* the current thread when the kernel did it (often not the socket's owner) */
	unsigned short kind, family;
	unsigned short sport, dport;      /* host order */
	unsigned char saddr[16], daddr[16]; /* IPv4 in the first 4 bytes */
	unsigned int a, b, c;
	unsigned short cpu, proto;
	unsigned int pad0, pad1; /* 80 bytes: the block is 92, a multiple of 4 */
};

/* Per CPU, the generic events' state (syscalls.bpf.c: the enter held for its exit, and the
 * stage's fill), read by the loader to flush only CPUs that hold something. */
#define CF_STAGE 4096 /* the stage's size, a power of two */
struct pending_enter {
	unsigned long long ts;
	unsigned int tid;
	unsigned short ppm_sc, id;
	unsigned int valid;
	unsigned int busy;
	unsigned int staged;        /* bytes in this CPU's stage */
	unsigned int staged_events; /* event blocks in it */
};

#endif
