import { getSessions, postSession } from "../../../../server/live/live-api";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = () => getSessions();
export const POST = (req: Request) => postSession(req);
