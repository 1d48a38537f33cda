import { captureExport } from "../../../../../server/api/export-api";
import { captureGet } from "../../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = captureGet(captureExport);
