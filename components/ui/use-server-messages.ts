"use client";

// Messages from the server's /ws endpoint. The page's HttpOnly cookie authenticates the socket
// (the page never sees the token), so the URL needs no token.

import { useEffect, useRef } from "react";

export type ServerMessage = { type: string; [key: string]: unknown };

export function useServerMessages(onMessage: (m: ServerMessage) => void): void {
  // The latest callback, without reconnecting every time the caller re-renders.
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let ws: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 500;
    let stopped = false;

    const connect = () => {
      const proto = location.protocol === "https:" ? "wss:" : "ws:";
      ws = new WebSocket(`${proto}//${location.host}/ws`);
      ws.onopen = () => {
        delay = 500;
      };
      ws.onmessage = (e) => {
        try {
          const m = JSON.parse(String(e.data)) as ServerMessage;
          if (m && typeof m.type === "string") handler.current(m);
        } catch {
          // Not ours to interpret; ignore.
        }
      };
      ws.onclose = () => {
        if (stopped) return;
        // The server restarts during development; come back without a page reload.
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, []);
}
