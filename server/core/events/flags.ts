// Flag and enum tables used to decode FLAGS*/ENUMFLAGS*/MODE event parameters.
//
// Transcribed from falcosecurity/libs driver/flags_table.c (2025 table as found in the
// ekoops/libs mirror, commit 0bd4cb5d3e74c0e0b7a3c83bd90088ff668a8b3c), with every PPM_*
// constant resolved to its numeric value from driver/ppm_events_public.h of the same tree.
// The values are the PPM_* (driver-neutral) values carried in the event parameters, not
// the kernel ones. Table order is the libs order: sysdig prints matched flag names in
// table order, so do not sort these.
//
// Notes:
// - fcntlCommands keeps the F_*64 entries: libs guards them with `#ifndef CONFIG_64BIT`,
//   which is never defined in userspace builds, so sysdig/libscap has them.
// - The (branch-only) anon_inode_fd_types table of that tree is not transcribed: it is only
//   used by the experimental iterator events, which are not part of our event table.
// - Compared to sysdig 0.29.3 (libs e5c53d64): fileFlags gained O_F_CREATED,
//   FD_UPPER_LAYER, FD_LOWER_LAYER; cloneFlags gained CLONE_CHILD_IN_PIDNS; shutdownHow
//   gained SHUT_UNKNOWN; execveFlags gained EXE_UPPER_LAYER, EXE_FROM_MEMFD,
//   EXE_LOWER_LAYER. These tables did not exist in 0.29.3 yet: creatFlags, newfstatatFlags,
//   fchownatFlags, ioUring*, mlockallFlags, mlock2Flags, fsconfigCmds, epollCreate1Flags,
//   prctlOptions, memfdCreateFlags, pidfdOpenFlags, mknodMode, bpfCommands,
//   deleteModuleFlags, finitModuleFlags. All other tables are identical (names, values,
//   order) to the ones in libscap e5c53d64 as installed with sysdig 0.29.3.

import type { NameValue } from "./types";

export const socketFamilies: readonly NameValue[] = [
  ["AF_NFC", 39],
  ["AF_ALG", 38],
  ["AF_CAIF", 37],
  ["AF_IEEE802154", 36],
  ["AF_PHONET", 35],
  ["AF_ISDN", 34],
  ["AF_RXRPC", 33],
  ["AF_IUCV", 32],
  ["AF_BLUETOOTH", 31],
  ["AF_TIPC", 30],
  ["AF_CAN", 29],
  ["AF_LLC", 26],
  ["AF_WANPIPE", 25],
  ["AF_PPPOX", 24],
  ["AF_IRDA", 23],
  ["AF_SNA", 22],
  ["AF_RDS", 21],
  ["AF_ATMSVC", 20],
  ["AF_ECONET", 19],
  ["AF_ASH", 18],
  ["AF_PACKET", 17],
  ["AF_ROUTE", 16],
  ["AF_NETLINK", 16],
  ["AF_KEY", 15],
  ["AF_SECURITY", 14],
  ["AF_NETBEUI", 13],
  ["AF_DECnet", 12],
  ["AF_ROSE", 11],
  ["AF_INET6", 10],
  ["AF_X25", 9],
  ["AF_ATMPVC", 8],
  ["AF_BRIDGE", 7],
  ["AF_NETROM", 6],
  ["AF_APPLETALK", 5],
  ["AF_IPX", 4],
  ["AF_AX25", 3],
  ["AF_INET", 2],
  ["AF_LOCAL", 1],
  ["AF_UNIX", 1],
  ["AF_UNSPEC", 0],
];

export const fileFlags: readonly NameValue[] = [
  ["O_LARGEFILE", 1 << 11],
  ["O_DIRECTORY", 1 << 10],
  ["O_DIRECT", 1 << 9],
  ["O_TRUNC", 1 << 8],
  ["O_SYNC", 1 << 7],
  ["O_NONBLOCK", 1 << 6],
  ["O_EXCL", 1 << 5],
  ["O_DSYNC", 1 << 4],
  ["O_APPEND", 1 << 3],
  ["O_CREAT", 1 << 2],
  ["O_RDWR", (1 << 0) | (1 << 1)],
  ["O_WRONLY", 1 << 1],
  ["O_RDONLY", 1 << 0],
  ["O_CLOEXEC", 1 << 12],
  ["O_NONE", 0],
  ["O_TMPFILE", 1 << 13],
  ["O_F_CREATED", 1 << 14],
  ["FD_UPPER_LAYER", 1 << 15],
  ["FD_LOWER_LAYER", 1 << 16],
];

