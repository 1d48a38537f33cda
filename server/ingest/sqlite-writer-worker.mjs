// Worker entry point: the bundled worker when dist/ is fresh, else the TypeScript one through tsx
// (bin/entry.mjs). Bundled builds (scripts/build-cli.sh) replace this file in dist/ with the
// compiled worker.
import { runEntry } from "../../bin/entry.mjs";

await runEntry("sqlite-writer-worker.mjs", new URL("./sqlite-writer-worker.ts", import.meta.url).href);
