"use client";

// Copies a command line. The clipboard API needs a secure context, which 127.0.0.1 is; anywhere
// it is refused, the text is selected instead so that Ctrl+C finishes the job.

import { useEffect, useRef, useState } from "react";

export function CopyButton({ text, label = "copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState<"copied" | "select and copy" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => setDone(null), [text]);

  const copy = async (e: React.MouseEvent<HTMLButtonElement>) => {
    const code = e.currentTarget.previousElementSibling;
    try {
      await navigator.clipboard.writeText(text);
      setDone("copied");
    } catch {
      if (code) window.getSelection()?.selectAllChildren(code);
      setDone("select and copy");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setDone(null), 2000);
  };
  return (
    <button type="button" className="button copy" onClick={(e) => void copy(e)} title={`copy: ${text}`}>
      {done ?? label}
    </button>
  );
}
