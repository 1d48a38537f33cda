#!/usr/bin/env bash
# Installs what Casefile needs and is missing: Debian packages (the sysdig and tshark oracles,
# luajit (the Lua the table chisels' ordering is checked against), chromium for the browser
# tests, GNU time for the benchmarks, the BPF toolchain for the collector) and the npm packages.
# iproute2: the seed-story scripts (scripts/seeds/) build their networks in namespaces with ip.
# linux-perf: the oracle of the perf script importer (perf record, script and report).
# strace: bench/collector.ts compares the live collector's cost with strace -f.
# lsof: collector/proc-snapshot.test.ts checks the recorded fd lists against lsof(8).
# Every program a test or script runs must have its package here: a fresh Debian machine with
# only node and npm must pass `npm test`.
# Run by `npm start` and `npm test`; quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(sysdig tshark tcpdump luajit time chromium clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool make gcc g++ python3 libsqlite3-dev netbase iproute2 linux-perf binutils strace lsof)

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: as root run: apt-get install -y ${missing[*]}" >&2
    echo "setup: (not Debian? install sysdig 0.29.x, tshark 4.0, chromium, clang, libbpf, bpftool by your package manager)" >&2
    exit 1
  fi
elif ! command -v dpkg >/dev/null 2>&1; then
  for c in sysdig tshark luajit chromium clang bpftool; do
    command -v "$c" >/dev/null 2>&1 || { echo "setup: this is not Debian: please install $c (see README)" >&2; exit 1; }
  done
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi
# better-sqlite3 compiles from source here (no prebuilt download): make sure it loads.
if ! node -e "new (require('better-sqlite3'))(':memory:')" >/dev/null 2>&1; then
  echo "setup: building better-sqlite3" >&2
  npm rebuild better-sqlite3 >&2
fi

# The collector's BPF programs and loader, and the CPU profiler (bpf/Makefile): vmlinux.h comes
# from this kernel's BTF, so they are built here, not shipped.
if [ -r /sys/kernel/btf/vmlinux ]; then
  make -s -C bpf >&2
else
  echo "setup: this kernel has no BTF (/sys/kernel/btf/vmlinux): the live collector cannot be built" >&2
fi

# The bundled command line (see scripts/build-cli.sh).
bash scripts/build-cli.sh
