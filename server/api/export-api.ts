// GET /api/captures/:id/export.scap?filter=F: the capture's kept file (its header blocks and the
// events F accepts) as a .scap that sysdig -r reads, streamed as it is read: a slow client holds
// the reading back, one that goes away stops it.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { getContext } from "./context";
import { ApiError } from "./http-json";
import { filterParam, noSuchCapture, withFilterErrors } from "./query-params";
import { exportPredicate, exportScap } from "./scap-export";

export async function captureExport(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const { store, dataDir } = getContext();
  const c = store.getCapture(id);
  if (!c) throw noSuchCapture(id);
  const filter = filterParam(params);
  const predicate = await withFilterErrors(() => exportPredicate(filter));
  const file = join(dataDir, "captures", `${id}.capture`);
  if (c.status === "error" || !existsSync(file)) {
    throw new ApiError(409, `capture ${id} has no kept capture file to export (status ${c.status})`, "id");
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const stopped = new Error("the client went away");
  exportScap(file, predicate, async (b) => {
    await writer.ready;
    await writer.write(b);
  }, {
    afterChunk: async () => {
      if (signal?.aborted) throw stopped;
    },
  }).then(
    // A damaged file: the blocks before the damage were sent; the stream ends there.
    () => writer.close(),
    (e: unknown) => writer.abort(e).catch(() => {}),
  );
  const name = `${c.name.replace(/\.(scap|gz)$/g, "").replace(/[^\w.-]+/g, "_") || id}${filter ? ".filtered" : ""}.scap`;
  return new Response(readable, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
