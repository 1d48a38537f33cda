#!/usr/bin/env bash
# Every test: the type check, unit and differential tests (against sysdig), a benchmark smoke
# run, then the workbench built and driven end to end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC NEXT_TELEMETRY_DISABLED=1

# The differential tests are only as good as their oracle: without sysdig 0.29.x they would have
# nothing to compare with, so the run stops here with one line instead of failing in a hundred
# places (the oracle helpers also refuse to run without it: server/testing/oracle.ts).
if ! command -v sysdig >/dev/null 2>&1; then
  echo "npm test: sysdig (0.29.3) is not on PATH; run scripts/setup.sh or apt-get install sysdig" >&2
  exit 1
fi
sysdig_version=$(sysdig --version 2>/dev/null || true)
case "$sysdig_version" in
  *" 0.29."*) ;;
  *) echo "npm test: sysdig 0.29.3 is required (the oracle), found: ${sysdig_version:-a sysdig that does not answer --version}" >&2; exit 1 ;;
esac

echo "== type check"
npx tsc --noEmit

echo "== unit and differential tests"
mapfile -t unit < <(find server db bench components collector bpf -name '*.test.ts' 2>/dev/null | sort)
node --import tsx --test --test-reporter=spec "${unit[@]}"

echo "== benchmark smoke run"
node --import tsx bench/ingest.ts --smoke
# The live collector's (about 30 s, root: the BPF programs, the loop bare, under the floor and
# under our loader, into a file and into SQLite) and the packet ingest's (50,000 packets beside
# tshark, a few seconds).
node --import tsx bench/collector.ts --smoke
node --import tsx bench/packets.ts --smoke

echo "== end to end (next build, then Chromium)"
npx next build >/dev/null
# The load benchmark's smoke run serves the workbench: it needs the build.
node --import tsx bench/load.ts --smoke
# The UI benchmark's smoke run (Chromium on a 50,000-event capture, about 30 s): the timeline's
# brush, zoom and the table's scrolling run through once.
node --import tsx bench/ui.ts --smoke
mapfile -t e2e < <(find e2e -name '*.test.ts' | sort)
if [ ${#e2e[@]} -gt 0 ]; then node --import tsx --test --test-reporter=spec "${e2e[@]}"; fi
