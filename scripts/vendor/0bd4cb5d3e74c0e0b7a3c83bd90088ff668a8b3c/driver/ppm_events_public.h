// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*

Copyright (C) 2023 The Falco Authors.Copyright (C) 2023 The Falco Authors.

This file is dual licensed under either the MIT or GPL 2. See MIT.txt
or GPL2.txt for full copies of the license.

*/

#ifndef EVENTS_PUBLIC_H_
#define EVENTS_PUBLIC_H_

#ifdef __KERNEL__
#include <linux/types.h>
#elif defined(__USE_VMLINUX__)
/* In the modern probe, if we have the vmlinux.h we need nothing here. */
#else
#include <stdint.h>
#endif

#include "./feature_gates.h"

#ifndef UINT32_MAX
#define UINT32_MAX (4294967295U)
#endif

/*
 * Macros for packing in different build environments
 */
#if defined(_WIN32)
#define _packed              \
	__pragma(pack(push, 1)); \
	__pragma(pack(pop))
#else
#define _packed __attribute__((packed))
#endif

/*
 * Limits
 */
#define PPM_MAX_EVENT_PARAMS (1 << 5) /* Max number of parameters an event can have */
#define PPM_MAX_NAME_LEN 32

/*
 * Socket families
 */
#define PPM_AF_UNSPEC 0
#define PPM_AF_UNIX 1      /* Unix domain sockets          */
#define PPM_AF_LOCAL 1     /* POSIX name for PPM_AF_UNIX   */
#define PPM_AF_INET 2      /* Internet IP Protocol         */
#define PPM_AF_AX25 3      /* Amateur Radio AX.25          */
#define PPM_AF_IPX 4       /* Novell IPX                   */
#define PPM_AF_APPLETALK 5 /* AppleTalk DDP                */
#define PPM_AF_NETROM 6    /* Amateur Radio NET/ROM        */
#define PPM_AF_BRIDGE 7    /* Multiprotocol bridge         */
#define PPM_AF_ATMPVC 8    /* ATM PVCs                     */
#define PPM_AF_X25 9       /* Reserved for X.25 project    */
#define PPM_AF_INET6 10    /* IP version 6                 */
#define PPM_AF_ROSE 11     /* Amateur Radio X.25 PLP       */
#define PPM_AF_DECnet 12   /* Reserved for DECnet project  */
#define PPM_AF_NETBEUI 13  /* Reserved for 802.2LLC project*/
#define PPM_AF_SECURITY 14 /* Security callback pseudo AF */
#define PPM_AF_KEY 15      /* PF_KEY key management API */
#define PPM_AF_NETLINK 16
#define PPM_AF_ROUTE PPM_AF_NETLINK /* Alias to emulate 4.4BSD */
#define PPM_AF_PACKET 17            /* Packet family                */
#define PPM_AF_ASH 18               /* Ash                          */
#define PPM_AF_ECONET 19            /* Acorn Econet                 */
#define PPM_AF_ATMSVC 20            /* ATM SVCs                     */
#define PPM_AF_RDS 21               /* RDS sockets                  */
#define PPM_AF_SNA 22               /* Linux SNA Project (nutters!) */
#define PPM_AF_IRDA 23              /* IRDA sockets                 */
#define PPM_AF_PPPOX 24             /* PPPoX sockets                */
#define PPM_AF_WANPIPE 25           /* Wanpipe API Sockets */
#define PPM_AF_LLC 26               /* Linux LLC                    */
#define PPM_AF_CAN 29               /* Controller Area Network      */
#define PPM_AF_TIPC 30              /* TIPC sockets                 */
#define PPM_AF_BLUETOOTH 31         /* Bluetooth sockets            */
#define PPM_AF_IUCV 32              /* IUCV sockets                 */
#define PPM_AF_RXRPC 33             /* RxRPC sockets                */
#define PPM_AF_ISDN 34              /* mISDN sockets                */
#define PPM_AF_PHONET 35            /* Phonet sockets               */
#define PPM_AF_IEEE802154 36        /* IEEE802154 sockets           */
#define PPM_AF_CAIF 37              /* CAIF sockets                 */
#define PPM_AF_ALG 38               /* Algorithm sockets            */
#define PPM_AF_NFC 39               /* NFC sockets                  */

/*
 * File flags
 */
#define PPM_O_NONE 0
#define PPM_O_RDONLY (1 << 0)                    /* Open for reading only */
#define PPM_O_WRONLY (1 << 1)                    /* Open for writing only */
#define PPM_O_RDWR (PPM_O_RDONLY | PPM_O_WRONLY) /* Open for reading and writing */
#define PPM_O_CREAT (1 << 2)                     /* Create a new file if it doesn't exist. */
#define PPM_O_APPEND                                                                             \
	(1 << 3) /* If set, the file offset shall be set to the end of the file prior to each write. \
	          */
#define PPM_O_DSYNC (1 << 4)
#define PPM_O_EXCL (1 << 5)
#define PPM_O_NONBLOCK (1 << 6)
#define PPM_O_SYNC (1 << 7)
#define PPM_O_TRUNC (1 << 8)
#define PPM_O_DIRECT (1 << 9)
#define PPM_O_DIRECTORY (1 << 10)
#define PPM_O_LARGEFILE (1 << 11)
#define PPM_O_CLOEXEC (1 << 12)
#define PPM_O_TMPFILE (1 << 13)
/* Flags added by syscall probe: */
#define PPM_O_F_CREATED (1 << 14)    /* file created during the syscall */
#define PPM_FD_UPPER_LAYER (1 << 15) /* file is from upper layer */
#define PPM_FD_LOWER_LAYER (1 << 16) /* file is from upper layer */

/*
 * creat flags
 */
/* These flags serve the same puropse as the flags PPM_FD_UPPER_LAYER and PPM_FD_LOWER_LAYER in the
 * 'File flags' section. They are used in creat system call because it doesn't have a 'flags'
 * parameter that can be used. This redifintion is needed because this 'creat_flags' parameter is 16
 * bits and the aforementioned flags are over 16 bits.
 */
#define PPM_FD_UPPER_LAYER_CREAT \
	(1 << 0) /* file is from upper layer. Equivalent to PPM_FD_UPPER_LAYER */
#define PPM_FD_LOWER_LAYER_CREAT \
	(1 << 1) /* file is from upper layer. Equivalent to PPM_FD_LOWER_LAYER */

/*
 * File modes
 */
#define PPM_S_NONE 0
#define PPM_S_IXOTH (1 << 0)
#define PPM_S_IWOTH (1 << 1)
#define PPM_S_IROTH (1 << 2)
#define PPM_S_IXGRP (1 << 3)
#define PPM_S_IWGRP (1 << 4)
#define PPM_S_IRGRP (1 << 5)
#define PPM_S_IXUSR (1 << 6)
#define PPM_S_IWUSR (1 << 7)
#define PPM_S_IRUSR (1 << 8)
#define PPM_S_ISVTX (1 << 9)
#define PPM_S_ISGID (1 << 10)
#define PPM_S_ISUID (1 << 11)

/*
 * mknod() modes
 */
#define PPM_S_IFREG 0100000
#define PPM_S_IFCHR 0020000
#define PPM_S_IFBLK 0060000
#define PPM_S_IFIFO 0010000
#define PPM_S_IFSOCK 0140000

/*
 * flock() flags
 */
#define PPM_LOCK_NONE 0
#define PPM_LOCK_SH (1 << 0)
#define PPM_LOCK_EX (1 << 1)
#define PPM_LOCK_NB (1 << 2)
#define PPM_LOCK_UN (1 << 3)

/*
 * Clone flags
 */
#define PPM_CL_NONE 0
#define PPM_CL_CLONE_FILES (1 << 0)
#define PPM_CL_CLONE_FS (1 << 1)
#define PPM_CL_CLONE_IO (1 << 2)
#define PPM_CL_CLONE_NEWIPC (1 << 3)
#define PPM_CL_CLONE_NEWNET (1 << 4)
#define PPM_CL_CLONE_NEWNS (1 << 5)
#define PPM_CL_CLONE_NEWPID (1 << 6)
#define PPM_CL_CLONE_NEWUTS (1 << 7)
#define PPM_CL_CLONE_PARENT (1 << 8)
#define PPM_CL_CLONE_PARENT_SETTID (1 << 9)
#define PPM_CL_CLONE_PTRACE (1 << 10)
#define PPM_CL_CLONE_SIGHAND (1 << 11)
#define PPM_CL_CLONE_SYSVSEM (1 << 12)
#define PPM_CL_CLONE_THREAD (1 << 13)
#define PPM_CL_CLONE_UNTRACED (1 << 14)
#define PPM_CL_CLONE_VM (1 << 15)
#define PPM_CL_CLONE_INVERTED \
	(1 << 16) /* libsinsp-specific flag. It's set if clone() returned in */
              /* the child process before than in the parent process. */
#define PPM_CL_NAME_CHANGED                                                                 \
	(1 << 17)                   /* libsinsp-specific flag. Set when the thread name changes \
	                             */
                                /* (for example because execve was called) */
#define PPM_CL_CLOSED (1 << 18) /* thread has been closed. */
#define PPM_CL_ACTIVE                                                         \
	(1 << 19) /* libsinsp-specific flag. Set in the first non-clone event for \
	             this thread. */
#define PPM_CL_CLONE_NEWUSER (1 << 20)
#define PPM_CL_PIPE_SRC                                              \
	(1 << 21) /* libsinsp-specific flag. Set if this thread has been \
	             detected to be the source in a shell pipe. */
#define PPM_CL_PIPE_DST                                              \
	(1 << 22) /* libsinsp-specific flag. Set if this thread has been \
	             detected to be the destination in a shell pipe. */