export const creatFlags: readonly NameValue[] = [
  ["FD_UPPER_LAYER_CREAT", 1 << 0],
  ["FD_LOWER_LAYER_CREAT", 1 << 1],
];

export const flockFlags: readonly NameValue[] = [
  ["LOCK_SH", 1 << 0],
  ["LOCK_EX", 1 << 1],
  ["LOCK_NB", 1 << 2],
  ["LOCK_UN", 1 << 3],
  ["LOCK_NONE", 0],
];

export const cloneFlags: readonly NameValue[] = [
  ["CLONE_FILES", 1 << 0],
  ["CLONE_FS", 1 << 1],
  ["CLONE_IO", 1 << 2],
  ["CLONE_NEWIPC", 1 << 3],
  ["CLONE_NEWNET", 1 << 4],
  ["CLONE_NEWNS", 1 << 5],
  ["CLONE_NEWPID", 1 << 6],
  ["CLONE_NEWUTS", 1 << 7],
  ["CLONE_PARENT", 1 << 8],
  ["CLONE_PARENT_SETTID", 1 << 9],
  ["CLONE_PTRACE", 1 << 10],
  ["CLONE_SIGHAND", 1 << 11],
  ["CLONE_SYSVSEM", 1 << 12],
  ["CLONE_THREAD", 1 << 13],
  ["CLONE_UNTRACED", 1 << 14],
  ["CLONE_VM", 1 << 15],
  ["CLONE_INVERTED", 1 << 16],
  ["NAME_CHANGED", 1 << 17],
  ["CLOSED", 1 << 18],
  ["CLONE_NEWUSER", 1 << 20],
  ["CLONE_CHILD_CLEARTID", 1 << 23],
  ["CLONE_CHILD_SETTID", 1 << 24],
  ["CLONE_SETTLS", 1 << 25],
  ["CLONE_STOPPED", 1 << 26],
  ["CLONE_VFORK", 1 << 27],
  ["CLONE_NEWCGROUP", 1 << 28],
  ["CLONE_CHILD_IN_PIDNS", 1 << 29],
];

export const futexOperations: readonly NameValue[] = [
  ["FUTEX_CLOCK_REALTIME", 256],
  ["FUTEX_PRIVATE_FLAG", 128],
  ["FUTEX_CMP_REQUEUE_PI", 12],
  ["FUTEX_WAIT_REQUEUE_PI", 11],
  ["FUTEX_WAKE_BITSET", 10],
  ["FUTEX_WAIT_BITSET", 9],
  ["FUTEX_TRYLOCK_PI", 8],
  ["FUTEX_UNLOCK_PI", 7],
  ["FUTEX_LOCK_PI", 6],
  ["FUTEX_WAKE_OP", 5],
  ["FUTEX_CMP_REQUEUE", 4],
  ["FUTEX_REQUEUE", 3],
  ["FUTEX_FD", 2],
  ["FUTEX_WAKE", 1],
  ["FUTEX_WAIT", 0],
];

export const pollFlags: readonly NameValue[] = [
  ["POLLIN", 1 << 0],
  ["POLLPRI", 1 << 1],
  ["POLLOUT", 1 << 2],
  ["POLLRDHUP", 1 << 3],
  ["POLLERR", 1 << 4],
  ["POLLHUP", 1 << 5],
  ["POLLNVAL", 1 << 6],
  ["POLLRDNORM", 1 << 7],
  ["POLLRDBAND", 1 << 8],
  ["POLLWRNORM", 1 << 9],
  ["POLLWRBAND", 1 << 10],
];

export const mountFlags: readonly NameValue[] = [
  ["RDONLY", 1 << 0],
  ["NOSUID", 1 << 1],
  ["NODEV", 1 << 2],
  ["NOEXEC", 1 << 3],
  ["SYNCHRONOUS", 1 << 4],
  ["REMOUNT", 1 << 5],
  ["MANDLOCK", 1 << 6],
  ["DIRSYNC", 1 << 7],
  ["NOATIME", 1 << 10],
  ["NODIRATIME", 1 << 11],
  ["BIND", 1 << 12],
  ["MOVE", 1 << 13],
  ["REC", 1 << 14],
  ["SILENT", 1 << 15],
  ["POSIXACL", 1 << 16],
  ["UNBINDABLE", 1 << 17],
  ["PRIVATE", 1 << 18],
  ["SLAVE", 1 << 19],
  ["SHARED", 1 << 20],
  ["RELATIME", 1 << 21],
  ["KERNMOUNT", 1 << 22],
  ["I_VERSION", 1 << 23],
  ["STRICTATIME", 1 << 24],
  ["LAZYTIME", 1 << 25],
  ["NOSEC", 1 << 28],
  ["BORN", 1 << 29],
  ["ACTIVE", 1 << 30],
  ["NOUSER", 0x80000000], // 1 << 31 as an unsigned 32-bit value
];

