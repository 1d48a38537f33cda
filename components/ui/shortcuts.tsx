"use client";

// Keys for the whole workbench: `?` lists them (Esc closes the list), and a page can add its
// own (the capture page: `g` goes to an evt.num through a small prompt, `i` opens the notes).
// The keys that belong to one part live with it (`/` in the filter bar, j/k/Esc in the events
// table); this list names them all in one place.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { hasModifier, isTyping } from "./keys";

export const KEYS: readonly { keys: string; what: string }[] = [
  { keys: "/", what: "put the cursor in the filter" },
  { keys: "g", what: "go to an evt.num (a prompt)" },
  { keys: "j  ↓", what: "next event (select the first one on screen)" },
  { keys: "k  ↑", what: "previous event" },
  { keys: "Esc", what: "close the state panel, this list or the prompt; leave the filter" },
  { keys: "i", what: "open or close the investigation panel (notes, pins, share)" },
  { keys: "?", what: "this list" },
];

/** The `?` overlay, for every page. */
export function KeyboardHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (hasModifier(e) || isTyping(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        setOpen((o) => !o);
      } else if (e.key === "Escape" && open) {
        // Before the table's own Esc (which would drop the selection): this Esc was for the list.
        e.preventDefault();
        e.stopImmediatePropagation();
        setOpen(false);
      }
    };
    // Capture phase: the overlay sees Esc before the page's handlers do.
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="keyboard shortcuts" data-testid="keys-help" onClick={() => setOpen(false)}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
        <h2>Keys</h2>
        <table className="keys-table">
          <tbody>
            {KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  {k.keys.split("  ").map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </td>
                <td>{k.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Keys are ignored while you type in a field. Esc closes this list.</p>
      </div>
    </div>
  );
}

/** `g`: a small prompt for an evt.num; Enter goes there, Esc closes it. */
export function GoToPrompt({ onGo }: { onGo(num: number): void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "g" || hasModifier(e) || isTyping(e.target)) return;
      e.preventDefault();
      setError(undefined);
      setOpen(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  if (!open) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const raw = input.current?.value.trim() ?? "";
    if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) {
      setError("an evt.num is a whole number from 1");
      return;
    }
    setOpen(false);
    onGo(Number(raw));
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="go to evt.num" onClick={() => setOpen(false)}>
      <form className="overlay-box goto-box" onSubmit={submit} onClick={(e) => e.stopPropagation()}>
        <label>
          go to evt.num{" "}
          <input
            ref={input}
            inputMode="numeric"
            data-testid="goto-input"
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.preventDefault();
                e.stopPropagation();
                setOpen(false);
              }
            }}
          />
        </label>
        <button type="submit" className="button primary">
          go
        </button>
        {error && <p className="error-text">{error}</p>}
      </form>
    </div>
  );
}
