"use client";

// The first page's live part: the upload panel and the capture list, kept current from the
// server's progress broadcast (so captures added from another tab or `casefile ingest` elsewhere
// in this server show up too).

import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import type { CaptureSummary } from "../../server/api/store-types";
import { deleteCapture, fetchCaptures } from "../ui/api";
import { useServerMessages } from "../ui/use-server-messages";
import { UploadPanel, type IngestMessage } from "../upload/upload-panel";
import { CapturesList } from "./captures-list";

export function CapturesWorkbench({ initial }: { initial: CaptureSummary[] }) {
  const [captures, setCaptures] = useState(initial);
  const [byUpload, setByUpload] = useState<Record<string, IngestMessage>>({});
  const [byCapture, setByCapture] = useState<Record<string, IngestMessage>>({});
  const [problem, setProblem] = useState<string>();
  const announced = useRef(new Set<string>());

  const refresh = useCallback(async () => {
    try {
      const list = await fetchCaptures();
      setCaptures(list);
      setProblem(undefined);
      return list;
    } catch (e) {
      setProblem(`Could not load the captures: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }, []);

  useServerMessages((m) => {
    if (m.type !== "ingest") return;
    const msg = m as IngestMessage;
    if (msg.uploadId) setByUpload((s) => ({ ...s, [msg.uploadId!]: msg }));
    if (msg.captureId) setByCapture((s) => ({ ...s, [msg.captureId!]: msg }));
    // The first message of an ingest means a new row; the last one, its final numbers.
    const isNew = msg.captureId && !announced.current.has(msg.captureId) && !captures.some((c) => c.id === msg.captureId);
    if (msg.captureId) announced.current.add(msg.captureId);
    if (msg.done || isNew) void refresh();
  });

  const onUploaded = useCallback(async (id: string) => (await refresh())?.find((c) => c.id === id), [refresh]);

  const onDelete = useCallback(
    async (c: CaptureSummary) => {
      if (!window.confirm(`Delete “${c.name}”? Its indexed events are removed from the data folder.`)) return;
      try {
        await deleteCapture(c.id);
      } catch (e) {
        setProblem(`Could not delete ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      await refresh();
    },
    [refresh],
  );

  return (
    <>
      <UploadPanel ingest={byUpload} onUploaded={onUploaded} />
      <section className="panel" aria-labelledby="captures-title">
        <h2 id="captures-title">
          Captures{" "}
          <Link href="/live" className="button" data-testid="live-link" title="record a host live: attach to a process or a filter">
            Live: record a host
          </Link>
        </h2>
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
        <CapturesList captures={captures} progress={byCapture} onDelete={onDelete} />
      </section>
    </>
  );
}