export const umountFlags: readonly NameValue[] = [
  ["FORCE", 1 << 0],
  ["DETACH", 1 << 1],
  ["EXPIRE", 1 << 2],
  ["NOFOLLOW", 1 << 3],
];

export const lseekWhence: readonly NameValue[] = [
  ["SEEK_END", 2],
  ["SEEK_CUR", 1],
  ["SEEK_SET", 0],
];

export const shutdownHow: readonly NameValue[] = [
  ["SHUT_UNKNOWN", 0xffff],
  ["SHUT_RDWR", 2],
  ["SHUT_WR", 1],
  ["SHUT_RD", 0],
];

export const rlimitResources: readonly NameValue[] = [
  ["RLIMIT_UNKNOWN", 255],
  ["RLIMIT_RTTIME", 15],
  ["RLIMIT_RTPRIO", 14],
  ["RLIMIT_NICE", 13],
  ["RLIMIT_MSGQUEUE", 12],
  ["RLIMIT_SIGPENDING", 11],
  ["RLIMIT_LOCKS", 10],
  ["RLIMIT_AS", 9],
  ["RLIMIT_MEMLOCK", 8],
  ["RLIMIT_NOFILE", 7],
  ["RLIMIT_NPROC", 6],
  ["RLIMIT_RSS", 5],
  ["RLIMIT_CORE", 4],
  ["RLIMIT_STACK", 3],
  ["RLIMIT_DATA", 2],
  ["RLIMIT_FSIZE", 1],
  ["RLIMIT_CPU", 0],
];

export const fcntlCommands: readonly NameValue[] = [
  ["F_GETPIPE_SZ", 29],
  ["F_SETPIPE_SZ", 28],
  ["F_NOTIFY", 27],
  ["F_DUPFD_CLOEXEC", 26],
  ["F_CANCELLK", 25],
  ["F_GETLEASE", 24],
  ["F_SETLEASE", 23],
  ["F_GETOWN_EX", 22],
  ["F_SETOWN_EX", 21],
  ["F_SETLKW64", 19],
  ["F_SETLK64", 18],
  ["F_GETLK64", 17],
  ["F_GETSIG", 15],
  ["F_SETSIG", 13],
  ["F_GETOWN", 12],
  ["F_SETOWN", 10],
  ["F_SETLKW", 9],
  ["F_SETLK", 8],
  ["F_GETLK", 6],
  ["F_SETFL", 5],
  ["F_GETFL", 4],
  ["F_SETFD", 3],
  ["F_GETFD", 2],
  ["F_DUPFD", 1],
  ["F_OFD_GETLK", 30],
  ["F_OFD_SETLK", 31],
  ["F_OFD_SETLKW", 32],
  ["UNKNOWN", 0],
];

export const sockoptLevels: readonly NameValue[] = [
  ["SOL_SOCKET", 1],
  ["SOL_TCP", 2],
  ["UNKNOWN", 0],
];

