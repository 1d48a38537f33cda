"use client";

// One server answer a view shows, for the view's current inputs (named by `key`): fetched
// whenever the key changes or the user retries, the stale one dropped, and the filter bar told
// whether the server refused the filter.

import { useCallback, useEffect, useState } from "react";
import type { FilterStatus } from "../events-table/events-table";
import { ApiRequestError } from "./api";

export interface AnalysisFailure {
  message: string;
  /** The parameter the server refused, when it named one. */
  where?: string;
  status?: number;
  /** A refusal (4xx): asking again will not help. */
  final: boolean;
}

/** `fetch` undefined: nothing to ask yet. The key must name everything `fetch` depends on. */
export function useAnalysis<T>(
  key: string,
  fetch: ((signal: AbortSignal) => Promise<T>) | undefined,
  onFilterStatus: (s: FilterStatus) => void,
) {
  const [answer, setAnswer] = useState<{ key: string; data: T }>();
  const [failure, setFailure] = useState<AnalysisFailure & { key: string }>();
  const [attempt, setAttempt] = useState(0);
  const enabled = fetch !== undefined;

  useEffect(() => {
    if (!fetch) return;
    const ctl = new AbortController();
    fetch(ctl.signal).then(
      (data) => {
        setAnswer({ key, data });
        setFailure(undefined);
        onFilterStatus({});
      },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        const api = e instanceof ApiRequestError ? e : undefined;
        const message = e instanceof Error ? e.message : String(e);
        const final = api !== undefined && api.status >= 400 && api.status < 500;
        setFailure({ key, message, where: api?.where, status: api?.status, final });
        if (api?.status === 400 && api.where === "filter") onFilterStatus({ error: message });
      },
    );
    return () => ctl.abort();
    // Not fetch itself: a new function each render; the key names what it depends on.
  }, [key, enabled, attempt, onFilterStatus]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return {
    data: answer?.data,
    /** The key data answers; current: it is the view's key (otherwise the previous answer). */
    dataKey: answer?.key,
    current: answer?.key === key,
    failed: failure?.key === key ? failure : undefined,
    retry,
  };
}
