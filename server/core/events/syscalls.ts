// PPM_SC_* system call code -> name, as sysdig 0.29.3 shows it (e.g. as the event type of
// generic `syscall` events, whose PT_SYSCALLID parameter `ID` carries this code).
//
// Version used: the g_syscall_info_table of falcosecurity/libs e5c53d648f3c4694385bbe488e7d47eaa36c229a
// (2022-03-16), the commit sysdig 0.29.3 is built on. PPM_SC_MAX was 329 there (the last code is
// PPM_SC_CLONE3 = 328). Why this version: later libs replaced this table (ppm_sc names are now
// generated from the PPM_SC_FIELDS list, which also covers tracepoints and changed some
// spellings), so only the 2022 table gives the names sysdig 0.29.3 prints.
// How it was obtained: no 2022 copy of syscall_info_table.c was reachable in our source
// index, so the table was read from the exported g_syscall_info_table of the libscap shared
// library of that exact commit (libscap.so.0.1.1dev+git20220316.e5c53d64, installed with
// sysdig 0.29.3). Codes 0..319 agree with the older draios/sysdig userspace/libscap
// syscall_info_table.c we could read; 320..328 (renameat2 .. clone3) were appended later.
// The codes themselves (0..328) have the same numbering as today's PPM_SC_FIELDS, but the
// names differ in places: e.g. 298 is "sigreturn" (PPM_SC_RT_SIGRETURN today), 300 is
// "newfstatat", 283 "newselect" (PPM_SC__NEWSELECT), 292 "llseek" (PPM_SC__LLSEEK), and the
// 32-bit uid/gid variants 305..313 use the names without "32".
export const SYSCALL_NAMES: readonly string[] = [
  /*   0 */ "<unknown>", "restart_syscall", "exit", "read", "write", "open", "close", "creat",
  /*   8 */ "link", "unlink", "chdir", "time", "mknod", "chmod", "stat", "lseek",
  /*  16 */ "getpid", "mount", "ptrace", "alarm", "fstat", "pause", "utime", "access",
  /*  24 */ "sync", "kill", "rename", "mkdir", "rmdir", "dup", "pipe", "times",
  /*  32 */ "brk", "acct", "ioctl", "fcntl", "setpgid", "umask", "chroot", "ustat",
  /*  40 */ "dup2", "getppid", "getpgrp", "setsid", "sethostname", "setrlimit", "getrusage", "gettimeofday",
  /*  48 */ "settimeofday", "symlink", "lstat", "readlink", "uselib", "swapon", "reboot", "mmap",
  /*  56 */ "munmap", "truncate", "ftruncate", "fchmod", "getpriority", "setpriority", "statfs", "fstatfs",
  /*  64 */ "syslog", "setitimer", "getitimer", "uname", "vhangup", "wait4", "swapoff", "sysinfo",
  /*  72 */ "fsync", "setdomainname", "adjtimex", "mprotect", "init_module", "delete_module", "quotactl", "getpgid",
  /*  80 */ "fchdir", "sysfs", "personality", "getdents", "select", "flock", "msync", "readv",
  /*  88 */ "writev", "getsid", "fdatasync", "mlock", "munlock", "mlockall", "munlockall", "sched_setparam",
  /*  96 */ "sched_getparam", "sched_setscheduler", "sched_getscheduler", "sched_yield", "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval", "nanosleep",
  /* 104 */ "mremap", "poll", "prctl", "rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
  /* 112 */ "rt_sigsuspend", "getcwd", "capget", "capset", "sendfile", "getrlimit", "lchown", "getuid",
  /* 120 */ "getgid", "geteuid", "getegid", "setreuid", "setregid", "getgroups", "setgroups", "fchown",
  /* 128 */ "setresuid", "getresuid", "setresgid", "getresgid", "chown", "setuid", "setgid", "setfsuid",
  /* 136 */ "setfsgid", "pivot_root", "mincore", "madvise", "gettid", "setxattr", "lsetxattr", "fsetxattr",
  /* 144 */ "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr", "lremovexattr",
  /* 152 */ "fremovexattr", "tkill", "futex", "sched_setaffinity", "sched_getaffinity", "set_thread_area", "get_thread_area", "io_setup",
  /* 160 */ "io_destroy", "io_getevents", "io_submit", "io_cancel", "exit_group", "epoll_create", "epoll_ctl", "epoll_wait",
  /* 168 */ "remap_file_pages", "set_tid_address", "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "clock_settime",
  /* 176 */ "clock_gettime", "clock_getres", "clock_nanosleep", "tgkill", "utimes", "mq_open", "mq_unlink", "mq_timedsend",
  /* 184 */ "mq_timedreceive", "mq_notify", "mq_getsetattr", "kexec_load", "waitid", "add_key", "request_key", "keyctl",
  /* 192 */ "ioprio_set", "ioprio_get", "inotify_init", "inotify_add_watch", "inotify_rm_watch", "openat", "mkdirat", "mknodat",
  /* 200 */ "fchownat", "futimesat", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat",
  /* 208 */ "faccessat", "pselect6", "ppoll", "unshare", "set_robust_list", "get_robust_list", "splice", "tee",
  /* 216 */ "vmsplice", "getcpu", "epoll_pwait", "utimensat", "signalfd", "timerfd_create", "eventfd", "timerfd_settime",
  /* 224 */ "timerfd_gettime", "signalfd4", "eventfd2", "epoll_create1", "dup3", "pipe2", "inotify_init1", "preadv",
  /* 232 */ "pwritev", "rt_tgsigqueueinfo", "perf_event_open", "fanotify_init", "prlimit64", "clock_adjtime", "syncfs", "setns",
  /* 240 */ "getdents64", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
  /* 248 */ "socketpair", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "sendmmsg",
  /* 256 */ "recvmsg", "recvmmsg", "accept4", "semop", "semget", "semctl", "msgsnd", "msgrcv",
  /* 264 */ "msgget", "msgctl", "shmdt", "shmget", "shmctl", "statfs64", "fstatfs64", "fstatat64",
  /* 272 */ "sendfile64", "ugetrlimit", "bdflush", "sigprocmask", "ipc", "socketcall", "stat64", "lstat64",
  /* 280 */ "fstat64", "fcntl64", "mmap2", "newselect", "sgetmask", "ssetmask", "sigpending", "olduname",
  /* 288 */ "umount", "signal", "nice", "stime", "llseek", "waitpid", "pread64", "pwrite64",
  /* 296 */ "arch_prctl", "shmat", "sigreturn", "fallocate", "newfstatat", "process_vm_readv", "process_vm_writev", "fork",
  /* 304 */ "vfork", "setuid", "getuid", "setgid", "geteuid", "getgid", "setresuid", "setresgid",
  /* 312 */ "getresuid", "getresgid", "finit_module", "bpf", "seccomp", "sigaltstack", "getrandom", "fadvise64",
  /* 320 */ "renameat2", "userfaultfd", "openat2", "umount2", "execve", "execveat", "copy_file_range", "clone",
  /* 328 */ "clone3",
];