export const sockoptOptions: readonly NameValue[] = [
  ["SO_COOKIE", 53],
  ["SO_MEMINFO", 52],
  ["SO_PEERGROUPS", 51],
  ["SO_ATTACH_BPF", 50],
  ["SO_INCOMING_CPU", 49],
  ["SO_BPF_EXTENSIONS", 48],
  ["SO_MAX_PACING_RATE", 47],
  ["SO_BUSY_POLL", 46],
  ["SO_SELECT_ERR_QUEUE", 45],
  ["SO_LOCK_FILTER", 44],
  ["SO_NOFCS", 43],
  ["SO_PEEK_OFF", 42],
  ["SO_WIFI_STATUS", 41],
  ["SO_RXQ_OVFL", 40],
  ["SO_DOMAIN", 39],
  ["SO_PROTOCOL", 38],
  ["SO_TIMESTAMPING", 37],
  ["SO_MARK", 36],
  ["SO_TIMESTAMPNS", 35],
  ["SO_PASSSEC", 34],
  ["SO_PEERSEC", 31],
  ["SO_ACCEPTCONN", 30],
  ["SO_TIMESTAMP", 29],
  ["SO_PEERNAME", 28],
  ["SO_DETACH_FILTER", 27],
  ["SO_ATTACH_FILTER", 26],
  ["SO_BINDTODEVICE", 25],
  ["SO_SECURITY_ENCRYPTION_NETWORK", 24],
  ["SO_SECURITY_ENCRYPTION_TRANSPORT", 23],
  ["SO_SECURITY_AUTHENTICATION", 22],
  ["SO_SNDTIMEO", 21],
  ["SO_RCVTIMEO", 20],
  ["SO_SNDLOWAT", 19],
  ["SO_RCVLOWAT", 18],
  ["SO_PEERCRED", 17],
  ["SO_PASSCRED", 16],
  ["SO_REUSEPORT", 15],
  ["SO_BSDCOMPAT", 14],
  ["SO_LINGER", 13],
  ["SO_PRIORITY", 12],
  ["SO_NO_CHECK", 11],
  ["SO_OOBINLINE", 10],
  ["SO_KEEPALIVE", 9],
  ["SO_RCVBUFFORCE", 33],
  ["SO_SNDBUFFORCE", 32],
  ["SO_RCVBUF", 8],
  ["SO_SNDBUF", 7],
  ["SO_BROADCAST", 6],
  ["SO_DONTROUTE", 5],
  ["SO_ERROR", 4],
  ["SO_TYPE", 3],
  ["SO_REUSEADDR", 2],
  ["SO_DEBUG", 1],
  ["UNKNOWN", 0],
];

export const ptraceRequests: readonly NameValue[] = [
  ["PTRACE_SINGLEBLOCK", 38],
  ["PTRACE_SYSEMU_SINGLESTEP", 37],
  ["PTRACE_SYSEMU", 36],
  ["PTRACE_ARCH_PRCTL", 35],
  ["PTRACE_SET_THREAD_AREA", 34],
  ["PTRACE_GET_THREAD_AREA", 33],
  ["PTRACE_OLDSETOPTIONS", 32],
  ["PTRACE_SETFPXREGS", 31],
  ["PTRACE_GETFPXREGS", 30],
  ["PTRACE_SETFPREGS", 29],
  ["PTRACE_GETFPREGS", 28],
  ["PTRACE_SETREGS", 27],
  ["PTRACE_GETREGS", 26],
  ["PTRACE_SETSIGMASK", 25],
  ["PTRACE_GETSIGMASK", 24],
  ["PTRACE_PEEKSIGINFO", 23],
  ["PTRACE_LISTEN", 22],
  ["PTRACE_INTERRUPT", 21],
  ["PTRACE_SEIZE", 20],
  ["PTRACE_SETREGSET", 19],
  ["PTRACE_GETREGSET", 18],
  ["PTRACE_SETSIGINFO", 17],
  ["PTRACE_GETSIGINFO", 16],
  ["PTRACE_GETEVENTMSG", 15],
  ["PTRACE_SETOPTIONS", 14],
  ["PTRACE_SYSCALL", 13],
  ["PTRACE_DETACH", 12],
  ["PTRACE_ATTACH", 11],
  ["PTRACE_SINGLESTEP", 10],
  ["PTRACE_KILL", 9],
  ["PTRACE_CONT", 8],
  ["PTRACE_POKEUSR", 7],
  ["PTRACE_POKEDATA", 6],
  ["PTRACE_POKETEXT", 5],
  ["PTRACE_PEEKUSR", 4],
  ["PTRACE_PEEKDATA", 3],
  ["PTRACE_PEEKTEXT", 2],
  ["PTRACE_TRACEME", 1],
  ["PTRACE_UNKNOWN", 0],
];

export const protFlags: readonly NameValue[] = [
  ["PROT_READ", 1 << 0],
  ["PROT_WRITE", 1 << 1],
  ["PROT_EXEC", 1 << 2],
  ["PROT_SEM", 1 << 3],
  ["PROT_GROWSDOWN", 1 << 4],
  ["PROT_GROWSUP", 1 << 5],
  ["PROT_SAO", 1 << 6],
  ["PROT_NONE", 0],
];

