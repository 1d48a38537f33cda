// The packet oracle: tshark 4.0 (Debian) on a capture file, one row of fields per packet, and
// the same fields from our readers and decoders, compared packet by packet. Used by the
// differential test (server/core/packets/tshark.diff.test.ts) and by `bench/packets.ts`.
//
// tshark runs with name resolution off (-n) and IP/IPv6 defragmentation off, so that what a
// packet shows depends on that packet alone: a first fragment decodes its transport header, a
// later one does not (with reassembly on, the transport fields move to the last fragment).
// A field that occurs several times in one packet (a tunnel's outer and inner ip.src, an ICMP
// error's quoted ip.src and ports) is compared as the whole list, in order (-E occurrence=a).

import { spawn } from "node:child_process";
import { decodePacket } from "../core/packets/decode";
import { readPacketFile } from "../ingest/packet-stream";
import { requireTool } from "./oracle";

export const COMPARED_FIELDS = [
  "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport",
  "udp.dstport", "ip.proto", "tcp.flags", "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code",
] as const;

export const TSHARK_OPTIONS = ["-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"];

export function requireTshark(): void {
  requireTool("tshark", ["--version"], /TShark \(Wireshark\) 4\.0\./, "tshark 4.0 (Debian)");
}

/** One packet as either side sees it: its number, time in ns since the epoch, and the
 *  compared fields (each a comma-joined list, "" when absent). */
export interface PacketFields {
  num: number;
  tsNs: bigint;
  fields: Record<string, string>;
}

export interface TsharkRun {
  packets: PacketFields[];
  status: number;
  stderr: string;
}

/** tshark's answer for one file. Its exit status is kept, not thrown: tshark prints the packets
 *  it could read from a damaged file, then fails, and those packets are still its answer. */
export function tsharkFields(file: string): Promise<TsharkRun> {
  requireTshark();
  const args = ["-r", file, ...TSHARK_OPTIONS, "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t",
    "-e", "frame.number", "-e", "frame.time_epoch", ...COMPARED_FIELDS.flatMap((f) => ["-e", f])];
  return new Promise((resolve, reject) => {
    const child = spawn("tshark", args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new Error(`tshark ${args.join(" ")} could not run: ${e.message}`)));
    child.on("close", (status, signal) => {
      if (status === null) return reject(new Error(`tshark on ${file} was killed by ${signal}`));
      const packets: PacketFields[] = [];
      for (const line of Buffer.concat(out).toString("utf8").split("\n")) {
        if (line === "") continue;
        const cols = line.split("\t");
        const fields: Record<string, string> = {};
        COMPARED_FIELDS.forEach((f, i) => { fields[f] = cols[i + 2] ?? ""; });
        packets.push({ num: Number(cols[0]), tsNs: epochToNs(cols[1]), fields });
      }
      resolve({ packets, status, stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** "1497606301.394037000" (or negative, or fewer digits) → ns, exactly. More than 9 digits
 *  after the point is tshark printing a record's nanosecond field as it was, a second or more
 *  (timestamp_invalid_nano.pcap: "1418145370.1000000000"): the value is still seconds plus
 *  that many nanoseconds. */
export function epochToNs(s: string): bigint {
  const neg = s.startsWith("-");
  const [sec, frac = ""] = (neg ? s.slice(1) : s).split(".");
  const fracNs = frac.length > 9 ? BigInt(frac) : BigInt((frac + "000000000").slice(0, 9));
  const ns = BigInt(sec || "0") * 1_000_000_000n + fracNs;
  return neg ? -ns : ns;
}

/** tshark's text for a field value (tcp.flags as 0x0002, the rest as plain decimals/text). */
function fieldText(name: string, v: unknown): string {
  if (name === "tcp.flags") return `0x${(v as number).toString(16).padStart(4, "0")}`;
  return String(v);
}

/** Our answer for one file: every packet read and decoded, the same fields. */
export async function ourFields(file: string): Promise<{ packets: PacketFields[]; error?: string }> {
  const packets: PacketFields[] = [];
  const wanted = new Set<string>(COMPARED_FIELDS);
  const o = await readPacketFile(file, {
    onPacket: (p) => {
      const d = decodePacket(p);
      const lists: Record<string, string[]> = {};
      for (const l of d.layers) {
        for (const f of l.fields) {
          if (wanted.has(f.name)) (lists[f.name] ??= []).push(fieldText(f.name, f.value));
        }
      }
      const fields: Record<string, string> = {};
      for (const f of COMPARED_FIELDS) fields[f] = lists[f]?.join(",") ?? "";
      packets.push({ num: p.num, tsNs: p.tsNs, fields });
    },
    onError: () => {},
  });
  return { packets, error: o.error?.message };
}

export interface FileComparison {
  file: string;
  tshark: number;
  ours: number;
  /** Packets both read whose time and every compared field agree. */
  agree: number;
  /** Packets compared (both sides read them). */
  compared: number;
  /** What differed, by category ("count", "time", a field name), with an example each. */
  diffs: Map<string, { count: number; example: string }>;
}

export function compareFields(file: string, theirs: PacketFields[], ours: PacketFields[]): FileComparison {
  const diffs = new Map<string, { count: number; example: string }>();
  const note = (cat: string, example: string) => {
    const e = diffs.get(cat);
    if (e) e.count++;
    else diffs.set(cat, { count: 1, example });
  };
  const name = file.split("/").pop()!;
  const n = Math.min(theirs.length, ours.length);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const t = theirs[i];
    const o = ours[i];
    let same = true;
    if (t.num !== o.num) { note("frame.number", `${name} #${i + 1}: tshark ${t.num}, ours ${o.num}`); same = false; }
    if (t.tsNs !== o.tsNs) { note("frame.time_epoch", `${name} #${t.num}: tshark ${t.tsNs}, ours ${o.tsNs}`); same = false; }
    for (const f of COMPARED_FIELDS) {
      if (t.fields[f] !== o.fields[f]) {
        note(f, `${name} #${t.num}: tshark "${t.fields[f]}", ours "${o.fields[f]}"`);
        same = false;
      }
    }
    if (same) agree++;
  }
  if (theirs.length !== ours.length) {
    note("packet count", `${name}: tshark ${theirs.length}, ours ${ours.length}`);
    diffs.get("packet count")!.count = Math.abs(theirs.length - ours.length);
  }
  return { file, tshark: theirs.length, ours: ours.length, agree, compared: n, diffs };
}
