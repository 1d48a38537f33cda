import { captureChisel } from "../../../../../../server/api/chisels-api";
import { answer } from "../../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string; name: string }> };

export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  const { id, name } = await params;
  return answer(() => captureChisel(id, name, new URL(req.url).searchParams, req.signal));
}
