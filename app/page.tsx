import { CapturesWorkbench } from "../components/captures/captures-workbench";
import { getStore } from "../server/api/context";

// The list comes from the store on every request; nothing here can be prerendered.
export const dynamic = "force-dynamic";

export default function HomePage() {
  return <CapturesWorkbench initial={getStore().listCaptures()} />;
}
