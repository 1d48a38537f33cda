#!/usr/bin/env python3
"""A tiny VRRP master: sends VRRPv2 advertisements (IP protocol 112, TTL 255, to 224.0.0.18)
every INTERVAL seconds from a raw socket, as keepalived does, and stalls once, for STALL seconds
after advert number STALL_AFTER, as the load balancer of seed story 000 did when its VM's CPU was
taken away: the backup then hears nothing for several intervals and takes the address over.

usage: vrrp-sender.py --vrid N --count N [--interval S] [--stall-after N --stall S]
"""
import argparse, socket, struct, sys, time

def checksum(b: bytes) -> int:
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF); s += s >> 16
    return ~s & 0xFFFF

def advert(vrid: int, prio: int, interval: int, vips: list) -> bytes:
    # RFC 3768: version 2, type 1 (advertisement), vrid, priority, count of addresses,
    # auth type 0, advertisement interval (s), checksum, the addresses, 8 bytes of auth data.
    body = struct.pack("!BBBBBBH", 0x21, vrid, prio, len(vips), 0, interval, 0)
    body += b"".join(socket.inet_aton(v) for v in vips) + b"\0" * 8
    return body[:6] + struct.pack("!H", checksum(body)) + body[8:]

def main() -> int:
    a = argparse.ArgumentParser()
    a.add_argument("--vrid", type=int, default=51)
    a.add_argument("--count", type=int, required=True)
    a.add_argument("--interval", type=float, default=1.0)
    a.add_argument("--stall-after", type=int, default=-1)
    a.add_argument("--stall", type=float, default=0.0)
    a.add_argument("--vip", default="192.168.205.100")
    o = a.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    pkt = advert(o.vrid, 100, max(1, round(o.interval)), [o.vip])
    for i in range(o.count):
        s.sendto(pkt, ("224.0.0.18", 0))
        time.sleep(o.interval + (o.stall if i == o.stall_after else 0.0))
    return 0

if __name__ == "__main__":
    sys.exit(main())
