// What the packet decoders give: a tree of layers (for the detail pane and the bytes view) and a
// flat summary (for the packet list, the store's columns, filters, conversations and findings).
//
// Field names are tshark's display-filter names (ip.src, tcp.flags, icmp.mtu ...) so that the
// filter language, the detail pane and the differential test against tshark speak one language.
// A field may occur more than once in a packet (tunnels: the outer and inner ip.src; an ICMP
// error: the quoted ip.src), in layer order, as tshark's `-T fields` lists them.

export type FieldValue = string | number | bigint | boolean;

export interface Field {
  /** tshark's field name, e.g. "ip.src", "tcp.flags.syn". */
  name: string;
  value: FieldValue;
  /** Byte offset in the frame's data and length in bytes of what the value was read from (for
   *  highlighting in the bytes view); bit fields give their byte(s). */
  offset: number;
  length: number;
}

export interface Layer {
  /** tshark's protocol name: "eth", "vlan", "sll", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6",
   *  "arp", "vrrp", "dns", "gre", "vxlan", "geneve", "data" ... */
  name: string;
  offset: number;
  length: number;
  fields: Field[];
}

export interface DecodedPacket {
  /** Empty when the packet was decoded without its layers (decodePacket's `layers: false`, the
   *  fast path of ingest). */
  layers: Layer[];
  /** The network source and destination as tshark's Source/Destination columns show them: the
   *  innermost IP header's addresses (a tunnelled packet shows its inner ones, as tshark does),
   *  else the link layer's addresses (ARP shows its MAC addresses in tshark too), else "". */
  src: string;
  dst: string;
  /** tshark's Protocol column: the highest protocol decoded ("TCP", "UDP", "ICMP", "DNS",
   *  "VRRP", "ARP", "IPv4", "IPv6" ...). */
  proto: string;
  /** The 5-tuple of the innermost transport (the one the src/dst addresses belong to). An ICMP
   *  error's quoted header is not it: that is `icmpQuoted`. */
  sport?: number;
  dport?: number;
  /** IP protocol number of the innermost IP header's payload (6 TCP, 17 UDP, 1 ICMP ...). */
  ipProto?: number;
  /** 4 or 6: the innermost IP header's version. */
  ipVersion?: 4 | 6;
  /** TCP flags, 12 bits as tshark's tcp.flags (0x002 SYN, 0x010 ACK ...). */
  tcpFlags?: number;
  tcpSeq?: number;
  tcpAck?: number;
  /** The window field as sent (not scaled). */
  tcpWin?: number;
  /** TCP payload length (tshark's tcp.len). */
  tcpLen?: number;
  /** Window scale option (SYN only), MSS option. */
  tcpWs?: number;
  tcpMss?: number;
  /** ICMP or ICMPv6 type and code (of the innermost ICMP header). */
  icmpType?: number;
  icmpCode?: number;
  /** The MTU of an ICMP frag-needed (type 3 code 4) or ICMPv6 packet-too-big (type 2). */
  icmpMtu?: number;
  /** The flow an ICMP error quotes (its inner IP header + 8 bytes). */
  icmpQuoted?: { src: string; dst: string; ipProto: number; sport?: number; dport?: number };
  vrrpVrid?: number;
  vrrpPriority?: number;
  /** Advertisement interval in centiseconds (v3) or seconds × 100 (v2), so both are comparable. */
  vrrpIntervalCs?: number;
  dnsId?: number;
  /** tshark's Info column, approximately (what each protocol's summary says); "" for a
   *  plainTcpInfo segment decoded without `tcpInfoText` (decodePacket). */
  info: string;
  /** The Info column is a TCP segment's plain summary, tcpInfo (tcp.ts) of its ports, tcpFlags,
   *  tcpSeq, tcpAck, tcpWin and tcpLen: no option words, no protocol above TCP. */
  plainTcpInfo: boolean;
  /** Why the packet could not be decoded whole (it was decoded as far as it went). */
  malformed?: string;
}

/** Link types (LINKTYPE_ values of pcap and pcapng). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  /** DLT_RAW on some BSDs: the link type values 12 and 14 were written as raw IP by old files. */
  RAW_12: 12,
  RAW_14: 14,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
