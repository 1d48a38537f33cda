import { deleteCapture } from "../../../../server/api/captures-api";
import { answer } from "../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export async function DELETE(_req: Request, { params }: Ctx): Promise<Response> {
  const { id } = await params;
  return answer(() => deleteCapture(id));
}
