import { postStop } from "../../../../../../server/live/live-api";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return postStop((await params).id);
}