export const mmapFlags: readonly NameValue[] = [
  ["MAP_SHARED", 1 << 0],
  ["MAP_PRIVATE", 1 << 1],
  ["MAP_FIXED", 1 << 2],
  ["MAP_ANONYMOUS", 1 << 3],
  ["MAP_32BIT", 1 << 4],
  ["MAP_RENAME", 1 << 5],
  ["MAP_NORESERVE", 1 << 6],
  ["MAP_POPULATE", 1 << 7],
  ["MAP_NONBLOCK", 1 << 8],
  ["MAP_GROWSDOWN", 1 << 9],
  ["MAP_DENYWRITE", 1 << 10],
  ["MAP_EXECUTABLE", 1 << 11],
  ["MAP_INHERIT", 1 << 12],
  ["MAP_FILE", 1 << 13],
  ["MAP_LOCKED", 1 << 14],
];

export const spliceFlags: readonly NameValue[] = [
  ["SPLICE_F_MOVE", 1 << 0],
  ["SPLICE_F_NONBLOCK", 1 << 1],
  ["SPLICE_F_MORE", 1 << 2],
  ["SPLICE_F_GIFT", 1 << 3],
];

export const quotactlDqiFlags: readonly NameValue[] = [
  ["DQF_NONE", 1 << 0],
  ["V1_DQF_RSQUASH", 1 << 1],
];

export const quotactlCmds: readonly NameValue[] = [
  ["Q_QUOTAON", 1 << 0],
  ["Q_QUOTAOFF", 1 << 1],
  ["Q_GETFMT", 1 << 2],
  ["Q_GETINFO", 1 << 3],
  ["Q_SETINFO", 1 << 4],
  ["Q_GETQUOTA", 1 << 5],
  ["Q_SETQUOTA", 1 << 6],
  ["Q_SYNC", 1 << 7],
  ["Q_XQUOTAON", 1 << 8],
  ["Q_XQUOTAOFF", 1 << 9],
  ["Q_XGETQUOTA", 1 << 10],
  ["Q_XSETQLIM", 1 << 11],
  ["Q_XGETQSTAT", 1 << 12],
  ["Q_XQUOTARM", 1 << 13],
  ["Q_XQUOTASYNC", 1 << 14],
];

export const quotactlTypes: readonly NameValue[] = [
  ["USRQUOTA", 1 << 0],
  ["GRPQUOTA", 1 << 1],
];

export const quotactlQuotaFmts: readonly NameValue[] = [
  ["QFMT_NOT_USED", 1 << 0],
  ["QFMT_VFS_OLD", 1 << 1],
  ["QFMT_VFS_V0", 1 << 2],
  ["QFMT_VFS_V1", 1 << 3],
];

export const semopFlags: readonly NameValue[] = [
  ["IPC_NOWAIT", 1 << 0],
  ["SEM_UNDO", 1 << 1],
];

export const semgetFlags: readonly NameValue[] = [
  ["IPC_EXCL", 1 << 14],
  ["IPC_CREAT", 1 << 13],
];

export const semctlCommands: readonly NameValue[] = [
  ["IPC_STAT", 1 << 0],
  ["IPC_SET", 1 << 1],
  ["IPC_RMID", 1 << 2],
  ["IPC_INFO", 1 << 3],
  ["SEM_INFO", 1 << 4],
  ["SEM_STAT", 1 << 5],
  ["GETALL", 1 << 6],
  ["GETNCNT", 1 << 7],
  ["GETPID", 1 << 8],
  ["GETVAL", 1 << 9],
  ["GETZCNT", 1 << 10],
  ["SETALL", 1 << 11],
  ["SETVAL", 1 << 12],
];

export const accessFlags: readonly NameValue[] = [
  ["F_OK", 0],
  ["R_OK", 1 << 2],
  ["W_OK", 1 << 1],
  ["X_OK", 1 << 0],
];

export const pfFlags: readonly NameValue[] = [
  ["PROTECTION_VIOLATION", 1 << 0],
  ["PAGE_NOT_PRESENT", 1 << 1],
  ["WRITE_ACCESS", 1 << 2],
  ["READ_ACCESS", 1 << 3],
  ["USER_FAULT", 1 << 4],
  ["SUPERVISOR_FAULT", 1 << 5],
  ["RESERVED_PAGE", 1 << 6],
  ["INSTRUCTION_FETCH", 1 << 7],
];

