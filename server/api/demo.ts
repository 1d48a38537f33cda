// The demo capture: on a fresh data folder (no captures, never offered the demo; and unless
// CASEFILE_DEMO=off), `casefile serve` ingests
// public/demo/demo.scap.gz (recorded by scripts/record-demo.sh with Casefile's own collector)
// and keeps public/demo/demo.profile linked to it, so that a first start has something to
// open. Once offered, never again: a user who deleted it does not see it come back.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "./store-types";
import { Profiles } from "./profiles";

export const DEMO_NAME = "demo: keepalived gap, EADDRINUSE, forked worker, tty password";
export const DEMO_PROFILE_NAME = "demo: CPU profile of keepalived";

/** Ingests the demo into a data folder that never had it; returns its capture id, or undefined
 *  when there is nothing to do (offered before, or no demo files in this installation). */
export async function offerDemo(store: Store, dataDir: string, projectRoot: string): Promise<string | undefined> {
  const scap = join(projectRoot, "public/demo/demo.scap.gz");
  const profile = join(projectRoot, "public/demo/demo.profile");
  if (!existsSync(scap)) return undefined;
  const profiles = new Profiles(dataDir);
  try {
    if (profiles.meta("demo_offered") !== undefined) return undefined;
    // Marked first: a start that dies half-way does not ingest it twice. A folder that already
    // holds captures is not a first start: it is left as it is, now and later.
    const fresh = store.listCaptures().length === 0;
    profiles.setMeta("demo_offered", fresh ? new Date().toISOString() : "not offered: the folder had captures");
    if (!fresh) return undefined;
    const id = await store.ingestFile(scap, DEMO_NAME);
    const c = store.getCapture(id);
    if (!c || c.status !== "ready") throw new Error(`the demo capture ${scap} did not ingest: ${c?.error ?? "unknown error"}`);
    if (existsSync(profile)) profiles.add(profile, DEMO_PROFILE_NAME, id);
    return id;
  } finally {
    profiles.close();
  }
}
