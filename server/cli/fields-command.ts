// `casefile fields`: the filter fields casefile evaluates, listed as `sysdig -l` lists them
// (class header, then each field with its description wrapped at 120 columns).

import { FIELD_CLASSES, type FieldClass, type FieldInfo } from "../core/filter/fields";
import { PACKET_FIELD_CLASSES } from "../core/filter/packet-fields";
import { BufferedOut } from "./output";

const RIGHT = 30;
const WIDTH = 120;

/** A name in the left column and a text wrapped into the right one, as sysdig lays them out
 *  (a name too long for its column gets a line of its own). */
function entry(name: string, text: string): string {
  let out = name.length >= RIGHT ? `${name}\n${" ".repeat(RIGHT)}` : name.padEnd(RIGHT);
  let col = RIGHT;
  for (const w of text.split(" ")) {
    if (col + w.length >= WIDTH && col > RIGHT) {
      out += `\n${" ".repeat(RIGHT)}`;
      col = RIGHT;
    }
    out += `${w} `;
    col += w.length + 1;
  }
  return out;
}

export function fieldText(f: FieldInfo): string {
  return entry(f.name, f.filterOnly ? `(FILTER ONLY) ${f.description}` : f.description);
}

export function classText(c: FieldClass, fields: readonly FieldInfo[]): string {
  return [
    "-------------------------------",
    `${"Field Class:".padEnd(RIGHT)}${c.title}`,
    entry("Description:", c.description),
    "",
    ...fields.map(fieldText),
    "",
  ].join("\n");
}

/** The listing: the fields we evaluate, in sysdig's order. */
export function fieldsListing(): string {
  return FIELD_CLASSES.map((c) => classText(c, c.fields.filter((f) => f.supported && f.listed))).join("\n");
}

/** The packet fields (pcap, pcapng): tshark's names, in sysdig's filter language. Listed after
 *  sysdig's, under their own heading, since they filter packet captures only. */
export function packetFieldsListing(): string {
  return [
    "===============================",
    "Packet fields (pcap, pcapng captures: tshark's names, sysdig's operators)",
    "",
    ...PACKET_FIELD_CLASSES.map((c) => classText(c, c.fields)),
  ].join("\n");
}

export async function fieldsCommand(): Promise<number> {
  const out = new BufferedOut(process.stdout);
  out.line(fieldsListing());
  out.line(packetFieldsListing());
  await out.flush();
  return 0;
}
