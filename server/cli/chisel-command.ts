// `casefile chisel NAME FILE [ARG...] [--filter F] [--pc] [-A|-x|-X|-b]`: what
// `sysdig -r FILE -c NAME ARG... F` prints (with --pc, what `sysdig -pc ...` prints; -A/-x/-X/-b
// print buffers as sysdig's flags of those names do); `casefile chisel` lists the chisels, then
// casefile's own views (errors), which sysdig has no chisel for.

import { ChiselArgError, ChiselError, type BufferFormat, type Chisel } from "../core/chisels/chisel";
import { CHISELS } from "../core/chisels/index";
import { chiselDriver, type ChiselDriver } from "../core/chisels/run";
import { FilterError } from "../core/filter/parser";
import { readCaptureFile } from "../ingest/capture-stream";
import { hostServices } from "../ingest/host-services";
import { BufferedOut, fail } from "./output";
import { readOptions } from "./options";

const USAGE = "usage: casefile chisel NAME FILE [ARG...] [--filter F] [--pc] [-A|-x|-X|-b]";

/** sysdig's buffer flags: -A ascii only, -x hex, -X hex and ascii, -b base64. */
const BUFFER_FLAGS: Record<string, BufferFormat> = { "-A": "ascii", "-x": "hex", "-X": "hexascii", "-b": "base64" };

function synopsis(c: Chisel): string {
  return [c.name, ...c.args.map((a) => (a.optional ? `[${a.name.toUpperCase()}]` : a.name.toUpperCase()))].join(" ");
}

/** Heads the views of casefile's own in the list: `casefile chisel NAME` runs them like the
 *  others, but sysdig has no chisel by their names, so they are not "as sysdig -c NAME". */
export const OWN_VIEWS_HEADING = "casefile's own views (sysdig has no chisel by these names):";

export function chiselList(): string[] {
  const all = [...CHISELS.values()];
  const width = Math.max(...all.map((c) => synopsis(c).length)) + 2;
  const line = (c: Chisel) => `${synopsis(c).padEnd(width)}${c.description}`;
  const own = all.filter((c) => c.casefileView);
  return [...all.filter((c) => !c.casefileView).map(line), ...(own.length ? ["", OWN_VIEWS_HEADING, ...own.map(line)] : [])];
}

export async function chiselCommand(args: string[]): Promise<number> {
  const o = readOptions(args, { values: ["filter"], flags: ["--pc", ...Object.keys(BUFFER_FLAGS)] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const filter = o.values.get("filter");
  const printContainer = o.flags.includes("--pc");
  // The last buffer flag given wins.
  const bufferFlag = o.flags.filter((f) => f !== "--pc").pop();
  const bufferFormat: BufferFormat | undefined = bufferFlag === undefined ? undefined : BUFFER_FLAGS[bufferFlag];
  const [name, file, ...chiselArgs] = o.positional;
  const out = new BufferedOut(process.stdout);
  if (name === undefined) {
    for (const l of chiselList()) out.line(l);
    await out.flush();
    return 0;
  }
  const chisel = CHISELS.get(name);
  if (!chisel) return fail(`no chisel named ${JSON.stringify(name)} (\`casefile chisel\` lists them)`);
  if (file === undefined) return fail(`${USAGE}\n  ${synopsis(chisel)}: ${chisel.description}`);

  let driver: ChiselDriver;
  try {
    driver = chiselDriver(chisel, chiselArgs, { filter, printContainer, bufferFormat, services: hostServices() });
  } catch (e) {
    if (e instanceof FilterError || e instanceof ChiselArgError) return fail(e.message);
    throw e;
  }
  let readError: Error | undefined;
  try {
    readError = (await readCaptureFile(file, driver.handler)).error;
    // sysdig runs on_capture_end on a damaged file too, then reports the damage.
    for (const l of driver.finish().lines) out.line(l);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ChiselError) {
      for (const l of e.lines) out.line(l);
      await out.flush();
      return fail(e.message);
    }
    if (err.code === "ENOENT") return fail(`${file}: no such file`);
    throw e;
  }
  await out.flush();
  if (readError) return fail(`${file}: ${readError.message}`);
  return 0;
}
