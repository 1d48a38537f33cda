// Block types and the fixed records of the scap file format (facts from falcosecurity/libs
// userspace/libscap/scap_savefile.h and engine/savefile/scap_savefile.c).

export const SHB_BLOCK_TYPE = 0x0a0d0d0a;
export const SHB_MAGIC = 0x1a2b3c4d;

export const MI_BLOCK_TYPE = 0x201;
export const MI_BLOCK_TYPE_INT = 0x8002abcd;

/** Process-list block versions, oldest first. The "_INT" numbers were used before the first
 *  library release and map onto v1..v3. */
export const PL_BLOCK_VERSION: ReadonlyMap<number, number> = new Map([
  [0x202, 1], [0x8000abcd, 1],
  [0x207, 2], [0x8013abcd, 2],
  [0x209, 3], [0x8014abcd, 3],
  [0x210, 4], [0x211, 5], [0x212, 6], [0x213, 7], [0x214, 8], [0x215, 9],
]);

export const FDL_BLOCK_TYPE = 0x203;
export const FDL_BLOCK_TYPE_INT = 0x8001abcd;
export const FDL_BLOCK_TYPE_V2 = 0x218;

export const EV_BLOCK_TYPE = 0x204;
export const EV_BLOCK_TYPE_INT = 0x8010abcd;
export const EV_BLOCK_TYPE_V2 = 0x216;
export const EV_BLOCK_TYPE_V2_LARGE = 0x221;
export const EVF_BLOCK_TYPE = 0x208;
export const EVF_BLOCK_TYPE_V2 = 0x217;
export const EVF_BLOCK_TYPE_V2_LARGE = 0x222;

export const IL_BLOCK_TYPE = 0x205;
export const IL_BLOCK_TYPE_INT = 0x8011abcd;
export const IL_BLOCK_TYPE_V2 = 0x219;

export const UL_BLOCK_TYPE = 0x206;
export const UL_BLOCK_TYPE_INT = 0x8012abcd;
export const UL_BLOCK_TYPE_V2 = 0x220;

/** How an event block is laid out: whether it has 32 bits of flags after the cpu id, and
 *  whether its event header carries nparams (v2). The "large" blocks differ only in allowing
 *  events past 64 KiB: the width of parameter lengths comes from the event type. */
export interface EventBlockLayout {
  readonly hasFlags: boolean;
  readonly hasNparams: boolean;
}

export const EVENT_BLOCK_LAYOUT: ReadonlyMap<number, EventBlockLayout> = new Map([
  [EV_BLOCK_TYPE, { hasFlags: false, hasNparams: false }],
  [EV_BLOCK_TYPE_INT, { hasFlags: false, hasNparams: false }],
  [EVF_BLOCK_TYPE, { hasFlags: true, hasNparams: false }],
  [EV_BLOCK_TYPE_V2, { hasFlags: false, hasNparams: true }],
  [EVF_BLOCK_TYPE_V2, { hasFlags: true, hasNparams: true }],
  [EV_BLOCK_TYPE_V2_LARGE, { hasFlags: false, hasNparams: true }],
  [EVF_BLOCK_TYPE_V2_LARGE, { hasFlags: true, hasNparams: true }],
]);

/** EVF flags (scap_dump_flags): the event updates the state but is never shown (written by
 *  `sysdig -w` with a filter in "fat file" mode). sysdig 0.29.3 numbers it, applies it, and
 *  prints it neither plain nor with -D (measured). */
export const SCAP_DF_STATE_ONLY = 1;
/** EVF flags: the event has 32-bit parameter lengths (newer writers; informative only). */
export const SCAP_DF_LARGE = 4;

/** scap_fd_type */
export const enum FdType {
  UNKNOWN = 0, FILE = 1, DIRECTORY = 2, IPV4_SOCK = 3, IPV6_SOCK = 4, IPV4_SERVSOCK = 5,
  IPV6_SERVSOCK = 6, FIFO = 7, UNIX_SOCK = 8, EVENT = 9, UNSUPPORTED = 10, SIGNALFD = 11,
  EVENTPOLL = 12, INOTIFY = 13, TIMERFD = 14, NETLINK = 15, FILE_V2 = 16, BPF = 17,
  USERFAULTFD = 18, IOURING = 19, MEMFD = 20, PIDFD = 21,
}

/** scap_l4_proto */
export const enum L4Proto { UNKNOWN = 0, NA = 1, TCP = 2, UDP = 3, ICMP = 4, RAW = 5 }

export interface MachineInfo {
  numCpus: number;
  memoryBytes: number;
  maxPid: number;
  hostname: string;
}

/** A thread of the capture's initial process list. */
export interface ProcEntry {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  comm: string;
  exe: string;
  exepath: string;
  /** Arguments, NUL-separated as on disk. */
  args: Uint8Array;
  cwd: string;
  fdlimit: number;
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfMajor: number;
  pfMinor: number;
  env: Uint8Array;
  vtid: number;
  vpid: number;
  cgroups: Uint8Array;
  root: string;
  loginuid: number;
  tty: number;
}

export interface FdEntry {
  fd: number;
  ino: number;
  type: FdType;
  /** For files, pipes, unix sockets... the name; empty for inet sockets. */
  name: string;
  openFlags: number;
  /** IPv4 addresses as u32 in network order as read little-endian (as scap stores them);
   *  IPv6 as 16 bytes. */
  sip?: number | Uint8Array;
  dip?: number | Uint8Array;
  sport?: number;
  dport?: number;
  l4proto?: L4Proto;
  /** Unix sockets: kernel addresses of both ends. */
  source?: bigint;
  dest?: bigint;
}

export interface InterfaceEntry {
  family: 4 | 6;
  name: string;
  addr: number | Uint8Array;
  netmask: number | Uint8Array;
}

export interface UserEntry {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

export interface GroupEntry {
  gid: number;
  name: string;
}
