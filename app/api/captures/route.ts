import { listCaptures, uploadCapture } from "../../../server/api/captures-api";
import { answer } from "../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(): Promise<Response> {
  return answer(() => listCaptures());
}

export function POST(req: Request): Promise<Response> {
  return answer(() => uploadCapture(req));
}