export const unlinkatFlags: readonly NameValue[] = [
  ["AT_REMOVEDIR", 0x200],
];

export const linkatFlags: readonly NameValue[] = [
  ["AT_SYMLINK_FOLLOW", 0x400],
  ["AT_EMPTY_PATH", 0x1000],
];

export const newfstatatFlags: readonly NameValue[] = [
  ["AT_EMPTY_PATH", 0x1000],
  ["AT_NO_AUTOMOUNT", 0x800],
  ["AT_SYMLINK_NOFOLLOW", 0x100],
];

export const chmodMode: readonly NameValue[] = [
  ["S_IXOTH", 1 << 0],
  ["S_IWOTH", 1 << 1],
  ["S_IROTH", 1 << 2],
  ["S_IXGRP", 1 << 3],
  ["S_IWGRP", 1 << 4],
  ["S_IRGRP", 1 << 5],
  ["S_IXUSR", 1 << 6],
  ["S_IWUSR", 1 << 7],
  ["S_IRUSR", 1 << 8],
  ["S_ISVTX", 1 << 9],
  ["S_ISGID", 1 << 10],
  ["S_ISUID", 1 << 11],
];

// libs maps the name AT_SYMLINK_NOFOLLOW to the PPM_AT_SYMLINK_FOLLOW value (0x400) here;
// transcribed as is, since that is what gets printed.
export const fchownatFlags: readonly NameValue[] = [
  ["AT_SYMLINK_NOFOLLOW", 0x400],
  ["AT_EMPTY_PATH", 0x1000],
];

export const renameat2Flags: readonly NameValue[] = [
  ["RENAME_NOREPLACE", 1 << 0],
  ["RENAME_EXCHANGE", 1 << 1],
  ["RENAME_WHITEOUT", 1 << 2],
];

export const openat2Flags: readonly NameValue[] = [
  ["RESOLVE_BENEATH", 1 << 0],
  ["RESOLVE_IN_ROOT", 1 << 1],
  ["RESOLVE_NO_MAGICLINKS", 1 << 2],
  ["RESOLVE_NO_SYMLINKS", 1 << 3],
  ["RESOLVE_NO_XDEV", 1 << 4],
  ["RESOLVE_CACHED", 1 << 5],
];

export const execveFlags: readonly NameValue[] = [
  ["EXE_WRITABLE", 1 << 0],
  ["EXE_UPPER_LAYER", 1 << 1],
  ["EXE_FROM_MEMFD", 1 << 2],
  ["EXE_LOWER_LAYER", 1 << 3],
];

export const execveatFlags: readonly NameValue[] = [
  ["AT_EMPTY_PATH", 1 << 0],
  ["AT_SYMLINK_NOFOLLOW", 1 << 1],
];

export const ioUringSetupFlags: readonly NameValue[] = [
  ["IORING_SETUP_IOPOLL", 1 << 0],
  ["IORING_SETUP_SQPOLL", 1 << 1],
  ["IORING_SQ_NEED_WAKEUP", 1 << 2],
  ["IORING_SETUP_SQ_AFF", 1 << 3],
  ["IORING_SETUP_CQSIZE", 1 << 4],
  ["IORING_SETUP_CLAMP", 1 << 5],
  ["IORING_SETUP_ATTACH_RW", 1 << 6], // sic: libs prints ATTACH_RW for PPM_IORING_SETUP_ATTACH_WQ
  ["IORING_SETUP_R_DISABLED", 1 << 7],
];

export const ioUringSetupFeats: readonly NameValue[] = [
  ["IORING_FEAT_SINGLE_MMAP", 1 << 0],
  ["IORING_FEAT_NODROP", 1 << 1],
  ["IORING_FEAT_SUBMIT_STABLE", 1 << 2],
  ["IORING_FEAT_RW_CUR_POS", 1 << 3],
  ["IORING_FEAT_CUR_PERSONALITY", 1 << 4],
  ["IORING_FEAT_FAST_POLL", 1 << 5],
  ["IORING_FEAT_POLL_32BITS", 1 << 6],
  ["IORING_FEAT_SQPOLL_NONFIXED", 1 << 7],
  ["IORING_FEAT_ENTER_EXT_ARG", 1 << 8],
  ["IORING_FEAT_NATIVE_WORKERS", 1 << 9],
  ["IORING_FEAT_RSRC_TAGS", 1 << 10],
];