#define PPM_CL_CLONE_CHILD_CLEARTID (1 << 23)
#define PPM_CL_CLONE_CHILD_SETTID (1 << 24)
#define PPM_CL_CLONE_SETTLS (1 << 25)
#define PPM_CL_CLONE_STOPPED (1 << 26)
#define PPM_CL_CLONE_VFORK (1 << 27)
#define PPM_CL_CLONE_NEWCGROUP (1 << 28)
#define PPM_CL_CHILD_IN_PIDNS                                   \
	(1 << 29) /* true if the thread created by clone() is *not* \
  in the init pid namespace */
#define PPM_CL_IS_MAIN_THREAD                                           \
	(1 << 30) /* libsinsp-specific flag. Set if this is the main thread \
	           */
              /* in envs where main thread tid != pid.*/

/*
 * Futex Operations
 */
#define PPM_FU_FUTEX_WAIT 0
#define PPM_FU_FUTEX_WAKE 1
#define PPM_FU_FUTEX_FD 2
#define PPM_FU_FUTEX_REQUEUE 3
#define PPM_FU_FUTEX_CMP_REQUEUE 4
#define PPM_FU_FUTEX_WAKE_OP 5
#define PPM_FU_FUTEX_LOCK_PI 6
#define PPM_FU_FUTEX_UNLOCK_PI 7
#define PPM_FU_FUTEX_TRYLOCK_PI 8
#define PPM_FU_FUTEX_WAIT_BITSET 9
#define PPM_FU_FUTEX_WAKE_BITSET 10
#define PPM_FU_FUTEX_WAIT_REQUEUE_PI 11
#define PPM_FU_FUTEX_CMP_REQUEUE_PI 12
#define PPM_FU_FUTEX_PRIVATE_FLAG 128
#define PPM_FU_FUTEX_CLOCK_REALTIME 256

/*
 * lseek() and llseek() whence
 */
#define PPM_SEEK_SET 0
#define PPM_SEEK_CUR 1
#define PPM_SEEK_END 2

/*
 * poll() flags
 */
#define PPM_POLLIN (1 << 0)
#define PPM_POLLPRI (1 << 1)
#define PPM_POLLOUT (1 << 2)
#define PPM_POLLRDHUP (1 << 3)
#define PPM_POLLERR (1 << 4)
#define PPM_POLLHUP (1 << 5)
#define PPM_POLLNVAL (1 << 6)
#define PPM_POLLRDNORM (1 << 7)
#define PPM_POLLRDBAND (1 << 8)
#define PPM_POLLWRNORM (1 << 9)
#define PPM_POLLWRBAND (1 << 10)

/*
 * mount() flags
 */
#define PPM_MS_RDONLY (1 << 0)
#define PPM_MS_NOSUID (1 << 1)
#define PPM_MS_NODEV (1 << 2)
#define PPM_MS_NOEXEC (1 << 3)
#define PPM_MS_SYNCHRONOUS (1 << 4)
#define PPM_MS_REMOUNT (1 << 5)
#define PPM_MS_MANDLOCK (1 << 6)
#define PPM_MS_DIRSYNC (1 << 7)

#define PPM_MS_NOATIME (1 << 10)
#define PPM_MS_NODIRATIME (1 << 11)
#define PPM_MS_BIND (1 << 12)
#define PPM_MS_MOVE (1 << 13)
#define PPM_MS_REC (1 << 14)
#define PPM_MS_SILENT (1 << 15)
#define PPM_MS_POSIXACL (1 << 16)
#define PPM_MS_UNBINDABLE (1 << 17)
#define PPM_MS_PRIVATE (1 << 18)
#define PPM_MS_SLAVE (1 << 19)
#define PPM_MS_SHARED (1 << 20)
#define PPM_MS_RELATIME (1 << 21)
#define PPM_MS_KERNMOUNT (1 << 22)
#define PPM_MS_I_VERSION (1 << 23)
#define PPM_MS_STRICTATIME (1 << 24)
#define PPM_MS_LAZYTIME (1 << 25)

#define PPM_MS_NOSEC (1 << 28)
#define PPM_MS_BORN (1 << 29)
#define PPM_MS_ACTIVE (1 << 30)
#define PPM_MS_NOUSER (1 << 31)

/*
 * umount() flags
 */
#define PPM_MNT_FORCE (1 << 0)
#define PPM_MNT_DETACH (1 << 1)
#define PPM_MNT_EXPIRE (1 << 2)
#define PPM_UMOUNT_NOFOLLOW (1 << 3)

/*
 * shutdown() how
 */
#define PPM_SHUT_RD 0
#define PPM_SHUT_WR 1
#define PPM_SHUT_RDWR 2
#define PPM_SHUT_UNKNOWN 0xffff

/*
 * fs *at() flags
 */
#define PPM_AT_FDCWD -100

/*
 * unlinkat() flags
 */
#define PPM_AT_REMOVEDIR 0x200

/*
 * linkat() flags
 */
#define PPM_AT_SYMLINK_FOLLOW 0x400
#define PPM_AT_EMPTY_PATH 0x1000

/*
 * newfstatat() flags
 */
#define PPM_AT_NO_AUTOMOUNT 0x800
#define PPM_AT_SYMLINK_NOFOLLOW 0x100

/*
 * rlimit resources
 */
#define PPM_RLIMIT_CPU 0         /* CPU time in sec */
#define PPM_RLIMIT_FSIZE 1       /* Maximum filesize */
#define PPM_RLIMIT_DATA 2        /* max data size */
#define PPM_RLIMIT_STACK 3       /* max stack size */
#define PPM_RLIMIT_CORE 4        /* max core file size */
#define PPM_RLIMIT_RSS 5         /* max resident set size */
#define PPM_RLIMIT_NPROC 6       /* max number of processes */
#define PPM_RLIMIT_NOFILE 7      /* max number of open files */
#define PPM_RLIMIT_MEMLOCK 8     /* max locked-in-memory address space */
#define PPM_RLIMIT_AS 9          /* address space limit */
#define PPM_RLIMIT_LOCKS 10      /* maximum file locks held */
#define PPM_RLIMIT_SIGPENDING 11 /* max number of pending signals */
#define PPM_RLIMIT_MSGQUEUE 12   /* maximum bytes in POSIX mqueues */
#define PPM_RLIMIT_NICE 13     /* max nice prio allowed to raise to 0-39 for nice level 19 .. -20 */
#define PPM_RLIMIT_RTPRIO 14   /* maximum realtime priority */
#define PPM_RLIMIT_RTTIME 15   /* timeout for RT tasks in us */
#define PPM_RLIMIT_UNKNOWN 255 /* CPU time in sec */

/*
 * fcntl commands
 */
#define PPM_FCNTL_UNKNOWN 0
#define PPM_FCNTL_F_DUPFD 1
#define PPM_FCNTL_F_GETFD 2
#define PPM_FCNTL_F_SETFD 3
#define PPM_FCNTL_F_GETFL 4
#define PPM_FCNTL_F_SETFL 5
#define PPM_FCNTL_F_GETLK 6
#define PPM_FCNTL_F_SETLK 8
#define PPM_FCNTL_F_SETLKW 9
#define PPM_FCNTL_F_SETOWN 10
#define PPM_FCNTL_F_GETOWN 12
#define PPM_FCNTL_F_SETSIG 13
#define PPM_FCNTL_F_GETSIG 15
#ifndef CONFIG_64BIT
#define PPM_FCNTL_F_GETLK64 17
#define PPM_FCNTL_F_SETLK64 18
#define PPM_FCNTL_F_SETLKW64 19
#endif
#define PPM_FCNTL_F_SETOWN_EX 21
#define PPM_FCNTL_F_GETOWN_EX 22
#define PPM_FCNTL_F_SETLEASE 23
#define PPM_FCNTL_F_GETLEASE 24
#define PPM_FCNTL_F_CANCELLK 25
#define PPM_FCNTL_F_DUPFD_CLOEXEC 26
#define PPM_FCNTL_F_NOTIFY 27
#define PPM_FCNTL_F_SETPIPE_SZ 28
#define PPM_FCNTL_F_GETPIPE_SZ 29
#define PPM_FCNTL_F_OFD_GETLK 30
#define PPM_FCNTL_F_OFD_SETLK 31
#define PPM_FCNTL_F_OFD_SETLKW 32

/*
 * getsockopt/setsockopt levels
 */
#define PPM_SOCKOPT_LEVEL_UNKNOWN 0
#define PPM_SOCKOPT_LEVEL_SOL_SOCKET 1
#define PPM_SOCKOPT_LEVEL_SOL_TCP 2

/*
 * getsockopt/setsockopt options
 * SOL_SOCKET only currently
 */
