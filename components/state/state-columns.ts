// The columns of sysdig's lsof, netstat and ps chisels, over the rows the server sends
// (server/core/state/tables.ts: LsofRow, NetstatRow, PsRow). Headers are the chisels' own, so
// that the table reads like the command's output.

import { formatBytes } from "../../server/core/chisels/lua-format";
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

