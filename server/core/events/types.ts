// Shapes of the event table. The facts (names, parameter types, print formats, flag names)
// come from falcosecurity/libs driver/event_table.c and driver/flags_table.c, transcribed
// into our own representation.

/** Parameter types, numbered as in libs' `enum ppm_param_type` (the numbers are part of the
 *  on-disk format of dynamic parameters, so they must stay identical). */
export const enum PT {
  NONE = 0, INT8 = 1, INT16 = 2, INT32 = 3, INT64 = 4, UINT8 = 5, UINT16 = 6, UINT32 = 7,
  UINT64 = 8, CHARBUF = 9, BYTEBUF = 10, ERRNO = 11, SOCKADDR = 12, SOCKTUPLE = 13, FD = 14,
  PID = 15, FDLIST = 16, FSPATH = 17, SYSCALLID = 18, SIGTYPE = 19, RELTIME = 20, ABSTIME = 21,
  PORT = 22, L4PROTO = 23, SOCKFAMILY = 24, BOOL = 25, IPV4ADDR = 26, DYN = 27, FLAGS8 = 28,
  FLAGS16 = 29, FLAGS32 = 30, UID = 31, GID = 32, DOUBLE = 33, SIGSET = 34, CHARBUFARRAY = 35,
  CHARBUF_PAIR_ARRAY = 36, IPV4NET = 37, IPV6ADDR = 38, IPV6NET = 39, IPADDR = 40, IPNET = 41,
  MODE = 42, FSRELPATH = 43, ENUMFLAGS8 = 44, ENUMFLAGS16 = 45, ENUMFLAGS32 = 46,
}

/** Print formats, as libs' `enum ppm_print_format`. */
export const enum PF {
  NA = 0, DEC = 1, HEX = 2, PADDED_DEC_10 = 3, ID = 4, DIR = 5, OCT = 6,
}

/** Event flags, as libs' `enum ppm_event_flags` (EF_*). */
export const enum EF {
  NONE = 0, CREATES_FD = 1 << 0, DESTROYS_FD = 1 << 1, USES_FD = 1 << 2, READS_FROM_FD = 1 << 3,
  WRITES_TO_FD = 1 << 4, MODIFIES_STATE = 1 << 5, UNUSED = 1 << 6, WAITS = 1 << 7,
  SKIPPARSERESET = 1 << 8, OLD_VERSION = 1 << 9, USES_FD_AS_PARAM2 = 1 << 10,
  LARGE_PAYLOAD = 1 << 11, USED_BY_FALCO = 1 << 12, CONVERTER_MANAGED = 1 << 13,
  TMP_CONVERTER_MANAGED = 1 << 14,
}

/** Event categories, as libs' `enum ppm_event_category` (EC_*). */
export const enum EC {
  UNKNOWN = 0, OTHER = 1, FILE = 2, NET = 3, IPC = 4, MEMORY = 5, PROCESS = 6, SLEEP = 7,
  SYSTEM = 8, SIGNAL = 9, USER = 10, TIME = 11, PROCESSING = 12, IO_READ = 32, IO_WRITE = 33,
  IO_OTHER = 34, WAIT = 64, SCHEDULER = 128, INTERNAL = 256, SYSCALL = 0x10000,
  TRACEPOINT = 0x20000, PLUGIN = 0x40000, METAEVENT = 0x80000,
}

/** A name/value pair of a flag or enum table (libs' `struct ppm_name_value`). */
export type NameValue = readonly [name: string, value: number];

export interface ParamInfo {
  readonly name: string;
  readonly type: PT;
  readonly fmt: PF;
  /** For FLAGS and ENUMFLAGS types: the flag table to decode the value with. */
  readonly flags?: readonly NameValue[];
  /** For DYN types: the possible types, indexed by the u8 selector stored before the value. */
  readonly dyn?: readonly ParamInfo[];
  /** For FSRELPATH types (every one carries it): the index of the parameter libs names as its
   *  directory fd (DIRFD_PARAM(n) in event_table.c). libsinsp resolves the path against that
   *  fd's name when the parameter is an fd, else against the cwd (openat2's enter event points
   *  it at the path itself). */
  readonly dirfd?: number;
}

export interface EventInfo {
  readonly name: string;
  /** EC_* category bits. */
  readonly category: number;
  /** EF_* flag bits. */
  readonly flags: number;
  readonly params: readonly ParamInfo[];
  /** How many parameters the event had in sysdig 0.29.3's table (libs e5c53d64, 2022-03-16),
   *  when that differs from params.length (parameters appended later). Old event blocks
   *  (EV_BLOCK_TYPE v1) carry no parameter count, and that count is what they were written with. */
  readonly legacyParamCount?: number;
}
