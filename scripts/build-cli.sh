#!/usr/bin/env bash
# Bundles the command line, the ingest workers (events, packets) and the query worker into dist/ with esbuild (and
# builds the f64rows and query-cancel SQLite extensions), so `casefile` starts
# without compiling TypeScript on every run (bin/casefile falls back to tsx when dist/ is older
# than the sources).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist.tmp
node_modules/.bin/esbuild bin/casefile.ts server/ingest/sqlite-writer-worker.ts server/ingest/packet-writer-worker.ts server/api/query-worker.ts \
  --bundle --splitting --platform=node --format=esm --target=node20 --packages=external \
  --outdir=dist.tmp --entry-names='[name]' --out-extension:.js=.mjs --log-level=warning
cp -r db/migrations dist.tmp/migrations
# The SQLite extension the ingest loads to insert a batch of rows from one BLOB (it falls back
# to bound values without it, about a third slower).
if command -v cc >/dev/null 2>&1 && [ -f /usr/include/sqlite3ext.h ]; then
  cc -O2 -shared -fPIC -Wall -o dist.tmp/f64rows.so db/f64rows.c
  # Lets the server stop a cancelled query's SQLite statement at once (server/api/query-pool.ts).
  cc -O2 -shared -fPIC -Wall -o dist.tmp/query-cancel.so db/query-cancel.c
else
  echo "build-cli: no C compiler or sqlite3ext.h (Debian: libsqlite3-dev): ingest binds values instead, and a cancelled query's SQLite statement runs to its end" >&2
fi
rm -rf dist && mv dist.tmp dist
