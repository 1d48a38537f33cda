#!/usr/bin/env bash
# Seed story "200 ms delays after IPIP tunnelling" (../shared/seeds/001), reproduced on this
# machine: a client sends TCP data with DF set (Linux's default path MTU discovery) through a
# router whose next hop has an MTU of 1480, the MTU an IPIP tunnel leaves (1500 - 20 bytes of
# outer header). The router answers the first full-size segments with ICMP "fragmentation needed"
# (type 3 code 4) carrying next-hop MTU 1480, and the client resends smaller segments.
# This kernel has no ipip module, so the 1480 hop is a plain veth link with that MTU: to the
# sender the ICMP message is the same one IPVS sends in the story.
#
#   client ns  c0 10.148.1.2/24 (1500) --- r0 10.148.1.1/24 (1500)  router ns
#   router ns  r1 10.148.2.1/24 (1480) --- s0 10.148.2.2/24 (1500)  server ns
#
# The server's own interface keeps 1500, as the real server behind the tunnel did: it advertises
# MSS 1460, so the client's full segments (1500 bytes) meet the 1480 hop only at the router.
#
# tcpdump records on the client's interface (what the sender saw, as in the story).
# Usage (root): scripts/seeds/mtu-1480.sh OUT.pcap
set -euo pipefail
out=${1:?usage: mtu-1480.sh OUT.pcap}
[ "$(id -u)" = 0 ] || { echo "mtu-1480.sh: needs root (network namespaces)" >&2; exit 2; }
tag=cfmtu$$
C=${tag}c R=${tag}r S=${tag}s
cleanup() {
  [ -n "${dump:-}" ] && kill "$dump" 2>/dev/null && wait "$dump" 2>/dev/null
  [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
  for n in $C $R $S; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT
# IPv6 off: its neighbour discovery and listener reports would only add noise to the recording.
for n in $C $R $S; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
# veth names are per namespace once moved; create them with unique names, then rename.
ip link add ${tag}a type veth peer name ${tag}b
ip link add ${tag}d type veth peer name ${tag}e
ip link set ${tag}a netns $C; ip link set ${tag}b netns $R
ip link set ${tag}d netns $R; ip link set ${tag}e netns $S
ip -n $C link set ${tag}a name c0; ip -n $R link set ${tag}b name r0
ip -n $R link set ${tag}d name r1; ip -n $S link set ${tag}e name s0
ip -n $R link set r1 mtu 1480
ip -n $C addr add 10.148.1.2/24 dev c0; ip -n $R addr add 10.148.1.1/24 dev r0
ip -n $R addr add 10.148.2.1/24 dev r1; ip -n $S addr add 10.148.2.2/24 dev s0
for l in "$C c0" "$R r0" "$R r1" "$S s0"; do set -- $l; ip -n "$1" link set "$2" up; done
# The client's segments go out at the full 1500 bytes: no GSO super-packets in the recording
# (the capture shows what the wire carries), and no cached path MTU from an earlier run.
ip -n $C link set c0 gso_max_size 1500 2>/dev/null || true
ip -n $C route add default via 10.148.1.1; ip -n $S route add default via 10.148.2.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
ip netns exec $C sysctl -qw net.ipv4.ip_no_pmtu_disc=0

ip netns exec $S python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.148.2.2", 8080)); s.listen(1)
c, _ = s.accept()
n = 0
while True:
    b = c.recv(65536)
    if not b: break
    n += len(b)
c.sendall(b"got %d\n" % n); c.close()
' &
srv=$!
ip netns exec $C tcpdump -i c0 -U -s 0 -w "$out" 2>/dev/null &
dump=$!
sleep 1
ip netns exec $C python3 -c '
import socket, time
c = socket.create_connection(("10.148.2.2", 8080), timeout=5)
for i in range(4):
    c.sendall(b"x" * 8000); time.sleep(0.1)
c.shutdown(socket.SHUT_WR)
print(c.recv(100).decode().strip())
'
sleep 0.5
kill -INT "$dump"; wait "$dump" || true; dump=
wait "$srv" || true; srv=
