import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CaptureView } from "../../../components/investigation/capture-view";
import { ProfileView } from "../../../components/flame/profile-view";
import { PacketCaptureView } from "../../../components/packets/packet-capture-view";
import { LinkedProfiles } from "../../../components/live/linked-profiles";
import { bytes, count, dateTimeUtc, duration } from "../../../components/ui/format";
import { readView } from "../../../components/ui/view-url";
import { getStore } from "../../../server/api/context";
import { SHARE_HEADER } from "../../../server/http/share-route";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: `${getStore().getCapture(id)?.name ?? "capture"} · Casefile` };
}

export default async function CapturePage({ params, searchParams }: Props) {
  const { id } = await params;
  // The whole view is in the URL (components/ui/view-url.ts); the table needs its filter and
  // first event from the start, the selection is read on the client.
  const { filter, from } = readView(await searchParams);
  const capture = getStore().getCapture(id);
  if (!capture) notFound();
  // Set by the server (never by the client: it deletes any such header it receives) when the
  // request came on a share link's authority rather than the token's.
  const shareId = (await headers()).get(SHARE_HEADER);
  const link = shareId ? getStore().investigations.getLink(shareId) : undefined;
  const shared = shareId ? { investigation: link?.investigation ?? null } : undefined;
  return (
    <>
      <nav className="crumbs">
        {shared ? <span className="badge shared" title="opened through a share link: read-only, this capture only">shared view · read-only</span> : <Link href="/">← captures</Link>}
      </nav>
      <section className="capture-head">
        <h1>{capture.name}</h1>
        {capture.format === "scap" && capture.status === "ready" && (
          // The kept file as a .scap sysdig reads (a part of it: the API's ?filter=, or
          // casefile export ID -w OUT FILTER).
          <a className="button" href={`/api/captures/${encodeURIComponent(id)}/export.scap`} download data-testid="export-scap">
            export .scap
          </a>
        )}
        <dl>
          <dt title={capture.format === "profile" ? "distinct stacks in the profile" : capture.format === "scap" ? "stored events, including those sysdig does not print" : "packets in the file"}>{capture.format === "profile" ? "stacks" : capture.format === "scap" ? "events" : "packets"}</dt>
          <dd>{count(capture.events)}</dd>
          {/* A profile's stacks carry no timestamps. */}
          {capture.format !== "profile" && (
            <>
              <dt>from</dt>
              <dd>{dateTimeUtc(capture.firstTs)}</dd>
              <dt>to</dt>
              <dd>{dateTimeUtc(capture.lastTs)}</dd>
              <dt>span</dt>
              <dd>{duration(capture.firstTs, capture.lastTs)}</dd>
            </>
          )}
          <dt>size</dt>
          <dd>{bytes(capture.bytes)}</dd>
          <dt>status</dt>
          <dd>
            <span className={`badge ${capture.status}`}>{capture.status}</span>
          </dd>
        </dl>
        {capture.error && <p className={capture.status === "error" ? "error-text" : "warning"}>{capture.error}</p>}
        {!shared && capture.format === "scap" && <LinkedProfiles captureId={id} />}
      </section>
      {capture.format === "profile" ? (
        <ProfileView captureId={id} fileName={capture.name} />
      ) : capture.format === "pcap" || capture.format === "pcapng" ? (
        <PacketCaptureView captureId={id} fileName={capture.name} firstTs={capture.firstTs} lastTs={capture.lastTs} />
      ) : (
        <CaptureView captureId={id} fileName={capture.name} filter={filter} from={from} firstTs={capture.firstTs} lastTs={capture.lastTs} shared={shared} />
      )}
    </>
  );
}
