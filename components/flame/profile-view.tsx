"use client";

// The page of a stored profile: its flame graph is all there is to it (no events, filter or
// timeline), with every control of the capture's flame view.

import { useCallback } from "react";
import { FlameView } from "./flame-view";

export function ProfileView({ captureId, fileName }: { captureId: string; fileName: string }) {
  // A profile takes no filter: nothing for a filter bar to be told.
  const onFilterStatus = useCallback(() => {}, []);
  return <FlameView captureId={captureId} fileName={fileName} format="profile" filter="" range={null} onFilterStatus={onFilterStatus} />;
}
