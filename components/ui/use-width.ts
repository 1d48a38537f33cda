"use client";

// The laid-out width of a chart's box, followed as the page resizes: the spectrogram and the
// gaps strip draw their SVG to it.

import { useLayoutEffect, useRef, useState, type RefObject } from "react";

/** A ref for the box, and its width in pixels (never below `min`; `initial` until measured). */
export function useBoxWidth(min = 320, initial = 900): [RefObject<HTMLDivElement | null>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Measured before the first paint and before the chart's effects ask the server for data
    // at that width (the observer's first report comes a frame later).
    setWidth(Math.max(min, Math.floor(contentWidth(el))));
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(min, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [min]);
  return [box, width];
}

/** The width of the box's content (what the observer reports as contentRect.width). */
function contentWidth(el: HTMLElement): number {
  const cs = getComputedStyle(el);
  const px = (v: string) => parseFloat(v) || 0;
  return el.getBoundingClientRect().width - px(cs.paddingLeft) - px(cs.paddingRight) - px(cs.borderLeftWidth) - px(cs.borderRightWidth);
}
