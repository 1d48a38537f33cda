import { createLink, listLinks } from "../../../server/api/investigations-api";
import { answer } from "../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request): Promise<Response> {
  return answer(() => listLinks(req));
}

export function POST(req: Request): Promise<Response> {
  return answer(() => createLink(req));
}