#define PPM_SOCKOPT_UNKNOWN 0
#define PPM_SOCKOPT_SO_DEBUG 1
#define PPM_SOCKOPT_SO_REUSEADDR 2
#define PPM_SOCKOPT_SO_TYPE 3
#define PPM_SOCKOPT_SO_ERROR 4
#define PPM_SOCKOPT_SO_DONTROUTE 5
#define PPM_SOCKOPT_SO_BROADCAST 6
#define PPM_SOCKOPT_SO_SNDBUF 7
#define PPM_SOCKOPT_SO_RCVBUF 8
#define PPM_SOCKOPT_SO_SNDBUFFORCE 32
#define PPM_SOCKOPT_SO_RCVBUFFORCE 33
#define PPM_SOCKOPT_SO_KEEPALIVE 9
#define PPM_SOCKOPT_SO_OOBINLINE 10
#define PPM_SOCKOPT_SO_NO_CHECK 11
#define PPM_SOCKOPT_SO_PRIORITY 12
#define PPM_SOCKOPT_SO_LINGER 13
#define PPM_SOCKOPT_SO_BSDCOMPAT 14
#define PPM_SOCKOPT_SO_REUSEPORT 15
#define PPM_SOCKOPT_SO_PASSCRED 16
#define PPM_SOCKOPT_SO_PEERCRED 17
#define PPM_SOCKOPT_SO_RCVLOWAT 18
#define PPM_SOCKOPT_SO_SNDLOWAT 19
#define PPM_SOCKOPT_SO_RCVTIMEO 20
#define PPM_SOCKOPT_SO_SNDTIMEO 21
#define PPM_SOCKOPT_SO_SECURITY_AUTHENTICATION 22
#define PPM_SOCKOPT_SO_SECURITY_ENCRYPTION_TRANSPORT 23
#define PPM_SOCKOPT_SO_SECURITY_ENCRYPTION_NETWORK 24
#define PPM_SOCKOPT_SO_BINDTODEVICE 25
#define PPM_SOCKOPT_SO_ATTACH_FILTER 26
#define PPM_SOCKOPT_SO_DETACH_FILTER 27
#define PPM_SOCKOPT_SO_PEERNAME 28
#define PPM_SOCKOPT_SO_TIMESTAMP 29
#define PPM_SOCKOPT_SO_ACCEPTCONN 30
#define PPM_SOCKOPT_SO_PEERSEC 31
#define PPM_SOCKOPT_SO_PASSSEC 34
#define PPM_SOCKOPT_SO_TIMESTAMPNS 35
#define PPM_SOCKOPT_SO_MARK 36
#define PPM_SOCKOPT_SO_TIMESTAMPING 37
#define PPM_SOCKOPT_SO_PROTOCOL 38
#define PPM_SOCKOPT_SO_DOMAIN 39
#define PPM_SOCKOPT_SO_RXQ_OVFL 40
#define PPM_SOCKOPT_SO_WIFI_STATUS 41
#define PPM_SOCKOPT_SO_PEEK_OFF 42
#define PPM_SOCKOPT_SO_NOFCS 43
#define PPM_SOCKOPT_SO_LOCK_FILTER 44
#define PPM_SOCKOPT_SO_SELECT_ERR_QUEUE 45
#define PPM_SOCKOPT_SO_BUSY_POLL 46
#define PPM_SOCKOPT_SO_MAX_PACING_RATE 47
#define PPM_SOCKOPT_SO_BPF_EXTENSIONS 48
#define PPM_SOCKOPT_SO_INCOMING_CPU 49
#define PPM_SOCKOPT_SO_ATTACH_BPF 50
#define PPM_SOCKOPT_SO_PEERGROUPS 51
#define PPM_SOCKOPT_SO_MEMINFO 52
#define PPM_SOCKOPT_SO_COOKIE 53

/*
 * getsockopt/setsockopt dynamic params
 */
#define PPM_SOCKOPT_IDX_UNKNOWN 0
#define PPM_SOCKOPT_IDX_ERRNO 1
#define PPM_SOCKOPT_IDX_UINT32 2
#define PPM_SOCKOPT_IDX_UINT64 3
#define PPM_SOCKOPT_IDX_TIMEVAL 4
#define PPM_SOCKOPT_IDX_MAX 5

/*
 * ptrace requests
 */
#define PPM_PTRACE_UNKNOWN 0
#define PPM_PTRACE_TRACEME 1
#define PPM_PTRACE_PEEKTEXT 2
#define PPM_PTRACE_PEEKDATA 3
#define PPM_PTRACE_PEEKUSR 4
#define PPM_PTRACE_POKETEXT 5
#define PPM_PTRACE_POKEDATA 6
#define PPM_PTRACE_POKEUSR 7
#define PPM_PTRACE_CONT 8
#define PPM_PTRACE_KILL 9
#define PPM_PTRACE_SINGLESTEP 10
#define PPM_PTRACE_ATTACH 11
#define PPM_PTRACE_DETACH 12
#define PPM_PTRACE_SYSCALL 13
#define PPM_PTRACE_SETOPTIONS 14
#define PPM_PTRACE_GETEVENTMSG 15
#define PPM_PTRACE_GETSIGINFO 16
#define PPM_PTRACE_SETSIGINFO 17
#define PPM_PTRACE_GETREGSET 18
#define PPM_PTRACE_SETREGSET 19
#define PPM_PTRACE_SEIZE 20
#define PPM_PTRACE_INTERRUPT 21
#define PPM_PTRACE_LISTEN 22
#define PPM_PTRACE_PEEKSIGINFO 23
#define PPM_PTRACE_GETSIGMASK 24
#define PPM_PTRACE_SETSIGMASK 25
#define PPM_PTRACE_GETREGS 26
#define PPM_PTRACE_SETREGS 27
#define PPM_PTRACE_GETFPREGS 28
#define PPM_PTRACE_SETFPREGS 29
#define PPM_PTRACE_GETFPXREGS 30
#define PPM_PTRACE_SETFPXREGS 31
#define PPM_PTRACE_OLDSETOPTIONS 32
#define PPM_PTRACE_GET_THREAD_AREA 33
#define PPM_PTRACE_SET_THREAD_AREA 34
#define PPM_PTRACE_ARCH_PRCTL 35
#define PPM_PTRACE_SYSEMU 36
#define PPM_PTRACE_SYSEMU_SINGLESTEP 37
#define PPM_PTRACE_SINGLEBLOCK 38

/*
 * ptrace dynamic table indexes
 */
#define PPM_PTRACE_IDX_UINT64 0
#define PPM_PTRACE_IDX_SIGTYPE 1

#define PPM_PTRACE_IDX_MAX 2

#define PPM_BPF_IDX_FD 0
#define PPM_BPF_IDX_RES 1

#define PPM_BPF_IDX_MAX 2

/*
 * memory protection flags
 */
#define PPM_PROT_NONE 0
#define PPM_PROT_READ (1 << 0)
#define PPM_PROT_WRITE (1 << 1)
#define PPM_PROT_EXEC (1 << 2)
#define PPM_PROT_SEM (1 << 3)
#define PPM_PROT_GROWSDOWN (1 << 4)
#define PPM_PROT_GROWSUP (1 << 5)
#define PPM_PROT_SAO (1 << 6)

/*
 * mmap flags
 */
#define PPM_MAP_SHARED (1 << 0)
#define PPM_MAP_PRIVATE (1 << 1)
#define PPM_MAP_FIXED (1 << 2)
#define PPM_MAP_ANONYMOUS (1 << 3)
#define PPM_MAP_32BIT (1 << 4)
#define PPM_MAP_RENAME (1 << 5)
#define PPM_MAP_NORESERVE (1 << 6)
#define PPM_MAP_POPULATE (1 << 7)
#define PPM_MAP_NONBLOCK (1 << 8)
#define PPM_MAP_GROWSDOWN (1 << 9)
#define PPM_MAP_DENYWRITE (1 << 10)
#define PPM_MAP_EXECUTABLE (1 << 11)
#define PPM_MAP_INHERIT (1 << 12)
#define PPM_MAP_FILE (1 << 13)
#define PPM_MAP_LOCKED (1 << 14)

/*
 * splice flags
 */
#define PPM_SPLICE_F_MOVE (1 << 0)
#define PPM_SPLICE_F_NONBLOCK (1 << 1)
#define PPM_SPLICE_F_MORE (1 << 2)
#define PPM_SPLICE_F_GIFT (1 << 3)

/*
 * quotactl cmds
 */
#define PPM_Q_QUOTAON (1 << 0)
#define PPM_Q_QUOTAOFF (1 << 1)
#define PPM_Q_GETFMT (1 << 2)
#define PPM_Q_GETINFO (1 << 3)
#define PPM_Q_SETINFO (1 << 4)
#define PPM_Q_GETQUOTA (1 << 5)
#define PPM_Q_SETQUOTA (1 << 6)
#define PPM_Q_SYNC (1 << 7)
#define PPM_Q_XQUOTAON (1 << 8)
#define PPM_Q_XQUOTAOFF (1 << 9)
#define PPM_Q_XGETQUOTA (1 << 10)
#define PPM_Q_XSETQLIM (1 << 11)
#define PPM_Q_XGETQSTAT (1 << 12)
#define PPM_Q_XQUOTARM (1 << 13)
#define PPM_Q_XQUOTASYNC (1 << 14)
#define PPM_Q_XGETQSTATV (1 << 15)

/*
 * quotactl types
 */
#define PPM_USRQUOTA (1 << 0)
#define PPM_GRPQUOTA (1 << 1)

/*
 * quotactl dqi_flags
 */
#define PPM_DQF_NONE (1 << 0)
#define PPM_V1_DQF_RSQUASH (1 << 1)

/*
 * quotactl quotafmts
 */
#define PPM_QFMT_NOT_USED (1 << 0)
#define PPM_QFMT_VFS_OLD (1 << 1)
#define PPM_QFMT_VFS_V0 (1 << 2)
#define PPM_QFMT_VFS_V1 (1 << 3)

/*
 * Semop flags
 */
#define PPM_IPC_NOWAIT (1 << 0)
#define PPM_SEM_UNDO (1 << 1)

/*
 * Semget flags
 */
#define PPM_IPC_CREAT (1 << 13)
#define PPM_IPC_EXCL (1 << 14)

#define PPM_IPC_STAT (1 << 0)
#define PPM_IPC_SET (1 << 1)
#define PPM_IPC_RMID (1 << 2)
#define PPM_IPC_INFO (1 << 3)
#define PPM_SEM_INFO (1 << 4)
#define PPM_SEM_STAT (1 << 5)
#define PPM_GETALL (1 << 6)
#define PPM_GETNCNT (1 << 7)
#define PPM_GETPID (1 << 8)
#define PPM_GETVAL (1 << 9)
#define PPM_GETZCNT (1 << 10)
#define PPM_SETALL (1 << 11)
#define PPM_SETVAL (1 << 12)

