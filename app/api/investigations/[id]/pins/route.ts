import { addPin } from "../../../../../server/api/investigations-api";
import { answer } from "../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export async function POST(req: Request, { params }: Ctx): Promise<Response> {
  const { id } = await params;
  return answer(() => addPin(id, req));
}