export const ioUringEnterFlags: readonly NameValue[] = [
  ["IORING_ENTER_GETEVENTS", 1 << 0],
  ["IORING_ENTER_SQ_WAKEUP", 1 << 1],
  ["IORING_ENTER_SQ_WAIT", 1 << 2],
  ["IORING_ENTER_EXT_ARG", 1 << 3],
];

export const ioUringRegisterOpcodes: readonly NameValue[] = [
  ["IORING_REGISTER_BUFFERS", 0],
  ["IORING_UNREGISTER_BUFFERS", 1],
  ["IORING_REGISTER_FILES", 2],
  ["IORING_UNREGISTER_FILES", 3],
  ["IORING_REGISTER_EVENTFD", 4],
  ["IORING_UNREGISTER_EVENTFD", 5],
  ["IORING_REGISTER_FILES_UPDATE", 6],
  ["IORING_REGISTER_EVENTFD_ASYNC", 7],
  ["IORING_REGISTER_PROBE", 8],
  ["IORING_REGISTER_PERSONALITY", 9],
  ["IORING_UNREGISTER_PERSONALITY", 10],
  ["IORING_REGISTER_RESTRICTIONS", 11],
  ["IORING_REGISTER_ENABLE_RINGS", 12],
  ["IORING_REGISTER_FILES2", 13],
  ["IORING_REGISTER_FILES_UPDATE2", 14],
  ["IORING_REGISTER_BUFFERS2", 15],
  ["IORING_REGISTER_BUFFERS_UPDATE", 16],
  ["IORING_REGISTER_IOWQ_AFF", 17],
  ["IORING_UNREGISTER_IOWQ_AFF", 18],
  ["IORING_REGISTER_IOWQ_MAX_WORKERS", 19],
  ["IORING_REGISTER_RING_FDS", 20],
  ["IORING_UNREGISTER_RING_FDS", 21],
];

export const mlockallFlags: readonly NameValue[] = [
  ["MCL_CURRENT", 1 << 0],
  ["MCL_FUTURE", 1 << 1],
  ["MCL_ONFAULT", 1 << 2],
];

export const mlock2Flags: readonly NameValue[] = [
  ["MLOCK_ONFAULT", 1 << 0],
];

export const fsconfigCmds: readonly NameValue[] = [
  ["FSCONFIG_SET_FLAG", 0],
  ["FSCONFIG_SET_STRING", 1],
  ["FSCONFIG_SET_BINARY", 2],
  ["FSCONFIG_SET_PATH", 3],
  ["FSCONFIG_SET_PATH_EMPTY", 4],
  ["FSCONFIG_SET_FD", 5],
  ["FSCONFIG_CMD_CREATE", 6],
  ["FSCONFIG_CMD_RECONFIGURE", 7],
];

export const epollCreate1Flags: readonly NameValue[] = [
  ["EPOLL_CLOEXEC", 1 << 0],
];

// PR_MCE_KILL appears twice in libs; kept, since order and content are transcribed as is.
export const prctlOptions: readonly NameValue[] = [
  ["PR_GET_DUMPABLE", 3],
  ["PR_SET_DUMPABLE", 4],
  ["PR_GET_KEEPCAPS", 7],
  ["PR_SET_KEEPCAPS", 8],
  ["PR_SET_NAME", 15],
  ["PR_GET_NAME", 16],
  ["PR_GET_SECCOMP", 21],
  ["PR_SET_SECCOMP", 22],
  ["PR_CAPBSET_READ", 23],
  ["PR_CAPBSET_DROP", 24],
  ["PR_GET_SECUREBITS", 27],
  ["PR_SET_SECUREBITS", 28],
  ["PR_MCE_KILL", 33],
  ["PR_MCE_KILL", 33],
  ["PR_SET_MM", 35],
  ["PR_SET_CHILD_SUBREAPER", 36],
  ["PR_GET_CHILD_SUBREAPER", 37],
  ["PR_SET_NO_NEW_PRIVS", 38],
  ["PR_GET_NO_NEW_PRIVS", 39],
  ["PR_GET_TID_ADDRESS", 40],
  ["PR_SET_THP_DISABLE", 41],
  ["PR_GET_THP_DISABLE", 42],
  ["PR_CAP_AMBIENT", 47],
];

export const memfdCreateFlags: readonly NameValue[] = [
  ["MFD_CLOEXEC", 1 << 0],
  ["MFD_ALLOW_SEALING", 1 << 1],
  ["MFD_HUGETLB", 1 << 2],
];