/*
 * Access flags
 */
#define PPM_F_OK (0)
#define PPM_X_OK (1 << 0)
#define PPM_W_OK (1 << 1)
#define PPM_R_OK (1 << 2)

/*
 * Page fault flags
 */
#define PPM_PF_PROTECTION_VIOLATION (1 << 0)
#define PPM_PF_PAGE_NOT_PRESENT (1 << 1)
#define PPM_PF_WRITE_ACCESS (1 << 2)
#define PPM_PF_READ_ACCESS (1 << 3)
#define PPM_PF_USER_FAULT (1 << 4)
#define PPM_PF_SUPERVISOR_FAULT (1 << 5)
#define PPM_PF_RESERVED_PAGE (1 << 6)
#define PPM_PF_INSTRUCTION_FETCH (1 << 7)

/*
 * Rename flags
 */
#define PPM_RENAME_NOREPLACE (1 << 0) /* Don't overwrite target */
#define PPM_RENAME_EXCHANGE (1 << 1)  /* Exchange source and dest */
#define PPM_RENAME_WHITEOUT (1 << 2)  /* Whiteout source */

/*
 * Openat2 resolve flags
 */
#define PPM_RESOLVE_BENEATH (1 << 0)
#define PPM_RESOLVE_IN_ROOT (1 << 1)
#define PPM_RESOLVE_NO_MAGICLINKS (1 << 2)
#define PPM_RESOLVE_NO_SYMLINKS (1 << 3)
#define PPM_RESOLVE_NO_XDEV (1 << 4)
#define PPM_RESOLVE_CACHED (1 << 5)

/*
 * Execve family additional flags.
 */
#define PPM_EXE_WRITABLE (1 << 0)
#define PPM_EXE_UPPER_LAYER (1 << 1)
#define PPM_EXE_FROM_MEMFD (1 << 2)
#define PPM_EXE_LOWER_LAYER (1 << 3)

/*
 * Execveat flags
 */
#define PPM_EXVAT_AT_EMPTY_PATH \
	(1 << 0) /* If pathname is an empty string, operate on the file referred to by dirfd */
#define PPM_EXVAT_AT_SYMLINK_NOFOLLOW \
	(1 << 1) /* If the file is a symbolic link, then the call fails */

/*
 * Io_uring_setup flags
 */
#define PPM_IORING_SETUP_IOPOLL (1 << 0)
#define PPM_IORING_SETUP_SQPOLL (1 << 1)
#define PPM_IORING_SQ_NEED_WAKEUP (1 << 2)
#define PPM_IORING_SETUP_SQ_AFF (1 << 3)
#define PPM_IORING_SETUP_CQSIZE (1 << 4)
#define PPM_IORING_SETUP_CLAMP (1 << 5)
#define PPM_IORING_SETUP_ATTACH_WQ (1 << 6)
#define PPM_IORING_SETUP_R_DISABLED (1 << 7)

/*
 * Io_uring_setup feats
 */
#define PPM_IORING_FEAT_SINGLE_MMAP (1 << 0)
#define PPM_IORING_FEAT_NODROP (1 << 1)
#define PPM_IORING_FEAT_SUBMIT_STABLE (1 << 2)
#define PPM_IORING_FEAT_RW_CUR_POS (1 << 3)
#define PPM_IORING_FEAT_CUR_PERSONALITY (1 << 4)
#define PPM_IORING_FEAT_FAST_POLL (1 << 5)
#define PPM_IORING_FEAT_POLL_32BITS (1 << 6)
#define PPM_IORING_FEAT_SQPOLL_NONFIXED (1 << 7)
#define PPM_IORING_FEAT_ENTER_EXT_ARG (1 << 8)
#define PPM_IORING_FEAT_NATIVE_WORKERS (1 << 9)
#define PPM_IORING_FEAT_RSRC_TAGS (1 << 10)

/*
 * Io_uring_enter flags
 */
#define PPM_IORING_ENTER_GETEVENTS (1 << 0)
#define PPM_IORING_ENTER_SQ_WAKEUP (1 << 1)
#define PPM_IORING_ENTER_SQ_WAIT (1 << 2)
#define PPM_IORING_ENTER_EXT_ARG (1 << 3)

/*
 *  Io_uring_register opcodes
 */
#define PPM_IORING_REGISTER_BUFFERS 0
#define PPM_IORING_UNREGISTER_BUFFERS 1
#define PPM_IORING_REGISTER_FILES 2
#define PPM_IORING_UNREGISTER_FILES 3
#define PPM_IORING_REGISTER_EVENTFD 4
#define PPM_IORING_UNREGISTER_EVENTFD 5
#define PPM_IORING_REGISTER_FILES_UPDATE 6
#define PPM_IORING_REGISTER_EVENTFD_ASYNC 7
#define PPM_IORING_REGISTER_PROBE 8
#define PPM_IORING_REGISTER_PERSONALITY 9
#define PPM_IORING_UNREGISTER_PERSONALITY 10
#define PPM_IORING_REGISTER_RESTRICTIONS 11
#define PPM_IORING_REGISTER_ENABLE_RINGS 12
#define PPM_IORING_REGISTER_FILES2 13
#define PPM_IORING_REGISTER_FILES_UPDATE2 14
#define PPM_IORING_REGISTER_BUFFERS2 15
#define PPM_IORING_REGISTER_BUFFERS_UPDATE 16
#define PPM_IORING_REGISTER_IOWQ_AFF 17
#define PPM_IORING_UNREGISTER_IOWQ_AFF 18
#define PPM_IORING_REGISTER_IOWQ_MAX_WORKERS 19
#define PPM_IORING_REGISTER_RING_FDS 20
#define PPM_IORING_UNREGISTER_RING_FDS 21

/*
 * MlocKall flags
 */
#define PPM_MLOCKALL_MCL_CURRENT (1 << 0)
#define PPM_MLOCKALL_MCL_FUTURE (1 << 1)
#define PPM_MLOCKALL_MCL_ONFAULT (1 << 2)

/*
 * Mlock2 flags
 */
#define PPM_MLOCK_ONFAULT (1 << 0)

/*
 * Memfd_create flags
 */
#define PPM_MFD_CLOEXEC (1 << 0)
#define PPM_MFD_ALLOW_SEALING (1 << 1)
#define PPM_MFD_HUGETLB (1 << 2)

/*
 * Fsconfig flags
 */
#define PPM_FSCONFIG_SET_FLAG 0
#define PPM_FSCONFIG_SET_STRING 1
#define PPM_FSCONFIG_SET_BINARY 2
#define PPM_FSCONFIG_SET_PATH 3
#define PPM_FSCONFIG_SET_PATH_EMPTY 4
#define PPM_FSCONFIG_SET_FD 5
#define PPM_FSCONFIG_CMD_CREATE 6
#define PPM_FSCONFIG_CMD_RECONFIGURE 7

/*
 * Epoll_create1 flags
 */
#define PPM_EPOLL_CLOEXEC (1 << 0)

/*
 * Prctl flags
 */
// taken from https://github.com/torvalds/linux/blob/master/include/uapi/linux/prctl.h
/* Values to pass as first argument to prctl() */
#define PPM_PR_SET_PDEATHSIG 1 /* Second arg is a signal */
#define PPM_PR_GET_PDEATHSIG 2 /* Second arg is a ptr to return the signal */
/* Get/set current->mm->dumpable */
#define PPM_PR_GET_DUMPABLE 3
#define PPM_PR_SET_DUMPABLE 4

/* Get/set unaligned access control bits (if meaningful) */
#define PPM_PR_GET_UNALIGN 5
#define PPM_PR_SET_UNALIGN 6

/* Get/set whether or not to drop capabilities on setuid() away from
 * uid 0 (as per security/commoncap.c) */
#define PPM_PR_GET_KEEPCAPS 7
#define PPM_PR_SET_KEEPCAPS 8

/* Get/set floating-point emulation control bits (if meaningful) */
#define PPM_PR_GET_FPEMU 9
#define PPM_PR_SET_FPEMU 10

/* Get/set floating-point exception mode (if meaningful) */
#define PPM_PR_GET_FPEXC 11
#define PPM_PR_SET_FPEXC 12

/* Get/set whether we use statistical process timing or accurate timestamp
 * based process timing */
#define PPM_PR_GET_TIMING 13
#define PPM_PR_SET_TIMING 14

#define PPM_PR_SET_NAME 15 /* Set process name */
#define PPM_PR_GET_NAME 16 /* Get process name */

/* Get/set process endian */
#define PPM_PR_GET_ENDIAN 19
#define PPM_PR_SET_ENDIAN 20

/* Get/set process seccomp mode */
#define PPM_PR_GET_SECCOMP 21
#define PPM_PR_SET_SECCOMP 22

/* Get/set the capability bounding set (as per security/commoncap.c) */
#define PPM_PR_CAPBSET_READ 23
#define PPM_PR_CAPBSET_DROP 24

/* Get/set the process' ability to use the timestamp counter instruction */
#define PPM_PR_GET_TSC 25
#define PPM_PR_SET_TSC 26

/* Get/set securebits (as per security/commoncap.c) */
#define PPM_PR_GET_SECUREBITS 27
#define PPM_PR_SET_SECUREBITS 28

/*
 * pidfd_open flags
 */
#define PPM_PIDFD_NONBLOCK (1 << 0)

/*
 * finit_module flags
 */
#define PPM_MODULE_INIT_IGNORE_MODVERSIONS 1
#define PPM_MODULE_INIT_IGNORE_VERMAGIC 2
#define PPM_MODULE_INIT_COMPRESSED_FILE 4

