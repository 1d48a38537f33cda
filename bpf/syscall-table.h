/* Which scap event each syscall becomes, and where each of its parameters comes from: sysdig
 * 0.29.3's driver (libs e5c53d64) event numbers and parameter lists (server/core/events/
 * event-table.ts; `loader --dump-table` prints this table and bpf/table.test.ts checks every
 * entry's parameter count and sizes against the event table). x86-64 argument order. Syscalls
 * not here become the generic `syscall` event, as the driver does for those it has no events
 * for (the stat family included). Included by loader.c only. */
#include <asm/unistd.h>

#define P(k, a, s, x) { k, a, s, x }
#define ARG(i, s) P(PK_ARG, i, s, CV_NONE)
#define ARGC(i, s, c) P(PK_ARG, i, s, c)
#define FD(i) P(PK_ARG, i, 8, CV_SIGNED)
#define RES P(PK_RES, 0, 8, 0)
#define PATH(i) P(PK_PATH, i, 0, 0)
#define OFLAGS(i) P(PK_ARG, i, 4, CV_OPEN_FLAGS)
#define OMODE(i) P(PK_ARG, i, 4, CV_OPEN_MODE)
#define MODE(i) P(PK_ARG, i, 4, CV_MODE)
#define EMPTY P(PK_EMPTY, 0, 0, 0)
#define CONST(s, v) P(PK_CONST, 0, s, v)
#define VM P(PK_VM_SIZE, 0, 4, 0), P(PK_VM_RSS, 0, 4, 0), P(PK_VM_SWAP, 0, 4, 0)
#define QUEUE P(PK_QUEUE, 0, 1, 0), P(PK_QUEUE, 0, 4, 1), P(PK_QUEUE, 0, 4, 2)

#define N(...) (sizeof((struct cf_param[]){ __VA_ARGS__ }) / sizeof(struct cf_param))
#define ENTER(...) .n_enter = N(__VA_ARGS__), .enter = { __VA_ARGS__ }
#define ENTER0 .n_enter = 0
#define EXIT(...) .n_exit = N(__VA_ARGS__), .exit = { __VA_ARGS__ }

struct cf_table_entry {
	int nr;
	struct cf_syscall sc;
};

#define SC(nr_, e, x, ...) { nr_, { .enter_type = e, .exit_type = x, .flags = SCF_USED, __VA_ARGS__ } }
#define SCF(nr_, e, x, f, ...) { nr_, { .enter_type = e, .exit_type = x, .flags = SCF_USED | (f), __VA_ARGS__ } }

