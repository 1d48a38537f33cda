#!/usr/bin/env bash
# TCP trouble for the findings (Wireshark's expert info) to find, recorded with tcpdump on the
# receiver's side of a veth link between two network namespaces:
# - the receiver's ingress drops one in seven data segments at random (drop-some.bpf.c, a tc BPF
#   program: this kernel has no netem): duplicate ACKs, fast retransmissions, out-of-order
#   (a first connection, 500 kB read at once; the recording keeps 128 bytes of each packet);
# - on a second connection the receiver stops reading for 1.5 s with a small receive buffer:
#   zero windows, window probes, window updates; then it closes with SO_LINGER 0: a reset.
# Usage (root): scripts/seeds/tcp-trouble.sh OUT.pcap
set -euo pipefail
out=${1:?usage: tcp-trouble.sh OUT.pcap}
[ "$(id -u)" = 0 ] || { echo "tcp-trouble.sh: needs root (network namespaces)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
tag=cftt$$
C=${tag}c S=${tag}s
cleanup() {
  [ -n "${dump:-}" ] && kill "$dump" 2>/dev/null && wait "$dump" 2>/dev/null
  [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
  for n in $C $S; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
clang -O2 -target bpf -I"/usr/include/$(gcc -print-multiarch)" -c "$here/drop-some.bpf.c" -o "$tmp/drop.o"
for n in $C $S; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add ${tag}x type veth peer name ${tag}y
ip link set ${tag}x netns $C; ip link set ${tag}y netns $S
ip -n $C link set ${tag}x name eth0; ip -n $S link set ${tag}y name eth0
ip -n $C addr add 10.77.0.1/24 dev eth0; ip -n $S addr add 10.77.0.2/24 dev eth0
ip -n $C link set eth0 up; ip -n $S link set eth0 up
# Segments as the wire carries them (no GSO super-packets), so the drops hit single segments.
ip -n $C link set eth0 gso_max_size 1500 2>/dev/null || true
# Dropped on the receiver's ingress, not the sender's egress: TCP hears of a local drop and
# sends again at once, with nothing lost on the wire. tcpdump's tap sits before tc ingress, so
# the recording holds the dropped segment, then the receiver's duplicate ACKs and the resend.
tc -n $S qdisc add dev eth0 clsact
tc -n $S filter add dev eth0 ingress bpf da obj "$tmp/drop.o" sec tc

ip netns exec $S python3 -c '
import socket, struct, time
def listener(port, rcvbuf=None):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("10.77.0.2", port)); s.listen(1)
    return s
def drain(c, limit):
    n = 0
    while n < limit:
        b = c.recv(65536)
        if not b: break
        n += len(b)
    return n
a, b = listener(9000), listener(9001, 4096)
# Connection 1: read at once, everything (the drops make losses, dup ACKs, retransmissions).
c, _ = a.accept(); drain(c, 1 << 40); c.close()
# Connection 2: a small buffer not read for 1.5 s (zero window), then reset (SO_LINGER 0).
c, _ = b.accept()
time.sleep(1.5)
drain(c, 100000)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
' &
srv=$!
ip netns exec $S tcpdump -i eth0 -U -s 128 -w "$out" 2>"$tmp/tcpdump.err" &
dump=$!
sleep 1
ip netns exec $C python3 -c '
import socket
c = socket.create_connection(("10.77.0.2", 9000), timeout=10)
c.sendall(b"x" * 500000); c.close()
c = socket.create_connection(("10.77.0.2", 9001), timeout=10)
try:
    c.sendall(b"y" * 200000)
    c.recv(10)
except OSError as e:
    print("client, as planned:", e)
'
sleep 0.5
kill -INT "$dump"; wait "$dump" || true; dump=; grep -h "dropped" "$tmp/tcpdump.err" >&2 || true
wait "$srv" || true; srv=
