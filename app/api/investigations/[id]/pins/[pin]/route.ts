import { deletePin, updatePin } from "../../../../../../server/api/investigations-api";
import { answer } from "../../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string; pin: string }> };

export async function PATCH(req: Request, { params }: Ctx): Promise<Response> {
  const { id, pin } = await params;
  return answer(() => updatePin(id, pin, req));
}

export async function DELETE(_req: Request, { params }: Ctx): Promise<Response> {
  const { id, pin } = await params;
  return answer(() => deletePin(id, pin));
}
