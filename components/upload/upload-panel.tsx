"use client";

// Adding captures: a file input and a drop zone. Each file is one job showing its upload bytes
// (from XHR) and then its ingest progress (from the server's WebSocket broadcast).

import Link from "next/link";
import { useRef, useState, type DragEvent } from "react";
import type { CaptureSummary, IngestMessage } from "../../server/api/store-types";
import { bytes, count } from "../ui/format";
import { uploadFile } from "./upload-request";

export type { IngestMessage };

interface Job {
  uploadId: string;
  name: string;
  size: number;
  phase: "waiting" | "uploading" | "ingesting" | "done" | "failed";
  sent: number;
  captureId?: string;
  events?: number;
  /** Why it failed, or, when done, what was wrong with a damaged file whose events were kept. */
  message?: string;
}

interface Props {
  /** The latest ingest progress per upload id. */
  ingest: Record<string, IngestMessage>;
  /** Refreshes the capture list and answers the new capture's summary. */
  onUploaded(id: string): Promise<CaptureSummary | undefined>;
}

const KEEP_JOBS = 6;

export function UploadPanel({ ingest, onUploaded }: Props) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [dragging, setDragging] = useState(false);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const input = useRef<HTMLInputElement>(null);

  const update = (uploadId: string, patch: Partial<Job>) =>
    setJobs((js) => js.map((j) => (j.uploadId === uploadId ? { ...j, ...patch } : j)));

  const run = async (file: File, uploadId: string) => {
    update(uploadId, { phase: "uploading" });
    try {
      const { id } = await uploadFile(file, uploadId, (sent, total) =>
        update(uploadId, { sent, phase: sent >= total ? "ingesting" : "uploading" }),
      ).done;
      const summary = await onUploaded(id);
      if (summary?.status === "error") {
        update(uploadId, { phase: "failed", captureId: id, message: summary.error ?? "the capture could not be read" });
      } else {
        update(uploadId, { phase: "done", captureId: id, events: summary?.events, message: summary?.error });
      }
    } catch (e) {
      update(uploadId, { phase: "failed", message: e instanceof Error ? e.message : String(e) });
    }
  };

  const add = (files: FileList | null) => {
    if (!files?.length) return;
    // Copied now: clearing the input below empties its FileList.
    const list = [...files];
    const fresh: Job[] = list.map((f) => ({ uploadId: newUploadId(), name: f.name, size: f.size, phase: "waiting", sent: 0 }));
    setJobs((js) => [...fresh.slice().reverse(), ...js].slice(0, KEEP_JOBS + fresh.length));
    // One at a time: ingest is CPU-bound, so parallel uploads would only finish later together.
    fresh.forEach((job, i) => {
      queue.current = queue.current.then(() => run(list[i], job.uploadId));
    });
    if (input.current) input.current.value = "";
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  return (
    <section className="panel" aria-labelledby="upload-title">
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <h2 id="upload-title">Add a capture</h2>
        <p>
          Drop a sysdig capture (<code>.scap</code>, <code>.scap.gz</code>) here, or{" "}
          <label className="button primary">
            choose a file…
            <input ref={input} className="visually-hidden" type="file" multiple onChange={(e) => add(e.target.files)} data-testid="upload-input" />
          </label>
        </p>
        <p className="hint">The file is copied into the server&apos;s data folder and indexed; its name is kept only as a label.</p>
      </div>
      {jobs.length > 0 && (
        <ul className="jobs">
          {jobs.map((job) => (
            <JobRow
              key={job.uploadId}
              job={job}
              ingest={ingest[job.uploadId]}
              onDismiss={() => setJobs((js) => js.filter((j) => j.uploadId !== job.uploadId))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobRow({ job, ingest, onDismiss }: { job: Job; ingest?: IngestMessage; onDismiss(): void }) {
  const name = <span className="job-name">{job.name}</span>;
  const dismiss = (
    <button type="button" className="dismiss" onClick={onDismiss} aria-label={`dismiss ${job.name}`} title="dismiss">
      ×
    </button>
  );
  switch (job.phase) {
    case "waiting":
      return <li className="job">{name} <span className="muted">waiting…</span></li>;
    case "uploading": {
      const pct = job.size ? Math.floor((job.sent / job.size) * 100) : 0;
      return (
        <li className="job">
          {name} <progress max={job.size || 1} value={job.sent} /> uploading {pct}% ({bytes(job.sent)} of {bytes(job.size)})
        </li>
      );
    }
    case "ingesting": {
      const read = ingest?.bytesRead ?? 0;
      const total = ingest?.bytesTotal || job.size || 1;
      return (
        <li className="job">
          {name} <progress max={total} value={read} /> reading events: {count(ingest?.events ?? 0)} so far ({Math.floor((read / total) * 100)}%)
        </li>
      );
    }
    case "done":
      return (
        <li className="job ok" data-testid="upload-done">
          {name} <span>✓ {job.events !== undefined ? `${count(job.events)} events` : "added"}</span>
          {job.captureId && <Link className="button" href={`/captures/${job.captureId}`}>open</Link>}
          {job.message && <span className="warning">kept the events before the damage: {job.message}</span>}
          {dismiss}
        </li>
      );
    case "failed":
      return (
        <li className="job failed" role="alert" data-testid="upload-error">
          {name} <span className="error-text">✗ {job.message}</span>
          {dismiss}
        </li>
      );
  }
}

function newUploadId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
