#!/usr/bin/env bash
# Seed story "the flapping load balancer" (../shared/seeds/000), reproduced on this machine: a
# VRRP master (scripts/seeds/vrrp-sender.py: IP protocol 112 to 224.0.0.18, one advert a second,
# as keepalived sends them) that stalls once for several intervals, recorded with tcpdump from the
# backup's side of a veth link in its own network namespaces. `casefile gaps OUT --filter vrrp.vrid=51
# --min 3s` must find the stall, as tcpdump showed the gaps in the story.
# Usage (root): scripts/seeds/vrrp-stall.sh OUT.pcap [COUNT] [STALL_AFTER] [STALL_SECONDS]
set -euo pipefail
out=${1:?usage: vrrp-stall.sh OUT.pcap [COUNT] [STALL_AFTER] [STALL_SECONDS]}
count=${2:-10} after=${3:-4} stall=${4:-4.5}
[ "$(id -u)" = 0 ] || { echo "vrrp-stall.sh: needs root (network namespaces)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tag=cfvr$$
M=${tag}m B=${tag}b
cleanup() {
  [ -n "${dump:-}" ] && kill "$dump" 2>/dev/null && wait "$dump" 2>/dev/null
  for n in $M $B; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT
for n in $M $B; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add ${tag}x type veth peer name ${tag}y
ip link set ${tag}x netns $M; ip link set ${tag}y netns $B
ip -n $M link set ${tag}x name eth0; ip -n $B link set ${tag}y name eth0
ip -n $M addr add 192.168.205.8/24 dev eth0; ip -n $B addr add 192.168.205.9/24 dev eth0
ip -n $M link set eth0 up; ip -n $B link set eth0 up
ip -n $M route add 224.0.0.0/4 dev eth0
ip netns exec $B tcpdump -i eth0 -U -s 0 -w "$out" 2>/dev/null &
dump=$!
sleep 1
ip netns exec $M python3 "$here/vrrp-sender.py" --vrid 51 --count "$count" --stall-after "$after" --stall "$stall"
sleep 0.3
kill -INT "$dump"; wait "$dump" || true; dump=