/*
 * delete_module flags
 */
#define PPM_DELETE_MODULE_O_TRUNC (1 << 0)
#define PPM_DELETE_MODULE_O_NONBLOCK (1 << 1)

/*
 * bpf_commands
 */
#define PPM_BPF_MAP_CREATE 0
#define PPM_BPF_MAP_LOOKUP_ELEM 1
#define PPM_BPF_MAP_UPDATE_ELEM 2
#define PPM_BPF_MAP_DELETE_ELEM 3
#define PPM_BPF_MAP_GET_NEXT_KEY 4
#define PPM_BPF_PROG_LOAD 5
#define PPM_BPF_OBJ_PIN 6
#define PPM_BPF_OBJ_GET 7
#define PPM_BPF_PROG_ATTACH 8
#define PPM_BPF_PROG_DETACH 9
#define PPM_BPF_PROG_TEST_RUN 10
#define PPM_BPF_PROG_RUN PPM_BPF_PROG_TEST_RUN
#define PPM_BPF_PROG_GET_NEXT_ID 11
#define PPM_BPF_MAP_GET_NEXT_ID 12
#define PPM_BPF_PROG_GET_FD_BY_ID 13
#define PPM_BPF_MAP_GET_FD_BY_ID 14
#define PPM_BPF_OBJ_GET_INFO_BY_FD 15
#define PPM_BPF_PROG_QUERY 16
#define PPM_BPF_RAW_TRACEPOINT_OPEN 17
#define PPM_BPF_BTF_LOAD 18
#define PPM_BPF_BTF_GET_FD_BY_ID 19
#define PPM_BPF_TASK_FD_QUERY 20
#define PPM_BPF_MAP_LOOKUP_AND_DELETE_ELEM 21
#define PPM_BPF_MAP_FREEZE 22
#define PPM_BPF_BTF_GET_NEXT_ID 23
#define PPM_BPF_MAP_LOOKUP_BATCH 24
#define PPM_BPF_MAP_LOOKUP_AND_DELETE_BATCH 25
#define PPM_BPF_MAP_UPDATE_BATCH 26
#define PPM_BPF_MAP_DELETE_BATCH 27
#define PPM_BPF_LINK_CREATE 28
#define PPM_BPF_LINK_UPDATE 29
#define PPM_BPF_LINK_GET_FD_BY_ID 30
#define PPM_BPF_LINK_GET_NEXT_ID 31
#define PPM_BPF_ENABLE_STATS 32
#define PPM_BPF_ITER_CREATE 33
#define PPM_BPF_LINK_DETACH 34
#define PPM_BPF_PROG_BIND_MAP 35

/*
 * Get/set the timerslack as used by poll/select/nanosleep
 * A value of 0 means "use default"
 */
#define PPM_PR_SET_TIMERSLACK 29
#define PPM_PR_GET_TIMERSLACK 30

#define PPM_PR_TASK_PERF_EVENTS_DISABLE 31
#define PPM_PR_TASK_PERF_EVENTS_ENABLE 32

/*
 * Set early/late kill mode for hwpoison memory corruption.
 * This influences when the process gets killed on a memory corruption.
 */
#define PPM_PR_MCE_KILL 33

#define PPM_PR_MCE_KILL_GET 34

/*
 * Tune up process memory map specifics.
 */
#define PPM_PR_SET_MM 35

/*
 * Set specific pid that is allowed to ptrace the current task.
 * A value of 0 mean "no process".
 */
#define PPM_PR_SET_PTRACER 0x59616d61

#define PPM_PR_SET_CHILD_SUBREAPER 36
#define PPM_PR_GET_CHILD_SUBREAPER 37

/*
 * If no_new_privs is set, then operations that grant new privileges (i.e.
 * execve) will either fail or not grant them.  This affects suid/sgid,
 * file capabilities, and LSMs.
 *
 * Operations that merely manipulate or drop existing privileges (setresuid,
 * capset, etc.) will still work.  Drop those privileges if you want them gone.
 *
 * Changing LSM security domain is considered a new privilege.  So, for example,
 * asking selinux for a specific new context (e.g. with runcon) will result
 * in execve returning -EPERM.
 *
 * See Documentation/userspace-api/no_new_privs.rst for more details.
 */
#define PPM_PR_SET_NO_NEW_PRIVS 38
#define PPM_PR_GET_NO_NEW_PRIVS 39

#define PPM_PR_GET_TID_ADDRESS 40

#define PPM_PR_SET_THP_DISABLE 41
#define PPM_PR_GET_THP_DISABLE 42

/*
 * No longer implemented, but left here to ensure the numbers stay reserved:
 */
#define PPM_PR_MPX_ENABLE_MANAGEMENT 43
#define PPM_PR_MPX_DISABLE_MANAGEMENT 44

#define PPM_PR_SET_FP_MODE 45
#define PPM_PR_GET_FP_MODE 46

/* Control the ambient capability set */
#define PPM_PR_CAP_AMBIENT 47

/* arm64 Scalable Vector Extension controls */
/* Flag values must be kept in sync with ptrace NT_ARM_SVE interface */
#define PPM_PR_SVE_SET_VL 50 /* set task vector length */
#define PPM_PR_SVE_GET_VL 51 /* get task vector length */

/* Per task speculation control */
#define PPM_PR_GET_SPECULATION_CTRL 52
#define PPM_PR_SET_SPECULATION_CTRL 53

/* Reset arm64 pointer authentication keys */
#define PPM_PR_PAC_RESET_KEYS 54

/* Tagged user address controls for arm64 */
#define PPM_PR_SET_TAGGED_ADDR_CTRL 55
#define PPM_PR_GET_TAGGED_ADDR_CTRL 56

/* Control reclaim behavior when allocating memory */
#define PPM_PR_SET_IO_FLUSHER 57
#define PPM_PR_GET_IO_FLUSHER 58

/* Dispatch syscalls to a userspace handler */
#define PPM_PR_SET_SYSCALL_USER_DISPATCH 59

/* Set/get enabled arm64 pointer authentication keys */
#define PPM_PR_PAC_SET_ENABLED_KEYS 60
#define PPM_PR_PAC_GET_ENABLED_KEYS 61

/* Request the scheduler to share a core */
#define PPM_PR_SCHED_CORE 62

/* arm64 Scalable Matrix Extension controls */
/* Flag values must be in sync with SVE versions */
#define PPM_PR_SME_SET_VL 63 /* set task vector length */
#define PPM_PR_SME_GET_VL 64 /* get task vector length */
/* Bits common to PR_SME_SET_VL and PR_SME_GET_VL */

#define PPM_PR_SET_VMA 0x53564d41

/*
 * SuS says limits have to be unsigned.
 * Which makes a ton more sense anyway.
 *
 * Some architectures override this (for compatibility reasons):
 */
#ifndef RLIM_INFINITY
#define RLIM_INFINITY (~0UL)
#endif

/*
 * Capabilities
 */
#define PPM_CAP_CHOWN 1UL << 0
#define PPM_CAP_DAC_OVERRIDE 1UL << 1
#define PPM_CAP_DAC_READ_SEARCH 1UL << 2
#define PPM_CAP_FOWNER 1UL << 3
#define PPM_CAP_FSETID 1UL << 4
#define PPM_CAP_KILL 1UL << 5
#define PPM_CAP_SETGID 1UL << 6
#define PPM_CAP_SETUID 1UL << 7
#define PPM_CAP_SETPCAP 1UL << 8
#define PPM_CAP_LINUX_IMMUTABLE 1UL << 9
#define PPM_CAP_NET_BIND_SERVICE 1UL << 10
#define PPM_CAP_NET_BROADCAST 1UL << 11
#define PPM_CAP_NET_ADMIN 1UL << 12
#define PPM_CAP_NET_RAW 1UL << 13
#define PPM_CAP_IPC_LOCK 1UL << 14
#define PPM_CAP_IPC_OWNER 1UL << 15
#define PPM_CAP_SYS_MODULE 1UL << 16
#define PPM_CAP_SYS_RAWIO 1UL << 17
#define PPM_CAP_SYS_CHROOT 1UL << 18
#define PPM_CAP_SYS_PTRACE 1UL << 19
#define PPM_CAP_SYS_PACCT 1UL << 20
#define PPM_CAP_SYS_ADMIN 1UL << 21
#define PPM_CAP_SYS_BOOT 1UL << 22
#define PPM_CAP_SYS_NICE 1UL << 23
#define PPM_CAP_SYS_RESOURCE 1UL << 24
#define PPM_CAP_SYS_TIME 1UL << 25
#define PPM_CAP_SYS_TTY_CONFIG 1UL << 26
#define PPM_CAP_MKNOD 1UL << 27
#define PPM_CAP_LEASE 1UL << 28
#define PPM_CAP_AUDIT_WRITE 1UL << 29
#define PPM_CAP_AUDIT_CONTROL 1UL << 30
#define PPM_CAP_SETFCAP 1UL << 31
#define PPM_CAP_MAC_OVERRIDE 1UL << 32
#define PPM_CAP_MAC_ADMIN 1UL << 33
#define PPM_CAP_SYSLOG 1UL << 34
#define PPM_CAP_WAKE_ALARM 1UL << 35
#define PPM_CAP_BLOCK_SUSPEND 1UL << 36
#define PPM_CAP_AUDIT_READ 1UL << 37
#define PPM_CAP_PERFMON 1UL << 38
#define PPM_CAP_BPF 1UL << 39
#define PPM_CAP_CHECKPOINT_RESTORE 1UL << 40

/*
 * RLIMIT_STACK default maximum - some architectures override it:
 */
