// The per-process context shared by the custom server and the route handlers.
//
// Next bundles route handlers separately from the server that starts them, so a plain module
// variable would exist twice (once per bundle). A globalThis slot is the one place both see, and
// it keeps route handlers from opening their own database.

import type { Store } from "./store-types";

export interface ServerContext {
  store: Store;
  dataDir: string;
  /** Upload size limit in bytes. */
  maxUpload: number;
  /** Sends a JSON message to every connected WebSocket client. */
  broadcast(message: object): void;
  /** Live sessions and their collectors (server/live/live-hub.ts); absent in tests that do not
   *  start a server. */
  live?: import("../live/live-hub").LiveHub;
}

const SLOT = Symbol.for("casefile.serverContext");

type Slot = { [SLOT]?: ServerContext };

export function setContext(ctx: ServerContext | undefined): void {
  (globalThis as Slot)[SLOT] = ctx;
}

export function getContext(): ServerContext {
  const ctx = (globalThis as Slot)[SLOT];
  if (!ctx) throw new Error("Casefile server context missing: start the app with `casefile serve`, not `next start`");
  return ctx;
}

export function getStore(): Store {
  return getContext().store;
}

export function getContextOrUndefined(): ServerContext | undefined {
  return (globalThis as Slot)[SLOT];
}
