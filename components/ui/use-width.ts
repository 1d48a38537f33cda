"use client";

// The laid-out width of a chart's box, followed as the page resizes: the spectrogram and the
// gaps strip draw their SVG to it.

import { useEffect, useRef, useState, type RefObject } from "react";

/** A ref for the box, and its width in pixels (never below `min`; `initial` until measured). */
export function useBoxWidth(min = 320, initial = 900): [RefObject<HTMLDivElement | null>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(min, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [min]);
  return [box, width];
}
