// The store's flame graphs, one question for every source: the syscall time of a stored capture
// (SQL over its events where the filter compiles, its kept file replayed with sysdig's predicate
// where it does not), a section of a stored profile (the kept text, parsed once per query
// thread), and the differential of any two of them (Gregg's difffolded: widths from the second,
// `base`, the first). Profiles are stored here too: an upload or `casefile ingest` of a text
// file the stack importers recognise becomes a catalog entry of format "profile" whose kept
// file is the text itself (no events database).

import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { Db } from "../../db/open-db";
import { diffTree, treeFromFolded, treeToJson, type FlameTree } from "../core/analyses/flame-tree";
import { sniffStacks, SNIFF_CHARS, sectionTotal, type Profile } from "../core/formats/stacks/index";
import { fileSyscallTime } from "../ingest/file-syscall-time";
import { contentHead } from "../ingest/capture-kind";
import { sniffCapture } from "../core/formats/sniff";
import { baseTs } from "./capture-meta";
import { FilterError, filterCondition, planFilter } from "./filter-condition";
import { pickSection, readProfileText, syscallFrames, syscallTimeRows, syscallTimeTree, type RelRange, type SyscallTimeRow } from "./flame-query";
import type { CaptureSummary, FlameAnswer, FlameQuery, FlameSide } from "./store-types";
import type { ReplayOptions } from "./replayed-events";

export interface FlameDeps {
  getCapture(id: string): CaptureSummary | undefined;
  captureDb(id: string): Db | undefined;
  keptFile(id: string): string | undefined;
  replay: ReplayOptions;
}

/** Parsed profiles by kept file, a few at most: a query thread answers the same profile's
 *  searches, zooms and diffs without reading it again. */
const profiles = new Map<string, { size: number; profile: Profile }>();

async function storedProfile(file: string): Promise<Profile> {
  const text = await readFile(file, "utf8");
  const hit = profiles.get(file);
  if (hit && hit.size === text.length) return hit.profile;
  const profile = readProfileText(text);
  profiles.set(file, { size: text.length, profile });
  if (profiles.size > 4) profiles.delete(profiles.keys().next().value!);
  return profile;
}

interface Stacks {
  stacks: Map<string, number> | Iterable<[string, number]>;
  unit: "ns" | "samples";
  tree?: FlameTree;
  sections: string[];
  source: string;
  replayed?: boolean;
  approximate?: string[];
}

function foldedOf(rows: readonly SyscallTimeRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = syscallFrames(r).join(";");
    m.set(k, (m.get(k) ?? 0) + r.ns);
  }
  return m;
}

async function side(deps: FlameDeps, q: FlameSide): Promise<Stacks | undefined> {
  const c = deps.getCapture(q.id);
  if (!c || c.status !== "ready") return undefined;
  if (c.format === "profile") {
    const file = deps.keptFile(q.id);
    if (!file) return undefined;
    const p = await storedProfile(file);
    const s = pickSection(p, q.source ?? "");
    return { stacks: s.stacks, unit: s.unit, sections: p.sections.map((x) => x.name), source: s.name };
  }
  if (q.source && q.source !== "syscalls") {
    throw new FilterError(`a capture's flame graph is its syscall time (source=syscalls); ${q.source} is the section of a profile`);
  }
  const plan = planFilter(q.filter);
  const db = deps.captureDb(q.id);
  if (!db) return undefined;
  const base = baseTs(db);
  const range: RelRange = {};
  if (q.from) range.lo = Number(BigInt(q.from) - base);
  if (q.to) range.hi = Number(BigInt(q.to) - base);
  if (plan.sql) {
    const rows = syscallTimeRows(db, plan.sql, range);
    return { stacks: foldedOf(rows), tree: syscallTimeTree(rows), unit: "ns", sections: ["syscalls"], source: "syscalls" };
  }
  const file = deps.keptFile(q.id);
  if (file) {
    const r = await fileSyscallTime(file, plan.predicate, {
      from: q.from ? { abs: BigInt(q.from) } : undefined, to: q.to ? { abs: BigInt(q.to) } : undefined,
    }, deps.replay);
    return { stacks: foldedOf(r.rows), tree: syscallTimeTree(r.rows), unit: "ns", sections: ["syscalls"], source: "syscalls", replayed: true };
  }
  const where = filterCondition(q.filter);
  const rows = syscallTimeRows(db, where, range);
  return { stacks: foldedOf(rows), tree: syscallTimeTree(rows), unit: "ns", sections: ["syscalls"], source: "syscalls", approximate: where.approximate };
}

export async function answerFlame(deps: FlameDeps, q: FlameQuery): Promise<FlameAnswer | undefined> {
  const after = await side(deps, q);
  if (!after) return undefined;
  let tree: FlameTree;
  let baseTotal: number | undefined;
  if (q.base) {
    const before = await side(deps, { ...q, ...q.base });
    if (!before) return undefined;
    if (before.unit !== after.unit) throw new FilterError(`the two sides count different things (${before.unit}, ${after.unit}): compare samples with samples, time with time`);
    const b = [...before.stacks];
    baseTotal = b.reduce((s, [, v]) => s + v, 0);
    tree = diffTree(b, after.stacks, after.unit);
  } else {
    tree = after.tree ?? treeFromFolded(after.stacks, after.unit);
  }
  const a: FlameAnswer = { tree: treeToJson(tree), unit: after.unit, source: after.source, sections: after.sections };
  if (baseTotal !== undefined) a.baseTotal = baseTotal;
  if (after.replayed) a.replayed = true;
  if (after.approximate?.length) a.approximate = after.approximate;
  return a;
}

/** Is this file a text profile (gzip-compressed or not)? Its first characters decide (a
 *  capture starts with binary magic and is never one). */
export async function sniffProfileFile(path: string): Promise<boolean> {
  const c = await contentHead(path);
  if (sniffCapture(c.head, true) !== "unknown") return false;
  const head = c.head.subarray(0, SNIFF_CHARS);
  const s = sniffStacks(new TextDecoder().decode(head), c.whole && head.length === c.head.length);
  return "format" in s && s.format !== undefined;
}

/** The largest text a gzip-compressed profile may inflate to: a profile is read whole into
 *  one string, and V8's strings stop short of 512 MiB. */
export const MAX_PROFILE_TEXT = 256 * 1024 * 1024;

/** Writes a gzip-compressed profile's text to `dest`, refusing one that inflates past
 *  MAX_PROFILE_TEXT (a small upload may inflate to gigabytes). */
export async function inflateProfile(src: string, dest: string): Promise<void> {
  let n = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      if (n > MAX_PROFILE_TEXT) done(new Error(`the profile inflates to more than ${MAX_PROFILE_TEXT / 1024 / 1024} MiB of text`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(src), createGunzip(), limit, createWriteStream(dest));
  } catch (e) {
    await rm(dest, { force: true });
    throw e;
  }
}

/** Reads a profile file whole (the same importer a query uses): its stack count, or throws the
 *  importer's error with its line. */
export async function checkProfileFile(path: string): Promise<{ stacks: number; total: number }> {
  const p = readProfileText(await readFile(path, "utf8"));
  if (p.sections.every((s) => s.stacks.size === 0)) throw new Error("the profile holds no stacks");
  return { stacks: p.sections.reduce((n, s) => n + s.stacks.size, 0), total: p.sections.reduce((n, s) => n + sectionTotal(s), 0) };
}
