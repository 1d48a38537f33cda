import { captureFindings } from "../../../../../server/api/packets-api";
import { captureGet } from "../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = captureGet(captureFindings);