#ifndef _STK_LIM_MAX
#define _STK_LIM_MAX RLIM_INFINITY
#endif

/*
 * The list of event types
 * Enter events have even numbers while exit events have odd numbers.
 * NOTE: there can't be gaps in the numbering, because these numbers correspond
 * to the entries in the g_event_info table
 */
#define PPME_DIRECTION_FLAG 1
#define PPME_IS_ENTER(x) ((x & PPME_DIRECTION_FLAG) == 0)
#define PPME_IS_EXIT(x) (x & PPME_DIRECTION_FLAG)
#define PPME_MAKE_EXIT(x) (x | 1)

/*
 * Event category to classify events in generic categories
 */
enum ppm_capture_category {
	PPMC_NONE = 0,
	PPMC_SYSCALL = 1,
	PPMC_CONTEXT_SWITCH = 2,
	PPMC_SIGNAL = 3,
	PPMC_PAGE_FAULT = 4,
	PPMC_SCHED_PROC_EXEC = 5,
	PPMC_SCHED_PROC_FORK = 6,
};

enum ppm_overlay {
	PPM_NOT_OVERLAY_FS = 0,
	PPM_OVERLAY_UPPER = 1,
	PPM_OVERLAY_LOWER = 2,
};

/** @defgroup etypes Event Types
 *  @{
 */
