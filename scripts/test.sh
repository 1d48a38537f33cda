#!/usr/bin/env bash
# Every test: unit and differential tests (against sysdig), a benchmark smoke run, then the
# workbench built and driven end to end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC NEXT_TELEMETRY_DISABLED=1

echo "== unit and differential tests"
mapfile -t unit < <(find server db bench components -name '*.test.ts' | sort)
node --import tsx --test --test-reporter=spec "${unit[@]}"

echo "== benchmark smoke run"
node --import tsx bench/ingest.ts --smoke

echo "== end to end (next build, then Chromium)"
npx next build >/dev/null
mapfile -t e2e < <(find e2e -name '*.test.ts' | sort)
if [ ${#e2e[@]} -gt 0 ]; then node --import tsx --test --test-reporter=spec "${e2e[@]}"; fi