export const pidfdOpenFlags: readonly NameValue[] = [
  ["PIDFD_NONBLOCK", 1 << 0],
];

export const mknodMode: readonly NameValue[] = [
  ["S_IXOTH", 1 << 0],
  ["S_IWOTH", 1 << 1],
  ["S_IROTH", 1 << 2],
  ["S_IXGRP", 1 << 3],
  ["S_IWGRP", 1 << 4],
  ["S_IRGRP", 1 << 5],
  ["S_IXUSR", 1 << 6],
  ["S_IWUSR", 1 << 7],
  ["S_IRUSR", 1 << 8],
  ["S_ISVTX", 1 << 9],
  ["S_ISGID", 1 << 10],
  ["S_ISUID", 1 << 11],
  ["S_IFREG", 0o100000],
  ["S_IFCHR", 0o020000],
  ["S_IFBLK", 0o060000],
  ["S_IFIFO", 0o010000],
  ["S_IFSOCK", 0o140000],
];

export const bpfCommands: readonly NameValue[] = [
  ["BPF_MAP_CREATE", 0],
  ["BPF_MAP_LOOKUP_ELEM", 1],
  ["BPF_MAP_UPDATE_ELEM", 2],
  ["BPF_MAP_DELETE_ELEM", 3],
  ["BPF_MAP_GET_NEXT_KEY", 4],
  ["BPF_PROG_LOAD", 5],
  ["BPF_OBJ_PIN", 6],
  ["BPF_OBJ_GET", 7],
  ["BPF_PROG_ATTACH", 8],
  ["BPF_PROG_DETACH", 9],
  ["BPF_PROG_TEST_RUN", 10],
  ["BPF_PROG_RUN", 10],
  ["BPF_PROG_GET_NEXT_ID", 11],
  ["BPF_MAP_GET_NEXT_ID", 12],
  ["BPF_PROG_GET_FD_BY_ID", 13],
  ["BPF_MAP_GET_FD_BY_ID", 14],
  ["BPF_OBJ_GET_INFO_BY_FD", 15],
  ["BPF_PROG_QUERY", 16],
  ["BPF_RAW_TRACEPOINT_OPEN", 17],
  ["BPF_BTF_LOAD", 18],
  ["BPF_BTF_GET_FD_BY_ID", 19],
  ["BPF_TASK_FD_QUERY", 20],
  ["BPF_MAP_LOOKUP_AND_DELETE_ELEM", 21],
  ["BPF_MAP_FREEZE", 22],
  ["BPF_BTF_GET_NEXT_ID", 23],
  ["BPF_MAP_LOOKUP_BATCH", 24],
  ["BPF_MAP_LOOKUP_AND_DELETE_BATCH", 25],
  ["BPF_MAP_UPDATE_BATCH", 26],
  ["BPF_MAP_DELETE_BATCH", 27],
  ["BPF_LINK_CREATE", 28],
  ["BPF_LINK_UPDATE", 29],
  ["BPF_LINK_GET_FD_BY_ID", 30],
  ["BPF_LINK_GET_NEXT_ID", 31],
  ["BPF_ENABLE_STATS", 32],
  ["BPF_ITER_CREATE", 33],
  ["BPF_LINK_DETACH", 34],
  ["BPF_PROG_BIND_MAP", 35],
];

export const deleteModuleFlags: readonly NameValue[] = [
  ["O_NONBLOCK", 1 << 1],
  ["O_TRUNC", 1 << 0],
];

export const finitModuleFlags: readonly NameValue[] = [
  ["MODULE_INIT_IGNORE_MODVERSIONS", 1],
  ["MODULE_INIT_IGNORE_VERMAGIC", 2],
  ["MODULE_INIT_COMPRESSED_FILE", 4],
];

/** Flag names added to the tables above after sysdig 0.29.3 (libs e5c53d64): sysdig prints
 *  without them, so rendering skips them to print what sysdig prints. */
export const FLAGS_ADDED_AFTER_SYSDIG_0_29: ReadonlySet<string> = new Set([
  "O_F_CREATED", "FD_UPPER_LAYER", "FD_LOWER_LAYER", "CLONE_CHILD_IN_PIDNS", "SHUT_UNKNOWN",
  "EXE_UPPER_LAYER", "EXE_FROM_MEMFD", "EXE_LOWER_LAYER",
]);
