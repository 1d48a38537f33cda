// The chisels part of the HTTP API: GET /api/captures/:id/chisels/:name?arg=A&arg=B&filter=F
// (&pc=1 for sysdig's -pc; &buffers=ascii|hex|hexascii|base64 for -A/-x/-X/-b) → {lines, table?}: what `sysdig -r FILE -c NAME A B F` prints, run
// over the capture's kept original file. Route handlers call this and nothing else.

import type { BufferFormat } from "../core/chisels/chisel";
import { getContext } from "./context";
import { ApiError, isErrorNamed, json } from "./http-json";
import { filterParam, MAX_TEXT, noSuchCapture } from "./query-params";

const MAX_ARGS = 16;
const BUFFER_FORMATS: readonly BufferFormat[] = ["normal", "ascii", "hex", "hexascii", "base64"];

export async function captureChisel(id: string, name: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const args = params.getAll("arg");
  if (args.length > MAX_ARGS) throw new ApiError(400, `at most ${MAX_ARGS} arguments`, "arg");
  if (args.some((a) => a.length > MAX_TEXT)) throw new ApiError(400, `an argument longer than ${MAX_TEXT} characters`, "arg");
  const filter = filterParam(params);
  const pc = params.get("pc");
  const printContainer = pc === "1" || pc === "true";
  const buffers = params.get("buffers") ?? "normal";
  if (!BUFFER_FORMATS.includes(buffers as BufferFormat)) {
    throw new ApiError(400, `buffers: one of ${BUFFER_FORMATS.join(", ")}`, "buffers");
  }
  try {
    // In a query worker: a chisel reads the whole kept file (stopped with its request or budget).
    const out = await getContext().store.query("chisel", [id, name, args, { filter, printContainer, bufferFormat: buffers as BufferFormat }], { signal });
    if (!out) throw noSuchCapture(id);
    return json(out);
  } catch (e) {
    if (isErrorNamed(e, "UnknownChisel")) throw new ApiError(404, e.message, "name");
    if (isErrorNamed(e, "FilterError")) throw new ApiError(400, e.message, "filter");
    if (isErrorNamed(e, "ChiselArgError")) throw new ApiError(400, e.message, "arg");
    if (isErrorNamed(e, "ChiselError")) throw new ApiError(422, e.message, "chisel");
    if (isErrorNamed(e, "CaptureFileMissing")) throw new ApiError(409, e.message, "id");
    throw e;
  }
}
