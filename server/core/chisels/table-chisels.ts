// The table chisels of sysdig 0.29.3, as the arguments each one hands table_generator.lua
// (/usr/share/sysdig/chisels/*.lua, on_init), with and without -pc (container columns).

import { ChiselArgError, type Chisel, type ChiselOptions } from "./chisel";
import { fdCountRun, tableRun, type TableView } from "./table-generator";

const NET_IO = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true";
const FILE_IO = "fd.type=file and evt.is_io=true";

type ViewPair = { plain: TableView; container: TableView };

/** keys/descs as "a,b" strings, as the Lua files write them. */
function view(keys: string, descs: string, value: string, valueDesc: string, filter: string, top: number, units: TableView["units"]): TableView {
  return { keys: keys.split(","), keyDescs: descs.split(","), value, valueDesc, filter, top, units };
}

const PROC = ["proc.name,proc.pid", "Process,PID"] as const;
const PROC_PC = ["proc.name,proc.pid,thread.vtid,container.name", "Process,Host_pid,Container_pid,container.name"] as const;

/** Fixed-argument table chisels: name → [short description, views]. */
export const TABLE_VIEWS: Readonly<Record<string, { description: string } & ViewPair>> = {
  topprocs_cpu: {
    description: "Top processes by CPU usage",
    // Its own on_event: thread.cpu (CPU ticks since the thread's previous procinfo event) times
    // 10^7, i.e. in ns, summed over procinfo events, printed as a share of the capture's span.
    plain: { ...view("proc.name,proc.pid", "Process,PID", "thread.cpu", "CPU%", "evt.type=procinfo", 10, "timepct"), scale: 10000000 },
    container: {
      ...view("proc.name,proc.pid,proc.vpid,container.name", "Process,Host_pid,Container_pid,container.name", "thread.cpu", "CPU%", "evt.type=procinfo", 10, "timepct"),
      scale: 10000000,
    },
  },
  topprocs_net: {
    description: "Top processes by network I/O",
    plain: view(...PROC, "evt.rawarg.res", "Bytes", NET_IO, 100, "bytes"),
    container: view(...PROC_PC, "evt.rawarg.res", "Bytes", NET_IO, 100, "bytes"),
  },
  topprocs_file: {
    description: "Top processes by R+W disk bytes",
    plain: view(...PROC, "evt.rawarg.res", "Bytes", FILE_IO, 10, "bytes"),
    container: view(...PROC_PC, "evt.rawarg.res", "Bytes", FILE_IO, 10, "bytes"),
  },
  topprocs_errors: {
    description: "top processes by number of errors",
    plain: view(...PROC, "evt.count", "#Errors", "evt.failed=true", 100, "none"),
    container: view(...PROC_PC, "evt.count", "#Errors", "evt.failed=true", 100, "none"),
  },
  topfiles_bytes: {
    description: "Top files by R+W bytes",
    plain: view("fd.name", "Filename", "evt.rawarg.res", "Bytes", FILE_IO, 10, "bytes"),
    container: view("container.name,fd.name", "container.name,Filename", "evt.rawarg.res", "Bytes", FILE_IO, 10, "bytes"),
  },
  topfiles_time: {
    description: "Top files by time",
    plain: view("fd.name", "Filename", "evt.latency", "Time", FILE_IO, 10, "time"),
    container: view("fd.name,container.name", "Filename,container.name", "evt.latency", "Time", FILE_IO, 10, "time"),
  },
  topfiles_errors: {
    description: "Top files by number of errors",
    plain: view("fd.name", "Filename", "evt.count", "#Errors", "fd.type=file and evt.failed=true", 100, "none"),
    container: view("fd.name,container.name", "Filename,container.name", "evt.count", "#Errors", "fd.type=file and evt.failed=true", 100, "none"),
  },
  topconns: {
    description: "Top network connections by total bytes",
    plain: view("fd.l4proto,fd.name", "Proto,Conn", "evt.rawarg.res", "Bytes", NET_IO, 30, "bytes"),
    container: view("container.name,fd.l4proto,fd.name", "container.name,Proto,Conn", "evt.rawarg.res", "Bytes", NET_IO, 30, "bytes"),
  },
  topports_server: {
    description: "Top TCP/UDP server ports by R+W bytes",
    plain: view("fd.sport", "Srv Port", "evt.rawarg.res", "Bytes", NET_IO, 100, "bytes"),
    container: view("fd.sport,container.name", "Srv Port,container.name", "evt.rawarg.res", "Bytes", NET_IO, 100, "bytes"),
  },
  topscalls: {
    description: "Top system calls by number of calls",
    plain: view("evt.type", "Syscall", "evt.count", "# Calls", "evt.type!=switch", 30, "none"),
    container: view("evt.type,container.name", "Syscall,container.name", "evt.count", "# Calls", "evt.type!=switch", 30, "none"),
  },
  topscalls_time: {
    description: "Top system calls by time",
    plain: view("evt.type", "Syscall", "evt.latency", "Time", "", 30, "time"),
    container: view("evt.type,container.name", "Syscall,container.name", "evt.latency", "Time", "", 30, "time"),
  },
};

function fixedChisel(name: string): Chisel {
  const v = TABLE_VIEWS[name];
  return {
    name,
    description: v.description,
    args: [],
    start: (args: readonly string[], opts?: ChiselOptions) => {
      if (args.length > 0) throw new ChiselArgError(`chisel ${name} takes no arguments`);
      return tableRun(opts?.printContainer ? v.container : v.plain);
    },
  };
}

const KEY_ARG = [{ name: "key", description: "The filter field used for grouping" }] as const;

function keyOf(name: string, args: readonly string[]): string {
  if (args.length < 1) throw new ChiselArgError(`missing arguments for chisel ${name}`);
  if (args.length > 1) throw new ChiselArgError(`chisel ${name} takes one argument, the key field`);
  return args[0];
}

/** fdbytes_by / fdtime_by KEY: table_generator with the key as both field and heading (a
 *  comma-separated key makes several columns, as table_generator splits it). */
export function byKeyView(name: "fdbytes_by" | "fdtime_by", key: string): TableView {
  return name === "fdbytes_by"
    ? view(key, key, "evt.rawarg.res", "Bytes", "evt.is_io=true and evt.failed=false", 30, "bytes")
    : view(key, key, "evt.latency", "Time", "evt.is_io=true", 10, "time");
}

export const TABLE_CHISELS: readonly Chisel[] = [
  ...Object.keys(TABLE_VIEWS).map(fixedChisel),
  {
    name: "fdbytes_by",
    description: "I/O bytes, aggregated by an arbitrary filter field",
    args: KEY_ARG,
    start: (args) => tableRun(byKeyView("fdbytes_by", keyOf("fdbytes_by", args))),
  },
  {
    name: "fdcount_by",
    description: "FD count, aggregated by an arbitrary filter field",
    args: KEY_ARG,
    start: (args) => fdCountRun(keyOf("fdcount_by", args)),
  },
  {
    name: "fdtime_by",
    description: "FD time group by",
    args: KEY_ARG,
    start: (args) => tableRun(byKeyView("fdtime_by", keyOf("fdtime_by", args))),
  },
];
