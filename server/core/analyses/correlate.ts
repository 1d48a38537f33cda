// Lining up a syscall capture with a packet capture of the same host: a socket's syscalls
// (connect, sendto/sendmsg, recvfrom ..., whose fd names the 5-tuple as sysdig prints it,
// `cip:cport->sip:sport`) and the packets of that 5-tuple, in either direction, that fall in
// the socket's lifetime. Both recordings come from one host's clock, so times compare directly;
// the slack covers packets that leave after the syscall returns (a FIN, a retransmission) and
// the two recorders starting apart.
//
// A 5-tuple is used again over time (port reuse): a connection matches only the conversations
// whose span overlaps its own, widened by the slack; of several, all are returned, nearest first.

export interface Endpoints {
  /** "tcp" | "udp" (sysdig's fd.l4proto), or the IP protocol number. */
  proto: "tcp" | "udp";
  aAddr: string;
  aPort: number;
  bAddr: string;
  bPort: number;
}

/** A socket of the syscall capture: its tuple and the span of its events (ns since epoch). */
export interface SyscallConnection extends Endpoints {
  firstTs: bigint;
  lastTs: bigint;
}

/** A conversation of the packet capture. */
export interface PacketConversation extends Endpoints {
  id: number;
  firstTs: bigint;
  lastTs: bigint;
}

/** One end `addr:port`, sysdig's way (IPv6 addresses are not bracketed: the port follows the
 *  last colon). */
function splitEnd(s: string): { addr: string; port: number } | undefined {
  const i = s.lastIndexOf(":");
  if (i <= 0) return undefined;
  const port = Number(s.slice(i + 1));
  if (!/^[0-9]+$/.test(s.slice(i + 1)) || port > 65535) return undefined;
  return { addr: s.slice(0, i), port };
}

/** A socket fd's name as sysdig prints it (`10.0.0.1:40000->10.0.0.2:80`) → its tuple; undefined
 *  for anything else (a file, a unix socket, a listening socket without a peer). */
export function parseFdTuple(name: string, proto: "tcp" | "udp"): Endpoints | undefined {
  const arrow = name.indexOf("->");
  if (arrow < 0) return undefined;
  const a = splitEnd(name.slice(0, arrow)), b = splitEnd(name.slice(arrow + 2));
  if (!a || !b) return undefined;
  return { proto, aAddr: a.addr, aPort: a.port, bAddr: b.addr, bPort: b.port };
}

const PROTO_NUMBERS = { tcp: 6, udp: 17 } as const;

/** The tuple as one key, the same whichever end is written first. */
export function tupleKey(e: Endpoints): string {
  const x = `${e.aAddr}|${e.aPort}`, y = `${e.bAddr}|${e.bPort}`;
  return `${PROTO_NUMBERS[e.proto]}/${x < y ? `${x}/${y}` : `${y}/${x}`}`;
}

/** How far apart two spans are (0 when they overlap). */
function distance(a: { firstTs: bigint; lastTs: bigint }, b: { firstTs: bigint; lastTs: bigint }): bigint {
  if (a.lastTs < b.firstTs) return b.firstTs - a.lastTs;
  if (b.lastTs < a.firstTs) return a.firstTs - b.lastTs;
  return 0n;
}

/** The default slack: one second either side. */
export const CORRELATION_SLACK_NS = 1_000_000_000n;

/** The conversations of a connection's tuple within `slackNs` of its span, nearest first. */
export function conversationsOf<C extends PacketConversation>(conn: SyscallConnection, convs: readonly C[], slackNs = CORRELATION_SLACK_NS): C[] {
  const key = tupleKey(conn);
  return convs
    .filter((c) => tupleKey(c) === key && distance(c, conn) <= slackNs)
    .sort((x, y) => {
      const d = distance(x, conn) - distance(y, conn);
      return d < 0n ? -1 : d > 0n ? 1 : x.id - y.id;
    });
}

/** The reverse: the connections a conversation belongs to, nearest first. */
export function connectionsOf<S extends SyscallConnection>(conv: PacketConversation, conns: readonly S[], slackNs = CORRELATION_SLACK_NS): S[] {
  const key = tupleKey(conv);
  return conns
    .filter((c) => tupleKey(c) === key && distance(c, conv) <= slackNs)
    .sort((x, y) => {
      const d = distance(x, conv) - distance(y, conv);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
}

/** A packet's conversation tuple from its summary fields (TCP and UDP only). */
export function packetEndpoints(p: { ipProto?: number; src: string; dst: string; sport?: number; dport?: number }): Endpoints | undefined {
  if ((p.ipProto !== 6 && p.ipProto !== 17) || p.sport === undefined || p.dport === undefined) return undefined;
  return { proto: p.ipProto === 6 ? "tcp" : "udp", aAddr: p.src, aPort: p.sport, bAddr: p.dst, bPort: p.dport };
}

/** The sysdig filter that selects a connection's syscalls in a syscall capture: its sockets by
 *  tuple, whichever end is the client (both ends' processes, when both are on this host), and,
 *  given a span, only events within it (evt.rawtime, ns). */
export function syscallFilterFor(e: Endpoints, span?: { firstTs: bigint; lastTs: bigint }): string {
  const side = (cip: string, cport: number, sip: string, sport: number) =>
    `(fd.cip=${cip} and fd.cport=${cport} and fd.sip=${sip} and fd.sport=${sport})`;
  const tuple = `fd.l4proto=${e.proto} and (${side(e.aAddr, e.aPort, e.bAddr, e.bPort)} or ${side(e.bAddr, e.bPort, e.aAddr, e.aPort)})`;
  return span ? `${tuple} and evt.rawtime>=${span.firstTs} and evt.rawtime<=${span.lastTs}` : tuple;
}

/** The packet filter that selects a connection's packets, either direction. */
export function packetFilterFor(e: Endpoints): string {
  const ip = e.aAddr.includes(":") ? "ipv6.addr" : "ip.addr";
  return `${ip}=${e.aAddr} and ${ip}=${e.bAddr} and ${e.proto}.port=${e.aPort} and ${e.proto}.port=${e.bPort}`;
}
