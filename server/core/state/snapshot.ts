// Snapshots of the whole state engine: a ThreadTable written as compact JSON and read back, so
// that checkpoints every K events can be stored (SQLite) and the state at any event is one
// checkpoint plus fewer than K events away (StateReplay continues from a restored table).
//
// Everything that decides what later events do or what the chisels print is kept: threads in
// their table order, fd tables in theirs (shared tables stay shared), libstdc++ bucket counts,
// users and groups, the removals pending for the next event, each thread's last enter event.
// Fds and threads are arrays of fields (not objects with keys): about 40 bytes per fd.

import type { GroupEntry, UserEntry } from "../formats/scap/blocks";
import type { StdHashOrderState } from "./std-hash-order";
import { StdHashOrder } from "./std-hash-order";
import { FdTable, ThreadTable, type Fd, type Thread } from "./threads";

const VERSION = 1;

type FdRow = [
  fd: number, type: number, name: string, l4: number, sockType: number, openFlags: number,
  sip: string | null, sport: number | null, dip: string | null, dport: number | null,
  role: number, bits: number, dev?: number,
];

type ThreadRow = [
  tid: number, pid: number, ptid: number, comm: string, exe: string, exepath: string, args: string[],
  cwd: string, uid: number, gid: number, fdlimit: number, vmsizeKb: number, vmrssKb: number,
  vmswapKb: number, pfMajor: number, pfMinor: number, flags: number, sid: number, vpgid: number,
  vtid: number, vpid: number, loginuid: number, nchilds: number, fdTable: number, enterType: number,
  enterArgs: (number | null)[], lastFd: number | null, enterStr: string | null, enterTuple: number[] | null,
  /** 1 when an empty comm was given (Thread.named); absent in snapshots made before it. */
  named?: number,
];

interface SnapshotJson {
  v: number;
  /** Fd tables: entries in iteration order, with the bucket count and next growth size. */
  fdTables: { fds: FdRow[]; buckets: number; nextResize: number }[];
  /** Threads in table iteration order. */
  threads: ThreadRow[];
  order: { buckets: number; nextResize: number };
  users: [number, number, string, string, string][];
  groups: [number, string][];
  pending: { thread: number; fdTid: number; fds: number[]; started: boolean };
  vm: [number, number, number, number];
  /** The interface list: IPv4 [addr, netmask] pairs, IPv6 addresses as byte arrays. */
  ifs?: [[number, number][], number[][]];
}

const CLOSING = 1, CANCELED = 2, CONNECTED = 4;

function fdRow(fd: number, f: Fd): FdRow {
  const row: FdRow = [
    fd, f.type, f.name, f.l4, f.sockType, f.openFlags, f.sip ?? null, f.sport ?? null, f.dip ?? null,
    f.dport ?? null, f.role ?? 0, (f.closing ? CLOSING : 0) | (f.canceled ? CANCELED : 0) | (f.connected ? CONNECTED : 0),
  ];
  // Only files opened with a device number have one (older snapshots have none).
  if (f.dev !== undefined) row.push(f.dev);
  return row;
}

function fdFromRow(r: FdRow): Fd {
  const f: Fd = { type: r[1], name: r[2], l4: r[3], sockType: r[4], openFlags: r[5] };
  if (r[6] !== null) f.sip = r[6];
  if (r[7] !== null) f.sport = r[7];
  if (r[8] !== null) f.dip = r[8];
  if (r[9] !== null) f.dport = r[9];
  if (r[10]) f.role = r[10];
  if (r[11] & CLOSING) f.closing = true;
  if (r[11] & CANCELED) f.canceled = true;
  if (r[11] & CONNECTED) f.connected = true;
  if (r[12] !== undefined) f.dev = r[12];
  return f;
}

/** JSON numbers cannot be NaN: enter arguments that were absent are written as null. */
const nanToNull = (v: number) => (Number.isNaN(v) ? null : v);

