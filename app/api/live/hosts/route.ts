import { getHosts } from "../../../../server/live/live-api";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (req: Request) => getHosts(req);
