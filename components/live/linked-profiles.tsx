"use client";

// The CPU profiles recorded with a capture (the Live page's profile control, casefile profile
// --capture, the demo), as links to their flame graphs; nothing when there are none.

import Link from "next/link";
import { useEffect, useState } from "react";

interface Linked {
  id: string;
  name: string;
}

export function LinkedProfiles({ captureId }: { captureId: string }) {
  const [profiles, setProfiles] = useState<Linked[]>([]);
  useEffect(() => {
    let live = true;
    fetch(`/api/captures/${encodeURIComponent(captureId)}/profiles`, { credentials: "same-origin", cache: "no-store" })
      .then((r) => (r.ok ? r.json() : []))
      .then((list: Linked[]) => live && setProfiles(list))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [captureId]);
  if (!profiles.length) return null;
  return (
    <p className="hint" data-testid="linked-profiles">
      CPU {profiles.length === 1 ? "profile" : "profiles"} recorded with it:{" "}
      {profiles.map((p, i) => (
        <span key={p.id}>
          {i > 0 && " · "}
          <Link href={`/captures/${p.id}`}>{p.name}</Link>
        </span>
      ))}
    </p>
  );
}