export function snapshot(table: ThreadTable): string {
  const tableIds = new Map<FdTable, number>();
  const fdTables: SnapshotJson["fdTables"] = [];
  const threads: ThreadRow[] = [];
  // Arrays of keys rather than the tables' iterators: ingest snapshots every few thousand
  // events, and the iterators' garbage was a good part of what it allocated.
  const order = table.order.state();
  for (const tid of order.keys) {
    const t = table.threads.get(tid)!;
    let id = tableIds.get(t.fds);
    if (id === undefined) {
      id = fdTables.length;
      tableIds.set(t.fds, id);
      const o = t.fds.orderState();
      fdTables.push({ fds: o.keys.map((k) => fdRow(k, t.fds.get(k)!)), buckets: o.buckets, nextResize: o.nextResize });
    }
    const row: ThreadRow = [
      t.tid, t.pid, t.ptid, t.comm, t.exe, t.exepath, t.args, t.cwd, t.uid, t.gid, t.fdlimit,
      t.vmsizeKb, t.vmrssKb, t.vmswapKb, t.pfMajor, t.pfMinor, t.flags, t.sid, t.vpgid, t.vtid,
      t.vpid, t.loginuid, t.nchilds, id, t.enterType, t.enterArgs.map(nanToNull), t.lastFd ?? null,
      t.enterStr ?? null, t.enterTuple ? [...t.enterTuple] : null,
    ];
    if (t.named) row.push(1);
    threads.push(row);
  }
  const v = table.vmOverride;
  const json: SnapshotJson = {
    v: VERSION,
    fdTables,
    threads,
    order: { buckets: order.buckets, nextResize: order.nextResize },
    users: [...table.users.values()].map((u) => [u.uid, u.gid, u.name, u.homedir, u.shell]),
    groups: [...table.groups.values()].map((g) => [g.gid, g.name]),
    pending: { thread: table.pendingRemoval, fdTid: table.pendingFdTid, fds: table.pendingFds, started: table.started },
    vm: [v.tid, v.sizeKb, v.rssKb, v.swapKb],
    ifs: [table.interfaces.v4.map((i) => [i.addr, i.netmask]), table.interfaces.v6.map((a) => [...a])],
  };
  return JSON.stringify(json);
}

export function restore(data: string | Uint8Array): ThreadTable {
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  const json = JSON.parse(text) as SnapshotJson;
  if (json.v !== VERSION) throw new Error(`state snapshot version ${json.v} is not ${VERSION}`);
  const table = new ThreadTable();
  const fdTables = json.fdTables.map((ft) => {
    const entries: [number, Fd][] = ft.fds.map((r) => [r[0], fdFromRow(r)]);
    const order: StdHashOrderState = { keys: ft.fds.map((r) => r[0]), buckets: ft.buckets, nextResize: ft.nextResize };
    return FdTable.fromState(entries, order);
  });
  for (const r of json.threads) {
    const t: Thread = {
      tid: r[0], pid: r[1], ptid: r[2], comm: r[3], exe: r[4], exepath: r[5], args: r[6], cwd: r[7],
      uid: r[8], gid: r[9], fdlimit: r[10], vmsizeKb: r[11], vmrssKb: r[12], vmswapKb: r[13],
      pfMajor: r[14], pfMinor: r[15], flags: r[16], sid: r[17], vpgid: r[18], vtid: r[19], vpid: r[20],
      loginuid: r[21], nchilds: r[22], fds: fdTables[r[23]], enterType: r[24],
      enterArgs: r[25].map((a) => (a === null ? NaN : a)),
    };
    if (r[26] !== null) t.lastFd = r[26];
    if (r[27] !== null) t.enterStr = r[27];
    if (r[28] !== null) t.enterTuple = Uint8Array.from(r[28]);
    if (r[29]) t.named = true;
    table.threads.set(t.tid, t);
  }
  table.order = StdHashOrder.restore({ keys: json.threads.map((r) => r[0]), ...json.order });
  for (const [uid, gid, name, homedir, shell] of json.users) table.users.set(uid, { uid, gid, name, homedir, shell } as UserEntry);
  for (const [gid, name] of json.groups) table.groups.set(gid, { gid, name } as GroupEntry);
  table.pendingRemoval = json.pending.thread;
  table.pendingFdTid = json.pending.fdTid;
  table.pendingFds = json.pending.fds;
  table.started = json.pending.started;
  // Snapshots written before the interfaces were kept have none.
  if (json.ifs) table.interfaces = { v4: json.ifs[0].map(([addr, netmask]) => ({ addr, netmask })), v6: json.ifs[1].map((a) => Uint8Array.from(a)) };
  const [tid, sizeKb, rssKb, swapKb] = json.vm;
  table.vmOverride = { tid, sizeKb, rssKb, swapKb };
  return table;
}
