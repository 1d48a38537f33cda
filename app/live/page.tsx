import { LiveWorkbench } from "../../components/live/live-workbench";

// Hosts and sessions change all the time: nothing here can be prerendered.
export const dynamic = "force-dynamic";

export default function LivePage() {
  return <LiveWorkbench />;
}
