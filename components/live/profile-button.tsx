"use client";

// The Live page's CPU profile control: asks the host's collector for a profile (on-CPU samples
// and off-CPU time by stack, POST /api/live/hosts/:host/profile) of one process or of every
// process, kept linked to the session's capture when one is watched, then offers to open it
// (its flame graph) or download it (folded stacks).

import Link from "next/link";
import { useEffect, useState } from "react";
import { apiCall } from "../ui/api";
import { count } from "../ui/format";

interface Section {
  name: string;
  unit: string;
  stacks: number;
  total: number;
}

interface Result {
  id: string;
  sections: Section[];
}

function sectionText(s: Section): string {
  return s.unit === "ns" ? `${s.name} ${(s.total / 1e9).toFixed(2)} s` : `${s.name} ${count(s.total)} samples`;
}

export function ProfileButton({ host, pid, captureId }: { host: string; pid?: number; captureId?: string }) {
  const [seconds, setSeconds] = useState(10);
  const [running, setRunning] = useState<{ until: number }>();
  const [left, setLeft] = useState(0);
  const [result, setResult] = useState<Result>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!running) return;
    const tick = () => setLeft(Math.max(0, Math.ceil((running.until - Date.now()) / 1000)));
    tick();
    const t = setInterval(tick, 250);
    return () => clearInterval(t);
  }, [running]);

  async function profile() {
    setProblem(undefined);
    setResult(undefined);
    setRunning({ until: Date.now() + seconds * 1000 });
    try {
      setResult(await apiCall<Result>(`/api/live/hosts/${encodeURIComponent(host)}/profile`, { method: "POST", json: { seconds, pid, captureId } }));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(undefined);
    }
  }

  const what = pid !== undefined ? `process ${pid}` : "every process";
  return (
    <div className="profile-control" data-testid="live-profile">
      <form
        style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}
        onSubmit={(e) => { e.preventDefault(); void profile(); }}
      >
        <span>CPU profile of {what}{captureId ? " (kept with this session's capture)" : ""} for</span>
        <input
          type="number" min={1} max={300} value={seconds} onChange={(e) => setSeconds(Math.max(1, Math.min(300, Number(e.target.value) || 1)))}
          style={{ width: "5em" }} aria-label="profile seconds" data-testid="live-profile-seconds"
        />
        <span>s</span>
        <button type="submit" className="button" disabled={running !== undefined} data-testid="live-profile-start">
          {running ? `profiling… ${left} s` : "profile"}
        </button>
      </form>
      {problem && <p className="error-text" role="alert" data-testid="live-profile-error">Could not profile: {problem}</p>}
      {result && (
        <p data-testid="live-profile-result">
          {result.sections.map(sectionText).join(" · ")}{" "}
          <Link className="button primary" href={`/captures/${result.id}`} data-testid="live-profile-open">open the flame graph</Link>{" "}
          <a className="button" href={`/api/profiles/${result.id}`} download={`profile-${result.id}.txt`}>download</a>
        </p>
      )}
    </div>
  );
}
