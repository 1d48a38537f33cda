// The shape of the filter field list (field-list.ts, generated from sysdig 0.29.3's own list).

/** sysdig's field type names (libs' ppm_param_type, as `sysdig -l -v` prints them). */
export type FieldTypeName =
  | "INT8" | "INT16" | "INT32" | "INT64" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "CHARBUF"
  | "BYTEBUF" | "DYNAMIC" | "ERRNO" | "SOCKADDR" | "SOCKTUPLE" | "FD" | "PID" | "FDLIST" | "FSPATH" | "SYSCALLID"
  | "SIGTYPE" | "RELTIME" | "ABSTIME" | "PORT" | "L4PROTO" | "SOCKFAMILY" | "BOOL" | "IPV4ADDR" | "DYN"
  | "FLAGS8" | "FLAGS16" | "FLAGS32" | "UID" | "GID" | "DOUBLE" | "SIGSET" | "IPV4NET" | "IPV6ADDR"
  | "IPV6NET" | "IPADDR" | "IPNET" | "MODE" | "FSRELPATH" | "ENUMFLAGS8" | "ENUMFLAGS16" | "ENUMFLAGS32";

export interface FieldClassSource {
  readonly name: string;
  /** The class line of `sysdig -l` (the evt class comes in two parts). */
  readonly title: string;
  readonly description: string;
  readonly fields: readonly (readonly [name: string, type: FieldTypeName, description: string])[];
}
