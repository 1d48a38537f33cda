// The rows of sysdig's lsof, netstat and ps chisels (sysdig 0.29.3, chisels/lsof.lua,
// netstat.lua, ps.lua) computed from a ThreadTable, and the text the chisels print.
//
// The chisels read sysdig.get_thread_table(): a Lua table keyed by tid, one sub-table of fds per
// thread keyed by fd, both filled in the iteration order of sysdig's own (C++) tables. lsof and
// ps sort the threads by tid, but every chisel walks the fds (and netstat the threads too) with
// `pairs`, so rows come out in LuaJIT's table order: lua-table.ts and std-hash-order.ts model it.

import { FdType, L4Proto } from "../formats/scap/blocks";
import { extendString, formatBytes } from "../chisels/lua-format";
import { luaPairsOrder } from "./lua-table";
import { CANCELED_FD, l4Of, shownComm, type Fd, type FdTable, type Thread, type ThreadTable } from "./threads";
import type { StateChisel } from "../filter/chisel-filter";
import { sanitized } from "../events/sanitize";

// Rows are plain records (type aliases, not interfaces): the API sends them to the browser as
// column -> value maps (store-types.ts StateAnswer).
export type LsofRow = {
  command: string;
  pid: number;
  tid: number;
  user: string;
  fd: number;
  type: string;
  name: string;
};

export type NetstatRow = {
  proto: string;
  server: string;
  client: string;
  state: "ESTABLISHED" | "LISTEN";
  tid: number;
  pid: number;
  command: string;
};

export type PsRow = {
  tid: number;
  pid: number;
  user: string;
  vmsizeKb: number;
  vmrssKb: number;
  fdlimit: number;
  command: string;
};

/** A row filter on (thread, fd): the chisels' filter argument, compiled elsewhere. */
export type FdPredicate = (t: Thread, fdNum: number, f: Fd) => boolean;

/** The name sysdig shows for a thread's command (<NA> when unknown). */
const commOf = shownComm;

/** What the chisel sees as a number key: the value cast to uint32 and then to a C int. */
const asKey = (v: number): number =>
  v === CANCELED_FD ? -1 : Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
/** What the chisel sees as a number field: the value cast to uint32. */
const asU32 = (v: number): number => Number(BigInt.asUintN(32, BigInt(Math.trunc(v))));

/** sinsp_fdinfo_t::get_typestring. */
export function fdTypeString(type: FdType): string {
  switch (type) {
    case FdType.FILE: case FdType.FILE_V2: return "file";
    case FdType.DIRECTORY: return "directory";
    case FdType.IPV4_SOCK: case FdType.IPV4_SERVSOCK: return "ipv4";
    case FdType.IPV6_SOCK: case FdType.IPV6_SERVSOCK: return "ipv6";
    case FdType.UNIX_SOCK: return "unix";
    case FdType.FIFO: return "pipe";
    case FdType.EVENT: return "event";
    case FdType.SIGNALFD: return "signalfd";
    case FdType.EVENTPOLL: return "eventpoll";
    case FdType.INOTIFY: return "inotify";
    case FdType.TIMERFD: return "timerfd";
    case FdType.NETLINK: return "netlink";
    case FdType.BPF: return "bpf";
    case FdType.USERFAULTFD: return "userfaultfd";
    case FdType.IOURING: return "io_uring";
    case FdType.MEMFD: return "memfd";
    case FdType.PIDFD: return "pidfd";
    default: return "<NA>";
  }
}

function l4String(l4: L4Proto): string {
  switch (l4) {
    case L4Proto.TCP: return "tcp";
    case L4Proto.UDP: return "udp";
    case L4Proto.ICMP: return "icmp";
    case L4Proto.RAW: return "raw";
    default: return "<NA>";
  }
}


const isInet = (f: Fd) => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK ||
  f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK;

/** The fd table the chisel reads for a thread (sysdig's get_fd_table). */
function fdTableOf(t: Thread): FdTable {
  return t.fds;
}

/** The fds of a thread as the chisel walks them: keys set in the C++ table's order, read back
 *  in LuaJIT's `pairs` order. */
function fdsInPairsOrder(fds: FdTable, keep: (fdNum: number, f: Fd) => boolean): [number, Fd][] {
  const byKey = new Map<number, [number, Fd]>();
  const keys: number[] = [];
  for (const [fdNum, f] of fds.entries()) {
    if (!keep(fdNum, f)) continue;
    const k = asKey(fdNum);
    byKey.set(k, [fdNum, f]);
    keys.push(k);
  }
  return luaPairsOrder(keys).map((k) => byKey.get(k)!);
}

/** The threads the chisel gets: every thread with an fd table (and, with a filter, at least
 *  one matching fd), keyed as the chisel keys them. */
function chiselThreads(table: ThreadTable, filter?: FdPredicate): Map<number, Thread> {
  const out = new Map<number, Thread>();
  for (const t of table.ordered()) {
    const fds = fdTableOf(t);
    if (filter) {
      let match = false;
      for (const [fdNum, f] of fds.entries()) {
        if (filter(t, fdNum, f)) {
          match = true;
          break;
        }
      }
      if (!match) continue;
    }
    out.set(asKey(t.tid), t);
  }
  return out;
}