typedef enum {
	PPME_GENERIC_E = 0,
	PPME_GENERIC_X = 1,
	PPME_SYSCALL_OPEN_E = 2,
	PPME_SYSCALL_OPEN_X = 3,
	PPME_SYSCALL_CLOSE_E = 4,
	PPME_SYSCALL_CLOSE_X = 5,
	PPME_SYSCALL_READ_E = 6,
	PPME_SYSCALL_READ_X = 7,
	PPME_SYSCALL_WRITE_E = 8,
	PPME_SYSCALL_WRITE_X = 9,
	PPME_SYSCALL_BRK_1_E = 10,
	PPME_SYSCALL_BRK_1_X = 11,
	PPME_SYSCALL_EXECVE_8_E = 12,
	PPME_SYSCALL_EXECVE_8_X = 13,
	PPME_SYSCALL_CLONE_11_E = 14,
	PPME_SYSCALL_CLONE_11_X = 15,
	PPME_PROCEXIT_E = 16,
	PPME_PROCEXIT_X = 17, /* This should never be called */
	PPME_SOCKET_SOCKET_E = 18,
	PPME_SOCKET_SOCKET_X = 19,
	PPME_SOCKET_BIND_E = 20,
	PPME_SOCKET_BIND_X = 21,
	PPME_SOCKET_CONNECT_E = 22,
	PPME_SOCKET_CONNECT_X = 23,
	PPME_SOCKET_LISTEN_E = 24,
	PPME_SOCKET_LISTEN_X = 25,
	PPME_SOCKET_ACCEPT_E = 26,
	PPME_SOCKET_ACCEPT_X = 27,
	PPME_SOCKET_SEND_E = 28,
	PPME_SOCKET_SEND_X = 29,
	PPME_SOCKET_SENDTO_E = 30,
	PPME_SOCKET_SENDTO_X = 31,
	PPME_SOCKET_RECV_E = 32,
	PPME_SOCKET_RECV_X = 33,
	PPME_SOCKET_RECVFROM_E = 34,
	PPME_SOCKET_RECVFROM_X = 35,
	PPME_SOCKET_SHUTDOWN_E = 36,
	PPME_SOCKET_SHUTDOWN_X = 37,
	PPME_SOCKET_GETSOCKNAME_E = 38,
	PPME_SOCKET_GETSOCKNAME_X = 39,
	PPME_SOCKET_GETPEERNAME_E = 40,
	PPME_SOCKET_GETPEERNAME_X = 41,
	PPME_SOCKET_SOCKETPAIR_E = 42,
	PPME_SOCKET_SOCKETPAIR_X = 43,
	PPME_SOCKET_SETSOCKOPT_E = 44,
	PPME_SOCKET_SETSOCKOPT_X = 45,
	PPME_SOCKET_GETSOCKOPT_E = 46,
	PPME_SOCKET_GETSOCKOPT_X = 47,
	PPME_SOCKET_SENDMSG_E = 48,
	PPME_SOCKET_SENDMSG_X = 49,
	PPME_SOCKET_SENDMMSG_E = 50,
	PPME_SOCKET_SENDMMSG_X = 51,
	PPME_SOCKET_RECVMSG_E = 52,
	PPME_SOCKET_RECVMSG_X = 53,
	PPME_SOCKET_RECVMMSG_E = 54,
	PPME_SOCKET_RECVMMSG_X = 55,
	PPME_SOCKET_ACCEPT4_E = 56,
	PPME_SOCKET_ACCEPT4_X = 57,
	PPME_SYSCALL_CREAT_E = 58,
	PPME_SYSCALL_CREAT_X = 59,
	PPME_SYSCALL_PIPE_E = 60,
	PPME_SYSCALL_PIPE_X = 61,
	PPME_SYSCALL_EVENTFD_E = 62,
	PPME_SYSCALL_EVENTFD_X = 63,
	PPME_SYSCALL_FUTEX_E = 64,
	PPME_SYSCALL_FUTEX_X = 65,
	PPME_SYSCALL_STAT_E = 66,
	PPME_SYSCALL_STAT_X = 67,
	PPME_SYSCALL_LSTAT_E = 68,
	PPME_SYSCALL_LSTAT_X = 69,
	PPME_SYSCALL_FSTAT_E = 70,
	PPME_SYSCALL_FSTAT_X = 71,
	PPME_SYSCALL_STAT64_E = 72,
	PPME_SYSCALL_STAT64_X = 73,
	PPME_SYSCALL_LSTAT64_E = 74,
	PPME_SYSCALL_LSTAT64_X = 75,
	PPME_SYSCALL_FSTAT64_E = 76,
	PPME_SYSCALL_FSTAT64_X = 77,
	PPME_SYSCALL_EPOLLWAIT_E = 78,
	PPME_SYSCALL_EPOLLWAIT_X = 79,
	PPME_SYSCALL_POLL_E = 80,
	PPME_SYSCALL_POLL_X = 81,
	PPME_SYSCALL_SELECT_E = 82,
	PPME_SYSCALL_SELECT_X = 83,
	PPME_SYSCALL_NEWSELECT_E = 84,
	PPME_SYSCALL_NEWSELECT_X = 85,
	PPME_SYSCALL_LSEEK_E = 86,
	PPME_SYSCALL_LSEEK_X = 87,
	PPME_SYSCALL_LLSEEK_E = 88,
	PPME_SYSCALL_LLSEEK_X = 89,
	PPME_SYSCALL_IOCTL_2_E = 90,
	PPME_SYSCALL_IOCTL_2_X = 91,
	PPME_SYSCALL_GETCWD_E = 92,
	PPME_SYSCALL_GETCWD_X = 93,
	PPME_SYSCALL_CHDIR_E = 94,
	PPME_SYSCALL_CHDIR_X = 95,
	PPME_SYSCALL_FCHDIR_E = 96,
	PPME_SYSCALL_FCHDIR_X = 97,
	/* mkdir/rmdir events are not emitted anymore */
	PPME_SYSCALL_MKDIR_E = 98,
	PPME_SYSCALL_MKDIR_X = 99,
	PPME_SYSCALL_RMDIR_E = 100,
	PPME_SYSCALL_RMDIR_X = 101,
	PPME_SYSCALL_OPENAT_E = 102,
	PPME_SYSCALL_OPENAT_X = 103,
	PPME_SYSCALL_LINK_E = 104,
	PPME_SYSCALL_LINK_X = 105,
	PPME_SYSCALL_LINKAT_E = 106,
	PPME_SYSCALL_LINKAT_X = 107,
	PPME_SYSCALL_UNLINK_E = 108,
	PPME_SYSCALL_UNLINK_X = 109,
	PPME_SYSCALL_UNLINKAT_E = 110,
	PPME_SYSCALL_UNLINKAT_X = 111,
	PPME_SYSCALL_PREAD_E = 112,
	PPME_SYSCALL_PREAD_X = 113,
	PPME_SYSCALL_PWRITE_E = 114,
	PPME_SYSCALL_PWRITE_X = 115,
	PPME_SYSCALL_READV_E = 116,
	PPME_SYSCALL_READV_X = 117,
	PPME_SYSCALL_WRITEV_E = 118,
	PPME_SYSCALL_WRITEV_X = 119,
	PPME_SYSCALL_PREADV_E = 120,
	PPME_SYSCALL_PREADV_X = 121,
	PPME_SYSCALL_PWRITEV_E = 122,
	PPME_SYSCALL_PWRITEV_X = 123,
	PPME_SYSCALL_DUP_E = 124,
	PPME_SYSCALL_DUP_X = 125,
	PPME_SYSCALL_SIGNALFD_E = 126,
	PPME_SYSCALL_SIGNALFD_X = 127,
	PPME_SYSCALL_KILL_E = 128,
	PPME_SYSCALL_KILL_X = 129,
	PPME_SYSCALL_TKILL_E = 130,
	PPME_SYSCALL_TKILL_X = 131,
	PPME_SYSCALL_TGKILL_E = 132,
	PPME_SYSCALL_TGKILL_X = 133,
	PPME_SYSCALL_NANOSLEEP_E = 134,
	PPME_SYSCALL_NANOSLEEP_X = 135,
	PPME_SYSCALL_TIMERFD_CREATE_E = 136,
	PPME_SYSCALL_TIMERFD_CREATE_X = 137,
	PPME_SYSCALL_INOTIFY_INIT_E = 138,
	PPME_SYSCALL_INOTIFY_INIT_X = 139,
	PPME_SYSCALL_GETRLIMIT_E = 140,
	PPME_SYSCALL_GETRLIMIT_X = 141,
	PPME_SYSCALL_SETRLIMIT_E = 142,
	PPME_SYSCALL_SETRLIMIT_X = 143,
	PPME_SYSCALL_PRLIMIT_E = 144,
	PPME_SYSCALL_PRLIMIT_X = 145,
	PPME_SCHEDSWITCH_1_E = 146,
	PPME_SCHEDSWITCH_1_X = 147, /* This should never be called */
	PPME_DROP_E = 148,          /* For internal use */
	PPME_DROP_X = 149,          /* For internal use */
	PPME_SYSCALL_FCNTL_E = 150, /* For internal use */
	PPME_SYSCALL_FCNTL_X = 151, /* For internal use */
	PPME_SCHEDSWITCH_6_E = 152,
	PPME_SCHEDSWITCH_6_X = 153, /* This should never be called */
	PPME_SYSCALL_EXECVE_13_E = 154,
	PPME_SYSCALL_EXECVE_13_X = 155,
	PPME_SYSCALL_CLONE_16_E = 156,
	PPME_SYSCALL_CLONE_16_X = 157,
	PPME_SYSCALL_BRK_4_E = 158,
	PPME_SYSCALL_BRK_4_X = 159,
	PPME_SYSCALL_MMAP_E = 160,
	PPME_SYSCALL_MMAP_X = 161,
	PPME_SYSCALL_MMAP2_E = 162,
	PPME_SYSCALL_MMAP2_X = 163,
	PPME_SYSCALL_MUNMAP_E = 164,
	PPME_SYSCALL_MUNMAP_X = 165,
	PPME_SYSCALL_SPLICE_E = 166,
	PPME_SYSCALL_SPLICE_X = 167,
	PPME_SYSCALL_PTRACE_E = 168,
	PPME_SYSCALL_PTRACE_X = 169,
	PPME_SYSCALL_IOCTL_3_E = 170,
	PPME_SYSCALL_IOCTL_3_X = 171,
	PPME_SYSCALL_EXECVE_14_E = 172,
	PPME_SYSCALL_EXECVE_14_X = 173,
	PPME_SYSCALL_RENAME_E = 174,
	PPME_SYSCALL_RENAME_X = 175,
	PPME_SYSCALL_RENAMEAT_E = 176,
	PPME_SYSCALL_RENAMEAT_X = 177,
	PPME_SYSCALL_SYMLINK_E = 178,
	PPME_SYSCALL_SYMLINK_X = 179,
	PPME_SYSCALL_SYMLINKAT_E = 180,
	PPME_SYSCALL_SYMLINKAT_X = 181,
	PPME_SYSCALL_FORK_E = 182,
	PPME_SYSCALL_FORK_X = 183,
	PPME_SYSCALL_VFORK_E = 184,
	PPME_SYSCALL_VFORK_X = 185,
	PPME_PROCEXIT_1_E = 186,
	PPME_PROCEXIT_1_X = 187, /* This should never be called */
	PPME_SYSCALL_SENDFILE_E = 188,
	PPME_SYSCALL_SENDFILE_X = 189, /* This should never be called */
	PPME_SYSCALL_QUOTACTL_E = 190,
	PPME_SYSCALL_QUOTACTL_X = 191,
	PPME_SYSCALL_SETRESUID_E = 192,
	PPME_SYSCALL_SETRESUID_X = 193,
	PPME_SYSCALL_SETRESGID_E = 194,
	PPME_SYSCALL_SETRESGID_X = 195,
	PPME_SCAPEVENT_E = 196,
	PPME_SCAPEVENT_X = 197, /* This should never be called */
	PPME_SYSCALL_SETUID_E = 198,
	PPME_SYSCALL_SETUID_X = 199,
	PPME_SYSCALL_SETGID_E = 200,
	PPME_SYSCALL_SETGID_X = 201,
	PPME_SYSCALL_GETUID_E = 202,
	PPME_SYSCALL_GETUID_X = 203,
	PPME_SYSCALL_GETEUID_E = 204,
	PPME_SYSCALL_GETEUID_X = 205,
	PPME_SYSCALL_GETGID_E = 206,
	PPME_SYSCALL_GETGID_X = 207,
	PPME_SYSCALL_GETEGID_E = 208,
	PPME_SYSCALL_GETEGID_X = 209,
	PPME_SYSCALL_GETRESUID_E = 210,
	PPME_SYSCALL_GETRESUID_X = 211,
	PPME_SYSCALL_GETRESGID_E = 212,
	PPME_SYSCALL_GETRESGID_X = 213,
	PPME_SYSCALL_EXECVE_15_E = 214,
	PPME_SYSCALL_EXECVE_15_X = 215,
	PPME_SYSCALL_CLONE_17_E = 216,
	PPME_SYSCALL_CLONE_17_X = 217,
	PPME_SYSCALL_FORK_17_E = 218,
	PPME_SYSCALL_FORK_17_X = 219,
	PPME_SYSCALL_VFORK_17_E = 220,
	PPME_SYSCALL_VFORK_17_X = 221,
	PPME_SYSCALL_CLONE_20_E = 222,
	PPME_SYSCALL_CLONE_20_X = 223,
	PPME_SYSCALL_FORK_20_E = 224,
	PPME_SYSCALL_FORK_20_X = 225,
	PPME_SYSCALL_VFORK_20_E = 226,
	PPME_SYSCALL_VFORK_20_X = 227,
	PPME_CONTAINER_E = 228,
	PPME_CONTAINER_X = 229,
	PPME_SYSCALL_EXECVE_16_E = 230,
	PPME_SYSCALL_EXECVE_16_X = 231,
	PPME_SIGNALDELIVER_E = 232,
	PPME_SIGNALDELIVER_X = 233, /* This should never be called */
	PPME_PROCINFO_E = 234,
	PPME_PROCINFO_X = 235, /* This should never be called */
	PPME_SYSCALL_GETDENTS_E = 236,
	PPME_SYSCALL_GETDENTS_X = 237,
	PPME_SYSCALL_GETDENTS64_E = 238,
	PPME_SYSCALL_GETDENTS64_X = 239,
	PPME_SYSCALL_SETNS_E = 240,
	PPME_SYSCALL_SETNS_X = 241,
	PPME_SYSCALL_FLOCK_E = 242,
	PPME_SYSCALL_FLOCK_X = 243,
	PPME_CPU_HOTPLUG_E = 244,
	PPME_CPU_HOTPLUG_X = 245, /* This should never be called */
	PPME_SOCKET_ACCEPT_5_E = 246,
	PPME_SOCKET_ACCEPT_5_X = 247,
	PPME_SOCKET_ACCEPT4_5_E = 248,
	PPME_SOCKET_ACCEPT4_5_X = 249,
	PPME_SYSCALL_SEMOP_E = 250,
	PPME_SYSCALL_SEMOP_X = 251,
	PPME_SYSCALL_SEMCTL_E = 252,
	PPME_SYSCALL_SEMCTL_X = 253,
	PPME_SYSCALL_PPOLL_E = 254,
	PPME_SYSCALL_PPOLL_X = 255,
	PPME_SYSCALL_MOUNT_E = 256,
	PPME_SYSCALL_MOUNT_X = 257,
	PPME_SYSCALL_UMOUNT_E = 258,
	PPME_SYSCALL_UMOUNT_X = 259,
	PPME_K8S_E = 260,
	PPME_K8S_X = 261,
	PPME_SYSCALL_SEMGET_E = 262,
	PPME_SYSCALL_SEMGET_X = 263,
	PPME_SYSCALL_ACCESS_E = 264,
	PPME_SYSCALL_ACCESS_X = 265,
	PPME_SYSCALL_CHROOT_E = 266,
	PPME_SYSCALL_CHROOT_X = 267,
	PPME_TRACER_E = 268,
	PPME_TRACER_X = 269,
	PPME_MESOS_E = 270,
	PPME_MESOS_X = 271,
	PPME_CONTAINER_JSON_E = 272,
	PPME_CONTAINER_JSON_X = 273,
	PPME_SYSCALL_SETSID_E = 274,
	PPME_SYSCALL_SETSID_X = 275,
	PPME_SYSCALL_MKDIR_2_E = 276,
	PPME_SYSCALL_MKDIR_2_X = 277,
	PPME_SYSCALL_RMDIR_2_E = 278,
	PPME_SYSCALL_RMDIR_2_X = 279,
	PPME_NOTIFICATION_E = 280,
	PPME_NOTIFICATION_X = 281,
	PPME_SYSCALL_EXECVE_17_E = 282,
	PPME_SYSCALL_EXECVE_17_X = 283,
	PPME_SYSCALL_UNSHARE_E = 284,
	PPME_SYSCALL_UNSHARE_X = 285,
	PPME_INFRASTRUCTURE_EVENT_E = 286,
	PPME_INFRASTRUCTURE_EVENT_X = 287,
	PPME_SYSCALL_EXECVE_18_E = 288,
	PPME_SYSCALL_EXECVE_18_X = 289,
	PPME_PAGE_FAULT_E = 290,
	PPME_PAGE_FAULT_X = 291,
	PPME_SYSCALL_EXECVE_19_E = 292,
	PPME_SYSCALL_EXECVE_19_X = 293,
	PPME_SYSCALL_SETPGID_E = 294,
	PPME_SYSCALL_SETPGID_X = 295,
	PPME_SYSCALL_BPF_E = 296,
	PPME_SYSCALL_BPF_X = 297,
	PPME_SYSCALL_SECCOMP_E = 298,
	PPME_SYSCALL_SECCOMP_X = 299,
	PPME_SYSCALL_UNLINK_2_E = 300,
	PPME_SYSCALL_UNLINK_2_X = 301,
	PPME_SYSCALL_UNLINKAT_2_E = 302,
	PPME_SYSCALL_UNLINKAT_2_X = 303,
	PPME_SYSCALL_MKDIRAT_E = 304,
	PPME_SYSCALL_MKDIRAT_X = 305,
	PPME_SYSCALL_OPENAT_2_E = 306,
	PPME_SYSCALL_OPENAT_2_X = 307,
	PPME_SYSCALL_LINK_2_E = 308,
	PPME_SYSCALL_LINK_2_X = 309,
	PPME_SYSCALL_LINKAT_2_E = 310,
	PPME_SYSCALL_LINKAT_2_X = 311,
	PPME_SYSCALL_FCHMODAT_E = 312,
	PPME_SYSCALL_FCHMODAT_X = 313,
	PPME_SYSCALL_CHMOD_E = 314,
	PPME_SYSCALL_CHMOD_X = 315,
	PPME_SYSCALL_FCHMOD_E = 316,
	PPME_SYSCALL_FCHMOD_X = 317,
	PPME_SYSCALL_RENAMEAT2_E = 318,
	PPME_SYSCALL_RENAMEAT2_X = 319,
	PPME_SYSCALL_USERFAULTFD_E = 320,
	PPME_SYSCALL_USERFAULTFD_X = 321,
	PPME_PLUGINEVENT_E = 322,
	PPME_PLUGINEVENT_X = 323,
	PPME_CONTAINER_JSON_2_E = 324,
	PPME_CONTAINER_JSON_2_X = 325,
	PPME_SYSCALL_OPENAT2_E = 326,
	PPME_SYSCALL_OPENAT2_X = 327,
	PPME_SYSCALL_MPROTECT_E = 328,
	PPME_SYSCALL_MPROTECT_X = 329,
	PPME_SYSCALL_EXECVEAT_E = 330,
	PPME_SYSCALL_EXECVEAT_X = 331,
	PPME_SYSCALL_COPY_FILE_RANGE_E = 332,
	PPME_SYSCALL_COPY_FILE_RANGE_X = 333,
	PPME_SYSCALL_CLONE3_E = 334,
	PPME_SYSCALL_CLONE3_X = 335,
	PPME_SYSCALL_OPEN_BY_HANDLE_AT_E = 336,
	PPME_SYSCALL_OPEN_BY_HANDLE_AT_X = 337,
	PPME_SYSCALL_IO_URING_SETUP_E = 338,
	PPME_SYSCALL_IO_URING_SETUP_X = 339,
	PPME_SYSCALL_IO_URING_ENTER_E = 340,
	PPME_SYSCALL_IO_URING_ENTER_X = 341,
	PPME_SYSCALL_IO_URING_REGISTER_E = 342,
	PPME_SYSCALL_IO_URING_REGISTER_X = 343,
	PPME_SYSCALL_MLOCK_E = 344,
	PPME_SYSCALL_MLOCK_X = 345,
	PPME_SYSCALL_MUNLOCK_E = 346,
	PPME_SYSCALL_MUNLOCK_X = 347,
	PPME_SYSCALL_MLOCKALL_E = 348,
	PPME_SYSCALL_MLOCKALL_X = 349,
	PPME_SYSCALL_MUNLOCKALL_E = 350,
	PPME_SYSCALL_MUNLOCKALL_X = 351,
	PPME_SYSCALL_CAPSET_E = 352,
	PPME_SYSCALL_CAPSET_X = 353,
	PPME_USER_ADDED_E = 354,
	PPME_USER_ADDED_X = 355,
	PPME_USER_DELETED_E = 356,
	PPME_USER_DELETED_X = 357,
	PPME_GROUP_ADDED_E = 358,
	PPME_GROUP_ADDED_X = 359,
	PPME_GROUP_DELETED_E = 360,
	PPME_GROUP_DELETED_X = 361,
	PPME_SYSCALL_DUP2_E = 362,
	PPME_SYSCALL_DUP2_X = 363,
	PPME_SYSCALL_DUP3_E = 364,
	PPME_SYSCALL_DUP3_X = 365,
	PPME_SYSCALL_DUP_1_E = 366,
	PPME_SYSCALL_DUP_1_X = 367,
	PPME_SYSCALL_BPF_2_E = 368,
	PPME_SYSCALL_BPF_2_X = 369,
	PPME_SYSCALL_MLOCK2_E = 370,
	PPME_SYSCALL_MLOCK2_X = 371,
	PPME_SYSCALL_FSCONFIG_E = 372,
	PPME_SYSCALL_FSCONFIG_X = 373,
	PPME_SYSCALL_EPOLL_CREATE_E = 374,
	PPME_SYSCALL_EPOLL_CREATE_X = 375,
	PPME_SYSCALL_EPOLL_CREATE1_E = 376,
	PPME_SYSCALL_EPOLL_CREATE1_X = 377,
	PPME_SYSCALL_CHOWN_E = 378,
	PPME_SYSCALL_CHOWN_X = 379,
	PPME_SYSCALL_LCHOWN_E = 380,
	PPME_SYSCALL_LCHOWN_X = 381,
	PPME_SYSCALL_FCHOWN_E = 382,
	PPME_SYSCALL_FCHOWN_X = 383,
	PPME_SYSCALL_FCHOWNAT_E = 384,
	PPME_SYSCALL_FCHOWNAT_X = 385,
	PPME_SYSCALL_UMOUNT_1_E = 386,
	PPME_SYSCALL_UMOUNT_1_X = 387,
	PPME_SOCKET_ACCEPT4_6_E = 388,
	PPME_SOCKET_ACCEPT4_6_X = 389,
	PPME_SYSCALL_UMOUNT2_E = 390,
	PPME_SYSCALL_UMOUNT2_X = 391,
	PPME_SYSCALL_PIPE2_E = 392,
	PPME_SYSCALL_PIPE2_X = 393,
	PPME_SYSCALL_INOTIFY_INIT1_E = 394,
	PPME_SYSCALL_INOTIFY_INIT1_X = 395,
	PPME_SYSCALL_EVENTFD2_E = 396,
	PPME_SYSCALL_EVENTFD2_X = 397,
	PPME_SYSCALL_SIGNALFD4_E = 398,
	PPME_SYSCALL_SIGNALFD4_X = 399,
	PPME_SYSCALL_PRCTL_E = 400,
	PPME_SYSCALL_PRCTL_X = 401,
	PPME_ASYNCEVENT_E = 402,
	PPME_ASYNCEVENT_X = 403,
	PPME_SYSCALL_MEMFD_CREATE_E = 404,
	PPME_SYSCALL_MEMFD_CREATE_X = 405,
	PPME_SYSCALL_PIDFD_GETFD_E = 406,
	PPME_SYSCALL_PIDFD_GETFD_X = 407,
	PPME_SYSCALL_PIDFD_OPEN_E = 408,
	PPME_SYSCALL_PIDFD_OPEN_X = 409,
	PPME_SYSCALL_INIT_MODULE_E = 410,
	PPME_SYSCALL_INIT_MODULE_X = 411,
	PPME_SYSCALL_FINIT_MODULE_E = 412,
	PPME_SYSCALL_FINIT_MODULE_X = 413,
	PPME_SYSCALL_MKNOD_E = 414,
	PPME_SYSCALL_MKNOD_X = 415,
	PPME_SYSCALL_MKNODAT_E = 416,
	PPME_SYSCALL_MKNODAT_X = 417,
	PPME_SYSCALL_NEWFSTATAT_E = 418,
	PPME_SYSCALL_NEWFSTATAT_X = 419,
	PPME_SYSCALL_PROCESS_VM_READV_E = 420,
	PPME_SYSCALL_PROCESS_VM_READV_X = 421,
	PPME_SYSCALL_PROCESS_VM_WRITEV_E = 422,
	PPME_SYSCALL_PROCESS_VM_WRITEV_X = 423,
	PPME_SYSCALL_DELETE_MODULE_E = 424,
	PPME_SYSCALL_DELETE_MODULE_X = 425,
	PPME_SYSCALL_SETREUID_E = 426,
	PPME_SYSCALL_SETREUID_X = 427,
	PPME_SYSCALL_SETREGID_E = 428,
	PPME_SYSCALL_SETREGID_X = 429,
	PPME_ITER_TASK_E = 430,
	PPME_ITER_TASK_X = 431,
	PPME_ITER_TASK_FILE_SOCKET_INET_E = 432,
	PPME_ITER_TASK_FILE_SOCKET_INET_X = 433,
	PPME_ITER_TASK_FILE_SOCKET_INET6_E = 434,
	PPME_ITER_TASK_FILE_SOCKET_INET6_X = 435,
	PPME_ITER_TASK_FILE_SOCKET_UNIX_E = 436,
	PPME_ITER_TASK_FILE_SOCKET_UNIX_X = 437,
	PPME_ITER_TASK_FILE_PIPE_E = 438,
	PPME_ITER_TASK_FILE_PIPE_X = 439,
	PPME_ITER_TASK_FILE_DIRECTORY_E = 440,
	PPME_ITER_TASK_FILE_DIRECTORY_X = 441,
	PPME_ITER_TASK_FILE_REGULAR_E = 442,
	PPME_ITER_TASK_FILE_REGULAR_X = 443,
	PPME_ITER_TASK_FILE_ANON_INODE_E = 444,
	PPME_ITER_TASK_FILE_ANON_INODE_X = 445,
	PPME_ITER_TASK_FILE_MEMFD_E = 446,
	PPME_ITER_TASK_FILE_MEMFD_X = 447,
	PPM_EVENT_MAX = 448
} ppm_event_code;
/*@}*/
