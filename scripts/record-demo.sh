#!/usr/bin/env bash
# Records the demo capture (public/demo/demo.scap.gz) and its CPU profile (public/demo/
# demo.profile) on this machine, with Casefile's own collector (`casefile record`) and profiler
# (`casefile profile`), by replaying the seed stories with the actors of scripts/demo/scenario.c:
#
#   - keepalived sends a VRRP-like heartbeat (UDP sendmsg) every second, and once stalls for 5 s
#     in burn_cpu_hot_loop (the time gap; the profile shows the function);
#   - stale-httpd holds 127.0.0.1:$HTTP_PORT, so httpd's bind fails with EADDRINUSE (lsof at
#     that event shows the holder);
#   - worker-pool forks a worker and moves it into a cgroup v2 of its own;
#   - mysql reads a password from a pty (run under script(1)) with echo off.
#
# Root (BPF). Usage: scripts/record-demo.sh [OUT_DIR]   (default public/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-public/demo}
HB_PORT=${HB_PORT:-5112}
HTTP_PORT=${HTTP_PORT:-18080}
[ "$(id -u)" = 0 ] || { echo "record-demo: run as root (the collector and the profiler load BPF programs)" >&2; exit 1; }
make -s -C bpf

work=$(mktemp -d /tmp/casefile-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${CG:-}" ] && rmdir "$CG" 2>/dev/null || true
  [ -n "${CGV1:-}" ] && rmdir "$CGV1" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One binary, hard-linked under each actor's name (a process's comm is the name it was run as).
# clang: gcc 12 gives leaf functions no frame even with -fno-omit-frame-pointer, which hides the
# hot function's caller in the profile.
clang -O1 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-inline -o "$work/scenario" scripts/demo/scenario.c
for role in keepalived stale-httpd httpd worker-pool mysql; do ln "$work/scenario" "$work/$role"; done

# The worker's cgroup, in the cgroup v2 hierarchy (the unified one of a hybrid set-up too).
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CG2" ] || { echo "record-demo: no cgroup v2 hierarchy mounted" >&2; exit 1; }
CG="$CG2/casefile-demo-$$"
mkdir "$CG"
# On a hybrid host the exec event's cgroups parameter names the v1 controllers' groups: the
# worker goes into a v1 pids group too, so that the capture shows it.
CG1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)pids(,|$)/ { print $2; exit }' /proc/mounts)
CGS=("$CG")
if [ -n "$CG1" ]; then CGV1="$CG1/casefile-demo-$$"; mkdir "$CGV1"; CGS+=("$CGV1"); fi

if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; then
  echo "record-demo: 127.0.0.1:$HTTP_PORT is taken: set HTTP_PORT" >&2
  exit 1
fi

# The collector's recording, with only the scenario's processes in its /proc snapshot and
# without blocks sysdig cannot read (scripts/demo/record.ts says why).
node --import tsx scripts/demo/record.ts -w "$work/demo.scap" --names keepalived,stale-httpd,httpd,worker-pool,mysql 2>"$work/record.log" &
rec=$!
pids+=("$rec")
for _ in $(seq 600); do
  grep -q "recording to" "$work/record.log" && break
  kill -0 "$rec" 2>/dev/null || { cat "$work/record.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "recording to" "$work/record.log" || { echo "record-demo: the recording did not start" >&2; cat "$work/record.log" >&2; exit 1; }
echo "record-demo: recording" >&2

# The actors run with a clean environment: their execve events carry it into the capture.
# (An array, not a function: `env` execs the actor, so $! is the actor's pid.)
run=(env -i PATH=/usr/bin:/bin HOME=/root TERM=xterm LANG=C.UTF-8)

# keepalived: 16 beats, stuck before the 10th (the profiler needs a few seconds to start).
"${run[@]}" "$work/keepalived" "$HB_PORT" 16 10 &
ka=$!
pids+=("$ka")
bin/casefile profile --duration 22s --pid "$ka" -o "$work/demo.profile" 2>"$work/profile.log" &
prof=$!
pids+=("$prof")

sleep 2
"${run[@]}" "$work/stale-httpd" "$HTTP_PORT" 8 &
pids+=("$!")
sleep 1
"${run[@]}" "$work/httpd" "$HTTP_PORT" || echo "record-demo: httpd failed to start, as the story wants" >&2
sleep 1
"${run[@]}" "$work/worker-pool" "${CGS[@]}"
sleep 1
# script(1) gives mysql a pty as its terminal; the password comes once it has asked.
(sleep 1; printf 'hunter2\n'; sleep 1) | "${run[@]}" script -qec "$work/mysql -u root -p" /dev/null >/dev/null || true

wait "$ka"
wait "$prof" || { cat "$work/profile.log" >&2; exit 1; }
sleep 1
kill -INT "$rec"
wait "$rec" || { cat "$work/record.log" >&2; exit 1; }
cat "$work/record.log" "$work/profile.log" >&2

mkdir -p "$OUT"
gzip -9 -n -c "$work/demo.scap" > "$OUT/demo.scap.gz"
cp "$work/demo.profile" "$OUT/demo.profile"
ls -l "$OUT/demo.scap.gz" "$OUT/demo.profile" >&2