function sortedByTid(threads: Map<number, Thread>): [number, Thread][] {
  return [...threads.entries()].sort((a, b) => a[0] - b[0]);
}

export function lsofRows(table: ThreadTable, filter?: FdPredicate): LsofRow[] {
  const rows: LsofRow[] = [];
  for (const [tid, t] of sortedByTid(chiselThreads(table, filter))) {
    const keep = filter ? (fdNum: number, f: Fd) => filter(t, fdNum, f) : () => true;
    for (const [fdNum, f] of fdsInPairsOrder(fdTableOf(t), keep)) {
      rows.push({
        command: commOf(t), pid: asU32(t.pid), tid, user: table.userName(t.uid), fd: asKey(fdNum),
        type: fdTypeString(f.type), name: sanitized(f.name), // sinsp_fdinfo_t::tostring_clean
      });
    }
  }
  return rows;
}

/** The netstat chisel's filter: inet sockets (plus the user's, if any). */
const inetOnly: FdPredicate = (_t, _n, f) => isInet(f);

export function netstatRows(table: ThreadTable, filter?: FdPredicate): NetstatRow[] {
  const f0: FdPredicate = filter ? (t, n, f) => isInet(f) && filter(t, n, f) : inetOnly;
  const threads = chiselThreads(table, f0);
  const rows: NetstatRow[] = [];
  for (const tid of luaPairsOrder(threads.keys())) {
    const t = threads.get(tid)!;
    for (const [, f] of fdsInPairsOrder(fdTableOf(t), (n, f) => f0(t, n, f))) {
      const listening = f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK;
      rows.push({
        proto: l4String(l4Of(f)),
        server: listening ? `${f.sip}:${f.sport}` : `${f.dip}:${f.dport}`,
        client: listening ? "0.0.0.0:*" : `${f.sip}:${f.sport}`,
        state: listening ? "LISTEN" : "ESTABLISHED",
        tid, pid: asU32(t.pid), command: commOf(t),
      });
    }
  }
  return rows;
}

export function psRows(table: ThreadTable, filter?: FdPredicate): PsRow[] {
  return sortedByTid(chiselThreads(table, filter)).map(([tid, t]) => {
    const [size, rss] = table.vmOf(t);
    return {
      tid, pid: asU32(t.pid), user: table.userName(t.uid), vmsizeKb: asU32(size),
      vmrssKb: asU32(rss), fdlimit: asU32(t.fdlimit), command: commOf(t),
    };
  });
}

// --- text, as the chisels print it -------------------------------------------------------------

/** Lua's tostring of a number (integers print as integers). */
function num(v: number): string {
  return String(v);
}

export const NO_MATCH = "empty capture or no event matching the filter";

/** A state chisel's rows of a table (those a filter keeps; all without one) and the lines it
 *  prints for them: the one place the three chisels are told apart. */
export function stateTable(chisel: StateChisel, table: ThreadTable, keep?: FdPredicate): { rows: LsofRow[] | NetstatRow[] | PsRow[]; lines: string[] } {
  switch (chisel) {
    case "lsof": {
      const rows = lsofRows(table, keep);
      return { rows, lines: lsofText(rows) };
    }
    case "netstat": {
      const rows = netstatRows(table, keep);
      return { rows, lines: netstatText(rows) };
    }
    case "ps": {
      const rows = psRows(table, keep);
      return { rows, lines: psText(rows) };
    }
  }
}

export function lsofText(rows: LsofRow[]): string[] {
  const out = [
    extendString("COMMAND", 20) + extendString("PID", 8) + extendString("TID", 8) +
    extendString("USER", 8) + extendString("FD", 8) + extendString("TYPE", 12) + "NAME",
  ];
  for (const r of rows) {
    out.push(extendString(r.command, 20) + extendString(num(r.pid), 8) + extendString(num(r.tid), 8) +
      extendString(r.user, 8) + extendString(num(r.fd), 8) + extendString(r.type, 12) + r.name);
  }
  return out;
}

export function netstatText(rows: NetstatRow[]): string[] {
  const out = [
    extendString("Proto", 6) + extendString("Server Address", 25) + extendString("Client Address", 25) +
    extendString("State", 15) + "TID/PID/Program Name",
  ];
  for (const r of rows) {
    out.push(extendString(r.proto, 6) + extendString(r.server, 25) + extendString(r.client, 25) +
      extendString(r.state, 15) + `${num(r.tid)}/${num(r.pid)}/${r.command}`);
  }
  return out;
}

export function psText(rows: PsRow[]): string[] {
  const out = [
    extendString("TID", 8) + extendString("PID", 8) + extendString("USER", 12) + extendString("VIRT", 11) +
    extendString("RES", 11) + extendString("FDLIMIT", 10) + extendString("CMD", 20),
  ];
  for (const r of rows) {
    out.push(extendString(num(r.tid), 8) + extendString(num(r.pid), 8) + extendString(r.user, 12) +
      extendString(formatBytes(r.vmsizeKb * 1024), 11) + extendString(formatBytes(r.vmrssKb * 1024), 11) +
      extendString(num(r.fdlimit), 10) + r.command);
  }
  return out;
}
