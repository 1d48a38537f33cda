import { profileText } from "../../../../server/api/profile-api";
import { captureGet } from "../../../../server/api/http-json";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = captureGet((id, params) => profileText(id, params));
