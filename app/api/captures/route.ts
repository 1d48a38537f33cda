import { listCaptures } from "../../../server/api/captures-api";
import { answer } from "../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// No POST here: the HTTP server answers uploads before Next sees them (server/http/upload-route.ts),
// because a route handler's request body is held in memory whole.
export function GET(): Promise<Response> {
  return answer(() => listCaptures());
}
