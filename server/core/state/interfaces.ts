// The capture's network interface list, as sysdig's sinsp_network_interfaces keeps it, and the
// one thing the state engine asks of it: a socket tuple that a datagram call left with an empty
// local or remote address is completed with an interface address (update_fd), so that
// `sendto` on an unbound UDP socket shows as `192.168.1.2:5000->8.8.8.8:53`, and an IPv6
// datagram socket talking to ::1 as `::1:0->::1:2345`, not `0.0.0.0:...` or `:::0`.
// Addresses are kept as sysdig compares them: IPv4 as the u32 read from the network-order bytes,
// IPv6 as 16 bytes. Pure: no I/O.

import type { InterfaceEntry } from "../formats/scap/blocks";
import { ipv4FromU32, ipv6At } from "../events/net";

export interface Interfaces {
  v4: { addr: number; netmask: number }[];
  v6: Uint8Array[];
}

export function emptyInterfaces(): Interfaces {
  return { v4: [], v6: [] };
}

export function interfacesFrom(list: readonly InterfaceEntry[]): Interfaces {
  const out = emptyInterfaces();
  for (const i of list) {
    if (i.family === 4) out.v4.push({ addr: (i.addr as number) >>> 0, netmask: (i.netmask as number) >>> 0 });
    else out.v6.push((i.addr as Uint8Array).slice(0, 16));
  }
  return out;
}

/** 127.0.0.1 as the u32 of its network-order bytes. */
const LOOPBACK_V4 = 0x0100007f;
const LOOPBACK_V6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/** The u32 of a dotted IPv4 text's network-order bytes (as ipv4FromU32 prints it back). */
export function ipv4ToU32(text: string): number {
  const p = text.split(".").map(Number);
  return ((p[0] & 255) | ((p[1] & 255) << 8) | ((p[2] & 255) << 16) | ((p[3] & 255) << 24)) >>> 0;
}

/** The 16 bytes of an IPv6 text as ipv6At writes it (hex words, "::", or ::ffff:a.b.c.d). */
export function ipv6ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) {
    out[10] = out[11] = 0xff;
    mapped[1].split(".").forEach((x, i) => (out[12 + i] = Number(x)));
    return out;
  }
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => parseInt(w, 16)));
  const gap = text.indexOf("::");
  let all: number[];
  if (gap >= 0) {
    const head = words(text.slice(0, gap));
    const rest = words(text.slice(gap + 2));
    all = [...head, ...new Array(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    all = words(text);
  }
  all.forEach((w, i) => {
    out[2 * i] = (w >> 8) & 255;
    out[2 * i + 1] = w & 255;
  });
  return out;
}

const same16 = (a: Uint8Array, b: Uint8Array) => a.every((x, i) => x === b[i]);
const isEmpty16 = (a: Uint8Array) => a.every((x) => x === 0);

/** sinsp_network_interfaces::infer_ipv4_address: the interface the address is, or the first on
 *  its subnet, or the first that is not the loopback; 0 when none. */
function inferV4(ifs: Interfaces, dest: number): number {
  for (const i of ifs.v4) if (i.addr === dest) return i.addr;
  for (const i of ifs.v4) if (((i.addr & i.netmask) >>> 0) === ((dest & i.netmask) >>> 0)) return i.addr;
  for (const i of ifs.v4) if (i.addr !== LOOPBACK_V4) return i.addr;
  return 0;
}

/** infer_ipv6_address: the same, a subnet being the first 64 bits. */
function inferV6(ifs: Interfaces, dest: Uint8Array): Uint8Array {
  for (const a of ifs.v6) if (same16(a, dest)) return a;
  for (const a of ifs.v6) if (a.subarray(0, 8).every((x, i) => x === dest[i])) return a;
  for (const a of ifs.v6) if (!same16(a, LOOPBACK_V6)) return a;
  return new Uint8Array(16);
}

/** An IPv4 tuple (addresses as text) with an empty end filled in from the interfaces, as
 *  sysdig's update_fd does after a datagram call changed the tuple. */
export function completeV4(ifs: Interfaces, t: { sip: string; sport: number; dip: string; dport: number }): void {
  const sip = ipv4ToU32(t.sip), dip = ipv4ToU32(t.dip);
  if (sip !== 0 && dip !== 0) return;
  if (sip === 0) {
    const found = inferV4(ifs, dip);
    // A socket talking to itself (the same address and port) is left as it is.
    if (found === dip && t.sport === t.dport) return;
    t.sip = ipv4FromU32(found);
  } else {
    const found = inferV4(ifs, sip);
    if (found === sip && t.sport === t.dport) return;
    t.dip = ipv4FromU32(found);
  }
}

/** The same for an IPv6 tuple. */
export function completeV6(ifs: Interfaces, t: { sip: string; sport: number; dip: string; dport: number }): void {
  const sip = ipv6ToBytes(t.sip), dip = ipv6ToBytes(t.dip);
  if (!isEmpty16(sip) && !isEmpty16(dip)) return;
  if (isEmpty16(sip)) {
    const found = inferV6(ifs, dip);
    if (same16(found, dip) && t.sport === t.dport) return;
    t.sip = ipv6At(found, 0);
  } else {
    const found = inferV6(ifs, sip);
    if (same16(found, sip) && t.sport === t.dport) return;
    t.dip = ipv6At(found, 0);
  }
}