static const struct cf_table_entry cf_table[] = {
	/* files */
	SCF(__NR_open, 2, 3, SCF_OPEN_MODE, .mode_flags_arg = 1,
	    ENTER(PATH(0), OFLAGS(1), OMODE(2)),
	    EXIT(RES, PATH(0), P(PK_FLAGS_RES, 1, 4, 0), OMODE(2), P(PK_DEV_RES, 0, 4, 0))),
	SCF(__NR_openat, 306, 307, SCF_OPEN_MODE, .mode_flags_arg = 2,
	    ENTER(FD(0), PATH(1), OFLAGS(2), OMODE(3)),
	    EXIT(RES, FD(0), PATH(1), P(PK_FLAGS_RES, 2, 4, 0), OMODE(3), P(PK_DEV_RES, 0, 4, 0))),
	SC(__NR_openat2, 326, 327,
	   ENTER(FD(0), PATH(1), P(PK_HOW, 2, 4, 0), P(PK_HOW, 2, 4, 1), P(PK_HOW, 2, 4, 2)),
	   EXIT(RES, FD(0), PATH(1), P(PK_HOW, 2, 4, 0), P(PK_HOW, 2, 4, 1), P(PK_HOW, 2, 4, 2))),
	SC(__NR_creat, 58, 59, ENTER(PATH(0), MODE(1)), EXIT(RES, PATH(0), MODE(1), P(PK_DEV_RES, 0, 4, 0))),
	SC(__NR_close, 4, 5, ENTER(FD(0)), EXIT(RES)),
	SC(__NR_read, 6, 7, ENTER(FD(0), ARG(2, 4)), EXIT(RES, P(PK_BUF_RES, 1, 0, 0))),
	SC(__NR_write, 8, 9, ENTER(FD(0), ARG(2, 4)), EXIT(RES, P(PK_BUF_ARG, 1, 0, 2))),
	SC(__NR_pread64, 112, 113, ENTER(FD(0), ARG(2, 4), ARG(3, 8)), EXIT(RES, P(PK_BUF_RES, 1, 0, 0))),
	SC(__NR_pwrite64, 114, 115, ENTER(FD(0), ARG(2, 4), ARG(3, 8)), EXIT(RES, P(PK_BUF_ARG, 1, 0, 2))),
	SC(__NR_readv, 116, 117, ENTER(FD(0)), EXIT(RES, P(PK_IOV_SIZE, 1, 4, 2), P(PK_IOV_RES, 1, 0, 2))),
	SC(__NR_writev, 118, 119, ENTER(FD(0), P(PK_IOV_SIZE, 1, 4, 2)), EXIT(RES, P(PK_IOV_LEN, 1, 0, 2))),
	SC(__NR_preadv, 120, 121, ENTER(FD(0), ARG(3, 8)), EXIT(RES, P(PK_IOV_SIZE, 1, 4, 2), P(PK_IOV_RES, 1, 0, 2))),
	SC(__NR_pwritev, 122, 123, ENTER(FD(0), P(PK_IOV_SIZE, 1, 4, 2), ARG(3, 8)), EXIT(RES, P(PK_IOV_LEN, 1, 0, 2))),
	SC(__NR_dup, 124, 125, ENTER(FD(0)), EXIT(RES)),
	SC(__NR_dup2, 124, 125, ENTER(FD(0)), EXIT(RES)),
	SC(__NR_dup3, 124, 125, ENTER(FD(0)), EXIT(RES)),
	SC(__NR_pipe, 60, 61, ENTER0, EXIT(RES, P(PK_FDPAIR, 0, 8, 0), P(PK_FDPAIR, 0, 8, 1), P(PK_PIPE_INO, 0, 8, 0))),
	SC(__NR_pipe2, 60, 61, ENTER0, EXIT(RES, P(PK_FDPAIR, 0, 8, 0), P(PK_FDPAIR, 0, 8, 1), P(PK_PIPE_INO, 0, 8, 0))),
	SC(__NR_eventfd, 62, 63, ENTER(ARG(0, 8), CONST(4, 0)), EXIT(RES)),
	SC(__NR_eventfd2, 62, 63, ENTER(ARG(0, 8), CONST(4, 0)), EXIT(RES)),
	SC(__NR_fcntl, 150, 151, ENTER(FD(0), ARGC(1, 1, CV_FCNTL)), EXIT(RES)),
	SC(__NR_unlink, 300, 301, ENTER0, EXIT(RES, PATH(0))),
	SC(__NR_unlinkat, 302, 303, ENTER0, EXIT(RES, FD(0), PATH(1), ARG(2, 4))),
	SC(__NR_rename, 174, 175, ENTER0, EXIT(RES, PATH(0), PATH(1))),
	SC(__NR_renameat, 176, 177, ENTER0, EXIT(RES, FD(0), PATH(1), FD(2), PATH(3))),
	SC(__NR_renameat2, 318, 319, ENTER0, EXIT(RES, FD(0), PATH(1), FD(2), PATH(3), ARG(4, 4))),
	SC(__NR_mkdir, 276, 277, ENTER(MODE(1)), EXIT(RES, PATH(0))),
	SC(__NR_mkdirat, 304, 305, ENTER0, EXIT(RES, FD(0), PATH(1), MODE(2))),
	SC(__NR_rmdir, 278, 279, ENTER0, EXIT(RES, PATH(0))),
	SC(__NR_chdir, 94, 95, ENTER0, EXIT(RES, PATH(0))),
	SC(__NR_fchdir, 96, 97, ENTER(FD(0)), EXIT(RES)),
	/* network */
	SC(__NR_socket, 18, 19, ENTER(ARG(0, 4), ARG(1, 4), ARG(2, 4)), EXIT(RES)),
	SC(__NR_bind, 20, 21, ENTER(FD(0)), EXIT(RES, P(PK_SOCKADDR, 1, 0, 2))),
	SC(__NR_connect, 22, 23, ENTER(FD(0), P(PK_SOCKADDR, 1, 0, 2)), EXIT(RES, P(PK_TUPLE_FD, 0, 0, 2))),
	SC(__NR_listen, 24, 25, ENTER(FD(0), ARG(1, 4)), EXIT(RES)),
	SC(__NR_accept, 246, 247, ENTER0, EXIT(RES, P(PK_TUPLE_RES, 0, 0, 0x80), QUEUE)),
	SC(__NR_accept4, 248, 249, ENTER(ARG(3, 4)), EXIT(RES, P(PK_TUPLE_RES, 0, 0, 0x80), QUEUE)),
	SC(__NR_sendto, 30, 31, ENTER(FD(0), ARG(2, 4), P(PK_TUPLE_FD, 0, 0, 5)), EXIT(RES, P(PK_BUF_ARG, 1, 0, 2))),
	SC(__NR_recvfrom, 34, 35, ENTER(FD(0), ARG(2, 4)), EXIT(RES, P(PK_BUF_RES, 1, 0, 0), P(PK_TUPLE_FD, 0, 0, 0x80 | 0x40 | 5))),
	SC(__NR_sendmsg, 48, 49, ENTER(FD(0), P(PK_MSG_SIZE, 1, 4, 0), P(PK_TUPLE_MSG, 0, 0, 2)), EXIT(RES, P(PK_MSG_LEN, 1, 0, 0))),
	SC(__NR_recvmsg, 52, 53, ENTER(FD(0)), EXIT(RES, P(PK_MSG_SIZE, 1, 4, 0), P(PK_MSG_RES, 1, 0, 0), P(PK_TUPLE_MSG, 0, 0, 0x80 | 2))),
	SC(__NR_shutdown, 36, 37, ENTER(FD(0), ARG(1, 1)), EXIT(RES)),
	SC(__NR_socketpair, 42, 43, ENTER(ARG(0, 4), ARG(1, 4), ARG(2, 4)),
	   EXIT(RES, P(PK_FDPAIR, 3, 8, 0), P(PK_FDPAIR, 3, 8, 1), P(PK_SOCK_ADDR_PAIR, 3, 8, 0), P(PK_SOCK_ADDR_PAIR, 3, 8, 1))),
	/* memory */
	SC(__NR_mmap, 160, 161, ENTER(ARG(0, 8), ARG(1, 8), ARGC(2, 4, CV_PROT), ARGC(3, 4, CV_MMAP_FLAGS), FD(4), ARG(5, 8)), EXIT(RES, VM)),
	SC(__NR_munmap, 164, 165, ENTER(ARG(0, 8), ARG(1, 8)), EXIT(RES, VM)),
	SC(__NR_brk, 158, 159, ENTER(ARG(0, 8)), EXIT(RES, VM)),
	SC(__NR_mprotect, 328, 329, ENTER(ARG(0, 8), ARG(1, 8), ARGC(2, 4, CV_PROT)), EXIT(RES)),
	/* processes: the exit events are built from the task (syscalls.bpf.c process_event) */
	SCF(__NR_clone, 222, 223, SCF_CLONE, ENTER0, .n_exit = 20),
	SCF(__NR_fork, 224, 225, SCF_CLONE, ENTER0, .n_exit = 20),
	SCF(__NR_vfork, 226, 227, SCF_CLONE, ENTER0, .n_exit = 20),
	SCF(__NR_clone3, 334, 335, SCF_CLONE, ENTER0, .n_exit = 20),
	SCF(__NR_execve, 292, 293, SCF_EXECVE, ENTER(PATH(0)), .n_exit = 20),
	SCF(__NR_execveat, 330, 331, SCF_EXECVE, ENTER(FD(0), PATH(1), ARG(4, 4)), .n_exit = 20),
	/* signals, waits, IPC */
	SC(__NR_kill, 128, 129, ENTER(ARG(0, 8), ARG(1, 1)), EXIT(RES)),
	SC(__NR_tkill, 130, 131, ENTER(ARG(0, 8), ARG(1, 1)), EXIT(RES)),
	SC(__NR_tgkill, 132, 133, ENTER(ARG(0, 8), ARG(1, 8), ARG(2, 1)), EXIT(RES)),
	SC(__NR_futex, 64, 65, ENTER(ARG(0, 8), ARG(1, 2), ARG(2, 8)), EXIT(RES)),
	SC(__NR_nanosleep, 134, 135, ENTER(P(PK_TIMESPEC, 0, 8, 0)), EXIT(RES)),
	SC(__NR_poll, 80, 81, ENTER(P(PK_FDLIST, 0, 0, 0), ARG(2, 8)), EXIT(RES, P(PK_FDLIST, 0, 0, 1))),
	SC(__NR_epoll_wait, 78, 79, ENTER(ARG(2, 8)), EXIT(RES)),
	SC(__NR_select, 82, 83, ENTER0, EXIT(RES)),
};
