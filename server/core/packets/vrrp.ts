// VRRP (IP protocol 112): version 2 (RFC 3768: advertisement interval in seconds) and 3 (RFC
// 5798: in centiseconds); virtual router id, priority, address count. The interval is given in
// centiseconds for both, so that gaps between adverts compare across versions.

import type { Dissection } from "./dissection";

export function decodeVrrp(d: Dissection, off: number, end: number): void {
  d.layer("vrrp", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("VRRP", "");
    d.malformed("vrrp", `${end - off} bytes, shorter than a VRRP header`, off);
    return;
  }
  const vt = d.u8(off);
  const version = vt >> 4;
  const type = vt & 0xf;
  const vrid = d.u8(off + 1);
  const prio = d.u8(off + 2);
  const count = d.u8(off + 3);
  d.field("vrrp.version", version, off, 1);
  d.field("vrrp.type", type, off, 1);
  d.field("vrrp.virt_rtr_id", vrid, off + 1, 1);
  d.field("vrrp.prio", prio, off + 2, 1);
  d.field("vrrp.addr_count", count, off + 3, 1);
  let intervalCs: number;
  if (version === 3) {
    intervalCs = d.u16(off + 4) & 0x0fff;
    d.field("vrrp.short_adver_int", intervalCs, off + 4, 2);
  } else {
    intervalCs = d.u8(off + 5) * 100;
    d.field("vrrp.auth_type", d.u8(off + 4), off + 4, 1);
    d.field("vrrp.adver_int", d.u8(off + 5), off + 5, 1);
  }
  d.field("vrrp.checksum", d.u16(off + 6), off + 6, 2);
  if (!d.quoted) {
    d.out.vrrpVrid = vrid;
    d.out.vrrpPriority = prio;
    d.out.vrrpIntervalCs = intervalCs;
  }
  d.column("VRRP", `${type === 1 ? "Announcement" : `Unknown type ${type}`} (v${version})`);
  if (version !== 2 && version !== 3) d.malformed("vrrp", `version ${version}, not 2 or 3`, off);
}
