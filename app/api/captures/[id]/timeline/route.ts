import { captureTimeline } from "../../../../../server/api/analyses-api";
import { captureGet } from "../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = captureGet(captureTimeline);
