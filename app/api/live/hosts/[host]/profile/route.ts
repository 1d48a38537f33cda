import { postLiveProfile } from "../../../../../../server/api/profile-api";
import { answer } from "../../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ host: string }> };

export async function POST(req: Request, { params }: Ctx): Promise<Response> {
  const { host } = await params;
  return answer(() => postLiveProfile(decodeURIComponent(host), req));
}
