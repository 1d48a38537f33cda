// iobytes, iobytes_file and iobytes_net (sysdig 0.29.3's chisels of those names: the same Lua
// code with a different filter): bytes read and written, printed once a second as
// "21:35:22 in:120 out:64 tot:184".
//
// When that second ends is decided by the events' own timestamps, as sysdig does when reading
// a file (sinsp_chisel::do_timeout, on every event the loop reads: before the chisel's filter,
// and also for events the user's filter drops): the first event only fixes the current second;
// a later event whose second (ts - ts % 1e9) differs from the current one, even an earlier
// second, calls on_interval before the event itself is counted. So each line shows the time of
// the event that opened the new second, with the totals of the events before it; seconds
// without events print nothing, and the totals of the last second are never printed.
//
// A user filter that drops the events before the first one it accepts makes sysdig's
// on_interval call evt.field() with no event yet: sysdig stops there with an error.

import { ChiselArgError, ChiselError, type Chisel, type ChiselRun } from "./chisel";
import { requestField } from "./lua-common";
import { luaNumber } from "./lua-format";
import { timeOfDay } from "../events/local-time";
import type { RawEvent } from "../formats/scap/reader";

const NS_PER_S = 1_000_000_000n;

function secondOf(ev: RawEvent): bigint {
  return ((BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo)) / NS_PER_S;
}

function ioBytesChisel(name: string, description: string, filter: string): Chisel {
  return {
    name,
    description,
    args: [],
    start(args: readonly string[]): ChiselRun {
      if (args.length > 0) throw new ChiselArgError(`too many parameters for chisel ${name}, 0 required, 0 optional, ${args.length} given`);
      const res = requestField("evt.rawarg.res");
      const isRead = requestField("evt.is_io_read");
      const lines: string[] = [];
      const rows: (string | number)[][] = [];
      let tot = 0, totin = 0, totout = 0;
      let current: bigint | undefined;
      // sysdig's "sievt": set by the first event that reaches the chisel itself.
      let hasEvent = false;

      return {
        filter,
        tick(ev, passed) {
          if (passed) hasEvent = true;
          const sec = secondOf(ev);
          if (current === undefined) {
            current = sec;
            return;
          }
          if (sec === current) return;
          if (!hasEvent) {
            throw new ChiselError(`invalid call to evt.field()\n${name} chisel error: calling on_interval() failed:C++ exception`, lines);
          }
          const time = timeOfDay(ev.tsHi, ev.tsLo).slice(0, 8);
          lines.push(`${time} in:${luaNumber(totin)} out:${luaNumber(totout)} tot:${luaNumber(tot)}`);
          rows.push([time, totin, totout, tot]);
          tot = totin = totout = 0;
          current = sec;
        },
        event(ctx) {
          const bytes = res(ctx);
          if (typeof bytes !== "number" || !(bytes > 0)) return;
          tot += bytes;
          if (isRead(ctx)) totin += bytes;
          else totout += bytes;
        },
        end() {
          return { lines, table: { columns: ["time", "in", "out", "tot"], rows } };
        },
      };
    },
  };
}

export const iobytes = ioBytesChisel("iobytes", "Sum of I/O bytes on any type of FD", "evt.is_io=true");
export const iobytesFile = ioBytesChisel("iobytes_file", "Sum of file I/O bytes", "evt.is_io=true and fd.type=file");
export const iobytesNet = ioBytesChisel("iobytes_net", "Show total network I/O bytes", "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)");
