"use client";

// The flame graph on a canvas: one draw per animation frame of whatever the layout gave (no
// React element per frame, so 100k frames cost a fillRect each), labels only where they fit,
// the hovered frame outlined. Pointer events are hit-tested against the same rectangles.

import { useEffect, useMemo, useRef, type MouseEvent } from "react";
import type { FlameTree } from "../../server/core/analyses/flame-tree";
import styles from "./flame.module.css";
import { MATCH_COLOR, diffColor, frameColor, hitTest, layoutFlame, maxDelta, type FlameOrder, type FlameRects, type FlameSort } from "./flame-layout";

export const ROW_HEIGHT = 17;
const FONT = "11px ui-monospace, SFMono-Regular, Menlo, monospace";

interface Props {
  tree: FlameTree;
  kids: Int32Array[];
  width: number;
  order: FlameOrder;
  sort: FlameSort;
  focus: number;
  /** Search matches (1 per matched node), drawn in magenta. */
  matched?: Uint8Array;
  /** A label for the root row ("all", or the function of a sandwich half). */
  rootLabel?: string;
  onHover(node: number, at: { x: number; y: number } | undefined): void;
  onClick(node: number): void;
  testId: string;
}

export function FlameCanvas({ tree, kids, width, order, sort, focus, matched, rootLabel = "all", onHover, onClick, testId }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const rects: FlameRects = useMemo(
    () => layoutFlame(tree, kids, { width, rowHeight: ROW_HEIGHT, order, sort, focus }),
    [tree, kids, width, order, sort, focus],
  );
  const hovered = useRef(-1);
  const diffMax = useMemo(() => maxDelta(tree), [tree]);
  const colors = useMemo(() => {
    // One colour per name (or per node in a differential), computed once per tree.
    if (tree.baseTotal) return tree.name.map((_, i) => diffColor(tree.total[i], tree.baseTotal![i], diffMax));
    const byName = tree.names.map(frameColor);
    return tree.name.map((n) => (n < 0 ? "rgb(220,220,220)" : byName[n]));
  }, [tree, diffMax]);
  const frame = useRef(0);

  const draw = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const c = canvas.current;
      if (!c) return;
      const dpr = window.devicePixelRatio || 1;
      const h = Math.max(rects.height, ROW_HEIGHT);
      if (c.width !== Math.round(width * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(width * dpr);
        c.height = Math.round(h * dpr);
        c.style.width = `${width}px`;
        c.style.height = `${h}px`;
      }
      const g = c.getContext("2d")!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, width, h);
      g.font = FONT;
      g.textBaseline = "middle";
      for (let i = 0; i < rects.n; i++) {
        const node = rects.node[i];
        const x = rects.x[i], y = rects.y[i], w = rects.w[i];
        g.fillStyle = matched?.[node] ? MATCH_COLOR : colors[node];
        g.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW_HEIGHT - 1);
        if (w > 24) {
          const name = node === 0 ? rootLabel : tree.names[tree.name[node]];
          const room = Math.floor((w - 6) / 6.6);
          const label = name.length <= room ? name : `${name.slice(0, Math.max(room - 1, 1))}…`;
          g.fillStyle = matched?.[node] ? "#fff" : "#111";
          g.fillText(label, x + 3, y + ROW_HEIGHT / 2, w - 6);
        }
      }
      const hi = hovered.current;
      if (hi >= 0 && hi < rects.n) {
        g.strokeStyle = "#000";
        g.lineWidth = 1.5;
        g.strokeRect(rects.x[hi] + 0.75, rects.y[hi] + 0.75, Math.max(rects.w[hi] - 1.5, 1), ROW_HEIGHT - 2.5);
      }
    });
  };

  useEffect(() => {
    hovered.current = -1;
    draw();
    return () => cancelAnimationFrame(frame.current);
    // draw reads the refs and the memoised values above.
  }, [rects, colors, matched, rootLabel]);

  const at = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };
  const move = (e: MouseEvent<HTMLCanvasElement>) => {
    const p = at(e);
    const i = hitTest(rects, p.x, p.y, ROW_HEIGHT);
    if (i !== hovered.current) {
      hovered.current = i;
      draw();
    }
    onHover(i >= 0 ? rects.node[i] : -1, i >= 0 ? { x: e.clientX, y: e.clientY } : undefined);
  };

  return (
    <canvas
      ref={canvas}
      className={styles.canvas}
      data-testid={testId}
      data-frames={rects.n}
      data-culled={rects.culled}
      onMouseMove={move}
      onMouseLeave={() => {
        hovered.current = -1;
        draw();
        onHover(-1, undefined);
      }}
      onClick={(e) => {
        const p = at(e);
        const i = hitTest(rects, p.x, p.y, ROW_HEIGHT);
        if (i >= 0) onClick(rects.node[i]);
      }}
    />
  );
}
