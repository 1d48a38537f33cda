// Worker entry point: loads the TypeScript worker through tsx (workers do not inherit the
// loader that runs the main thread).
import { register } from "tsx/esm/api";
register();
await import("./packet-writer-worker.ts");
