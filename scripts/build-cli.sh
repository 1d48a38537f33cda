#!/usr/bin/env bash
# Bundles the command line and the ingest worker into dist/ with esbuild, so `casefile` starts
# without compiling TypeScript on every run (bin/casefile falls back to tsx when dist/ is older
# than the sources).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist.tmp
node_modules/.bin/esbuild bin/casefile.ts server/ingest/sqlite-writer-worker.ts \
  --bundle --platform=node --format=esm --target=node20 --packages=external \
  --outdir=dist.tmp --entry-names='[name]' --out-extension:.js=.mjs --log-level=warning
cp -r db/migrations dist.tmp/migrations
rm -rf dist && mv dist.tmp dist
