import type { NextRequest } from "next/server";
import { captureEvents } from "../../../../../server/api/captures-api";
import { answer } from "../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(req: NextRequest, { params }: Ctx): Promise<Response> {
  const { id } = await params;
  return answer(() => captureEvents(id, req.nextUrl.searchParams));
}
