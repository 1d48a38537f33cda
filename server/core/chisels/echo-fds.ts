// echo_fds (sysdig 0.29.3's chisels/echo_fds.lua): for every successful read or write, a
// "------ Read 832B from /etc/passwd (cat)" header in red (reads) or blue (writes), then the
// data itself: the chisel's event formatter "%evt.arg.data", printed by sysdig after on_event,
// in the buffer format of sysdig's -A / -x / -X / -b flags (options.bufferFormat). A formatter
// without a leading '*' prints nothing for an event whose field is NULL: an I/O exit without a
// data parameter gets its header only. With -pc the header names the container too.

import { ChiselArgError, type Chisel, type ChiselOptions, type ChiselRun } from "./chisel";
import { bufferText } from "./buffers";
import { printLines, requestField, terminal } from "./lua-common";
import { formatBytes } from "./lua-format";
import { paramIndexTable } from "../events/param-tables";
import type { ParamIndex } from "../events/params";

const P_DATA = paramIndexTable("data");

export const echoFds: Chisel = {
  name: "echo_fds",
  description: "Print the data read and written by processes.",
  args: [{ name: "disable_color", description: "Set to 'disable_color' if you want to disable color output", optional: true }],
  start(args: readonly string[], opts: ChiselOptions = {}): ChiselRun {
    if (args.length > 1) throw new ChiselArgError(`too many parameters for chisel echo_fds, 0 required, 1 optional, ${args.length} given`);
    // on_set_arg disables colors only for this exact word.
    const t = terminal(args[0] !== "disable_color");
    const isRead = requestField("evt.is_io_read");
    const res = requestField("evt.rawarg.res");
    const fdName = requestField("fd.name");
    const procName = requestField("proc.name");
    const containerName = requestField("container.name");
    const containerId = requestField("container.id");
    const fmt = opts.bufferFormat ?? "normal";
    const lines: string[] = [];
    // string.format's %s of a nil is "nil" in LuaJIT.
    const s = (v: unknown) => (v === undefined ? "nil" : String(v));
    // The chisel's event formatter, "%evt.arg.data", which sysdig prints after on_event.
    const printData = (type: number, p: ParamIndex) => {
      const i = P_DATA[type];
      if (i >= 0 && p.has(i)) printLines(lines, bufferText(p.bytes(i), fmt));
    };

    return {
      filter: "evt.is_io=true and evt.dir=< and evt.rawres>0",
      event(ctx, ev, _num, _thread, p) {
        // The filter's evt.rawres>0 leaves out the Lua's checks for a nil or non-positive res.
        const bytes = res(ctx) as number;
        const name = (fdName(ctx) as string | undefined) ?? "<NA>";
        const pname = s(procName(ctx));
        let container = "";
        if (opts.printContainer) {
          const cname = containerName(ctx);
          container = `${cname === "host" ? t.green : t.cyan} [${s(cname)}] [${s(containerId(ctx))}]`;
        }
        const color = isRead(ctx) ? t.red : t.blue;
        const namePname = `${color} ${name} (${pname})`;
        printLines(lines, isRead(ctx)
          ? `${t.red}------ Read ${formatBytes(bytes)} from ${container} ${namePname}`
          : `${t.blue}------ Write ${formatBytes(bytes)} to ${container} ${namePname}`);
        printData(ev.type, p);
      },
      end() {
        printLines(lines, t.reset);
        return { lines };
      },
    };
  },
};
