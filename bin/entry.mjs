// Running a program or a worker from the esbuild bundle in dist/ (scripts/build-cli.sh, run by
// the npm start / npm test set-up) when the bundle is newer than every source file, otherwise
// from the TypeScript sources through tsx, so that an edit is never run stale. A worker thread
// does not inherit the main thread's loader, and loading tsx in it cost ~120 ms before its first
// batch (the packet ingest's reading thread waited for it): a fresh bundle starts in ~20 ms.

import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|sql|mjs|c)$/.test(e.name) && !e.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs dist/`bundled` when it is fresh, else the TypeScript module `source` (a URL or path). */
export async function runEntry(bundled, source) {
  const bundle = join(ROOT, "dist", bundled);
  const fresh = existsSync(bundle) &&
    statSync(bundle).mtimeMs >= Math.max(...["bin", "server", "db", "collector"].map((d) => newestSource(join(ROOT, d))));
  if (fresh) {
    await import(bundle);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import(source);
  }
}
