// The chisels the summary view offers, for the browser: the server's list
// (server/core/chisels/index.ts) would pull the chisels' code into the page. chisel-list.test.ts
// keeps this one in step with it (names, descriptions, arguments, value units).

import type { Units } from "../../server/core/chisels/table-generator";

export interface ChiselChoice {
  name: string;
  /** The heading it is listed under. */
  group: string;
  /** The server's own description. */
  description: string;
  /** Its one argument, when it takes one (the field to group by). */
  arg?: { name: string; description: string; default: string };
  /** table_generator chisels: the value column (the first) and how the chisel prints it. */
  units?: Units;
  /** Column headings as the chisel prints them, when the API's column names are not those. */
  headers?: readonly string[];
  /** A column holding evt.nums, which the table links to the events view. */
  eventColumn?: number;
  /** false for casefile's own chisels: sysdig has no chisel by that name. */
  sysdig: boolean;
}

const FIELD_ARG = { name: "key", description: "The filter field used for grouping", default: "fd.name" };

export const CHISEL_CHOICES: readonly ChiselChoice[] = [
  { name: "topprocs_cpu", group: "processes", description: "Top processes by CPU usage", units: "timepct", sysdig: true },
  { name: "topprocs_net", group: "processes", description: "Top processes by network I/O", units: "bytes", sysdig: true },
  { name: "topprocs_file", group: "processes", description: "Top processes by R+W disk bytes", units: "bytes", sysdig: true },
  { name: "topprocs_errors", group: "processes", description: "top processes by number of errors", units: "none", sysdig: true },
  { name: "topfiles_bytes", group: "files", description: "Top files by R+W bytes", units: "bytes", sysdig: true },
  { name: "topfiles_time", group: "files", description: "Top files by time", units: "time", sysdig: true },
  { name: "topfiles_errors", group: "files", description: "Top files by number of errors", units: "none", sysdig: true },
  { name: "topconns", group: "network", description: "Top network connections by total bytes", units: "bytes", sysdig: true },
  { name: "topports_server", group: "network", description: "Top TCP/UDP server ports by R+W bytes", units: "bytes", sysdig: true },
  { name: "topscalls", group: "system calls", description: "Top system calls by number of calls", units: "none", sysdig: true },
  { name: "topscalls_time", group: "system calls", description: "Top system calls by time", units: "time", sysdig: true },
  { name: "errors", group: "system calls", description: "Failed system calls by process, call and error, with a first example", headers: ["#Errors", "Process", "Syscall", "Error", "First evt.num"], eventColumn: 4, sysdig: false },
  { name: "fdbytes_by", group: "by a field", description: "I/O bytes, aggregated by an arbitrary filter field", arg: FIELD_ARG, units: "bytes", sysdig: true },
  { name: "fdcount_by", group: "by a field", description: "FD count, aggregated by an arbitrary filter field", arg: { ...FIELD_ARG, default: "proc.name" }, sysdig: true },
  { name: "fdtime_by", group: "by a field", description: "FD time group by", arg: FIELD_ARG, units: "time", sysdig: true },
  { name: "iobytes", group: "I/O per second", description: "Sum of I/O bytes on any type of FD", sysdig: true },
  { name: "iobytes_file", group: "I/O per second", description: "Sum of file I/O bytes", sysdig: true },
  { name: "iobytes_net", group: "I/O per second", description: "Show total network I/O bytes", sysdig: true },
];

/** Chisels the server runs that print text rather than a table: not offered here. */
export const TEXT_CHISELS = ["echo_fds", "spy_users"] as const;

/** Fields worth grouping by, offered for the argument (any filter field works). */
export const FIELD_SUGGESTIONS = [
  "fd.name", "fd.directory", "fd.filename", "fd.type", "fd.l4proto", "fd.sip", "fd.sport", "fd.cip", "fd.cport",
  "proc.name", "proc.pid", "proc.exe", "thread.tid", "user.name", "evt.type", "container.name",
] as const;

export function chiselChoice(name: string): ChiselChoice | undefined {
  return CHISEL_CHOICES.find((c) => c.name === name);
}

/** The groups in list order, each with its chisels. */
export function chiselGroups(): [string, ChiselChoice[]][] {
  const groups = new Map<string, ChiselChoice[]>();
  for (const c of CHISEL_CHOICES) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return [...groups];
}
