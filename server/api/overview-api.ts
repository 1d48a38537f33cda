// GET /api/captures/:id/overview?buckets=B: the overview tiles, computed in a query worker.

import { getContext } from "./context";
import { json } from "./http-json";
import { DEFAULT_OVERVIEW_BUCKETS, MAX_OVERVIEW_BUCKETS } from "./overview";
import { intParam, noSuchCapture } from "./query-params";

export async function captureOverview(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const buckets = intParam(params, "buckets", DEFAULT_OVERVIEW_BUCKETS, 1, MAX_OVERVIEW_BUCKETS);
  const answer = await getContext().store.query("overview", [id, buckets], { signal });
  if (!answer) throw noSuchCapture(id);
  return json(answer);
}
