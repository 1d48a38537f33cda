// `casefile export FILE|ID -w OUT.scap [FILTER]`: a capture (a file, or a capture of the store
// by its id) written out as a .scap that sysdig -r reads: its header blocks and the events the
// filter accepts, each block copied as it was (see core/filter/filtered-export.ts).

import { createWriteStream, existsSync } from "node:fs";
import { join } from "node:path";
import { FilterError } from "../core/filter/parser";
import { exportPredicate, exportScap } from "../api/scap-export";
import { readOptions } from "./options";
import { fail } from "./output";

const USAGE = "usage: casefile export FILE|CAPTURE_ID -w OUT.scap [FILTER]";

export async function exportCommand(args: string[]): Promise<number> {
  // -w as sysdig spells it (and --w); the shared reader knows only double-dash options.
  const o = readOptions(args.map((a) => (a === "-w" ? "--w" : a)), { values: ["w"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const [src, filter, extra] = o.positional;
  const out = o.values.get("w");
  if (!src || !out || extra !== undefined) return fail(USAGE);
  const file = existsSync(src) ? src
    : /^[0-9a-f]{16}$/.test(src) ? join(process.env.CASEFILE_DATA || "./data", "captures", `${src}.capture`)
    : src;
  if (!existsSync(file)) return fail(`${src}: no such file or capture id (captures are looked up in ${process.env.CASEFILE_DATA || "./data"})`);
  let predicate;
  try {
    predicate = exportPredicate(filter);
  } catch (e) {
    if (e instanceof FilterError) return fail(e.message);
    throw e;
  }
  const stream = out === "-" ? process.stdout : createWriteStream(out);
  const write = (b: Uint8Array) => new Promise<void>((ok, ko) => {
    stream.write(b, (e) => (e ? ko(e) : ok()));
  });
  const r = await exportScap(file, predicate, write);
  if (stream !== process.stdout) await new Promise<void>((ok) => stream.end(() => ok()));
  process.stderr.write(`${r.events} events, ${r.bytes} bytes${out === "-" ? "" : ` written to ${out}`}\n`);
  if (r.error) return fail(`${src}: ${r.error}; the events before the damage were written`);
  return 0;
}
