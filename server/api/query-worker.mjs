// Worker entry point: loads the TypeScript worker through tsx (workers do not inherit the
// loader that runs the main thread). Bundled builds (scripts/build-cli.sh) replace this file in
// dist/ with the compiled worker.
import { register } from "tsx/esm/api";
register();
await import("./query-worker.ts");
