// The overview of a capture, as sysdig Inspect opens one: a tile per question an investigation
// starts with (who ran, what failed, how many bytes went to files and to the network, who
// connected, who listened, who forked, which file I/O was slow), each behind a sysdig filter.
// The filter is the tile's definition: the number is what that filter selects (counted, or its
// return values summed), the click opens the view behind it, and the tests check each number
// by running the same filter through sysdig itself.

/** What a tile measures over the events its filter keeps. */
export type TileMeasure =
  /** how many events */
  | "count"
  /** the sum of evt.rawres over those with a positive one (bytes read or written) */
  | "bytes"
  /** how many different proc.name */
  | "processes"
  /** how many different thread.tid */
  | "threads"
  /** how many different container.id of the events' threads, other than host */
  | "containers";

/** The view a click on the tile opens (components/ui/view-url.ts keys). */
export interface TileTarget {
  view: "events" | "chisel";
  /** The filter the click applies when it is not the tile's (containers: the events in one). */
  filter?: string;
  chisel?: string;
  arg?: string;
}

export interface OverviewTile {
  key: string;
  label: string;
  /** What the number means, for the tile's tooltip. */
  title: string;
  /** The sysdig filter behind the tile ("" for every event); see tileFilter. */
  filter: string;
  /** Only events that returned a positive value (`evt.rawres>0`: a fork's parent side, which
   *  returns the child's id). Kept apart from `filter` because the stored columns answer it for
   *  these event types (their return value is kept) while the filter compiler, which cannot know
   *  the types in general, will not. */
  positive?: boolean;
  measure: TileMeasure;
  open: TileTarget;
}

const FILE_READS = "evt.type in (read, pread, readv, preadv)";
const FILE_WRITES = "evt.type in (write, pwrite, writev, pwritev)";
const NET_READS = "evt.type in (read, readv, recvfrom, recvmsg)";
const NET_WRITES = "evt.type in (write, writev, sendto, sendmsg)";
const INET = "fd.type in (ipv4, ipv6)";

/** 1 ms: file I/O slower than this is worth a look on any disk of this decade. */
export const SLOW_FILE_NS = 1_000_000;

export const OVERVIEW_TILES: readonly OverviewTile[] = [
  { key: "events", label: "events", title: "every event sysdig prints", filter: "", measure: "count", open: { view: "events" } },
  { key: "processes", label: "processes", title: "different process names (proc.name)", filter: "", measure: "processes", open: { view: "chisel", chisel: "topprocs_cpu" } },
  { key: "containers", label: "containers", title: "different containers (container.id other than host) the events' threads ran in", filter: "", measure: "containers", open: { view: "events", filter: "container.id!=host" } },
  { key: "threads", label: "threads", title: "different thread ids (thread.tid)", filter: "", measure: "threads", open: { view: "chisel", chisel: "topprocs_cpu" } },
  { key: "syscalls", label: "system calls", title: "exit events: calls that returned", filter: "evt.dir=<", measure: "count", open: { view: "chisel", chisel: "topscalls" } },
  { key: "errors", label: "errors", title: "calls that failed (evt.failed=true)", filter: "evt.failed=true", measure: "count", open: { view: "events" } },
  { key: "file-in", label: "file bytes in", title: "bytes read from files", filter: `${FILE_READS} and evt.dir=< and fd.type=file`, measure: "bytes", open: { view: "chisel", chisel: "topfiles_bytes" } },
  { key: "file-out", label: "file bytes out", title: "bytes written to files", filter: `${FILE_WRITES} and evt.dir=< and fd.type=file`, measure: "bytes", open: { view: "chisel", chisel: "topfiles_bytes" } },
  { key: "net-in", label: "network bytes in", title: "bytes received on IPv4/IPv6 sockets", filter: `${NET_READS} and evt.dir=< and ${INET}`, measure: "bytes", open: { view: "chisel", chisel: "topconns" } },
  { key: "net-out", label: "network bytes out", title: "bytes sent on IPv4/IPv6 sockets", filter: `${NET_WRITES} and evt.dir=< and ${INET}`, measure: "bytes", open: { view: "chisel", chisel: "topconns" } },
  { key: "connections", label: "connections", title: "connect and accept calls on IPv4/IPv6 sockets", filter: `evt.type in (connect, accept) and evt.dir=< and ${INET}`, measure: "count", open: { view: "events" } },
  { key: "failed-connections", label: "failed connections", title: "connects that failed (a non-blocking connect's EINPROGRESS is not a failure)", filter: "evt.type=connect and evt.dir=< and evt.failed=true and not evt.res=EINPROGRESS", measure: "count", open: { view: "events" } },
  { key: "listening", label: "listening sockets", title: "successful listen calls", filter: "evt.type=listen and evt.dir=< and evt.failed=false", measure: "count", open: { view: "events" } },
  { key: "forks", label: "forks", title: "new processes and threads: clone/fork/vfork as their parent saw them return", filter: "evt.type in (clone, clone3, fork, vfork) and evt.dir=<", positive: true, measure: "count", open: { view: "events" } },
  { key: "slow-file-io", label: "slow file I/O", title: `file calls that took longer than ${SLOW_FILE_NS / 1e6} ms`, filter: `fd.type=file and evt.dir=< and evt.latency>${SLOW_FILE_NS}`, measure: "count", open: { view: "events" } },
];

/** The whole sysdig filter of a tile: what its click applies, what the tests give sysdig. */
export function tileFilter(tile: OverviewTile): string {
  if (!tile.positive) return tile.filter;
  return tile.filter ? `${tile.filter} and evt.rawres>0` : "evt.rawres>0";
}

/** A tile's filter within the user's: both must hold (`(F) and (T)`, as the click applies it). */
export function withinFilter(filter: string, tileFilter: string): string {
  if (!filter.trim()) return tileFilter;
  return tileFilter ? `(${filter.trim()}) and (${tileFilter})` : filter.trim();
}

/** A tile's number and how it went over time. */
export interface OverviewTileAnswer {
  key: string;
  total: number;
  /** One value per time bucket (the measure over the events in it). */
  series: number[];
  /** Why this capture cannot answer the tile (total and series are then 0). */
  unanswered?: string;
}

/** Whether a measure counts different values (which do not add up over time buckets). */
export function isDistinctMeasure(m: TileMeasure): boolean {
  return m === "processes" || m === "threads" || m === "containers";
}

export interface Overview {
  buckets: number;
  /** ns since the epoch where bucket 0 starts, and each bucket's width (strings of integers). */
  startTs: string;
  binNs: string;
  tiles: OverviewTileAnswer[];
  /** Filter fields answered from the ingest's columns rather than exactly as sysdig (fd.type). */
  approximate: string[];
}
