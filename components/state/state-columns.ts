// The columns of sysdig's lsof, netstat and ps chisels, over the rows the server sends
// (server/core/state/tables.ts: LsofRow, NetstatRow, PsRow). Headers are the chisels' own, so
// that the table reads like the command's output.

import type { StateKind } from "../ui/view-url";

export interface StateColumn {
  key: string;
  header: string;
  /** Right-aligned, compared as numbers. */
  numeric?: boolean;
  /** The cell's text, when it is not the value itself. */
  text?(row: Record<string, string | number>): string;
  title?: string;
}

export const STATE_COLUMNS: Record<StateKind, StateColumn[]> = {
  lsof: [
    { key: "command", header: "COMMAND" },
    { key: "pid", header: "PID", numeric: true },
    { key: "tid", header: "TID", numeric: true },
    { key: "user", header: "USER" },
    { key: "fd", header: "FD", numeric: true },
    { key: "type", header: "TYPE" },
    { key: "name", header: "NAME" },
  ],
  netstat: [
    { key: "proto", header: "Proto" },
    { key: "server", header: "Server Address" },
    { key: "client", header: "Client Address" },
    { key: "state", header: "State" },
    { key: "tid", header: "TID", numeric: true },
    { key: "pid", header: "PID", numeric: true },
    { key: "command", header: "Program Name" },
  ],
  ps: [
    { key: "tid", header: "TID", numeric: true },
    { key: "pid", header: "PID", numeric: true },
    { key: "user", header: "USER" },
    { key: "vmsizeKb", header: "VIRT", numeric: true, text: (r) => formatBytes(Number(r.vmsizeKb) * 1024), title: "virtual memory size" },
    { key: "vmrssKb", header: "RES", numeric: true, text: (r) => formatBytes(Number(r.vmrssKb) * 1024), title: "resident set size" },
    { key: "fdlimit", header: "FDLIMIT", numeric: true },
    { key: "command", header: "CMD" },
  ],
};

/** What each table lists, for an empty one. */
export const STATE_NOUN: Record<StateKind, string> = {
  lsof: "open file descriptors",
  netstat: "network connections",
  ps: "processes",
};

/** sysdig's common.lua format_bytes: "%.2f" of the exact quotient, ties rounded up (LuaJIT). */
export function formatBytes(val: number): string {
  const units: [number, string][] = [[1024 ** 5, "P"], [1024 ** 4, "T"], [1024 ** 3, "G"], [1024 ** 2, "M"], [1024, "KB"]];
  for (const [d, unit] of units) {
    if (val > d) {
      const n = BigInt(Math.trunc(val)) * 100n;
      const D = BigInt(d);
      let q = n / D;
      if (2n * (n - q * D) >= D) q += 1n;
      const s = q.toString().padStart(3, "0");
      return `${s.slice(0, -2)}.${s.slice(-2)}${unit}`;
    }
  }
  return `${Math.trunc(val)}B`;
}
