// Worker entry point of scripts/fuzz.ts: loads it through tsx (workers do not inherit the
// loader that runs the main thread).
import { register } from "tsx/esm/api";
register();
await import("./fuzz.ts");
