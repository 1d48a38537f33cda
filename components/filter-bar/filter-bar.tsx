"use client";

// The sysdig filter over the events table. The text is applied on Enter (the table reloads and
// the URL records it); until then an edit changes nothing, and the bar says so. A filter the
// server refused is shown under the bar with the server's words and a caret at the position
// sysdig would name.

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { eventsCommand } from "../ui/view-url";
import { CopyButton } from "../ui/copy-button";
import { isTyping } from "../ui/keys";

interface Props {
  /** The filter the table shows ("" for none). */
  applied: string;
  /** The server's refusal of the applied filter, if it refused it. */
  error?: string;
  /** Fields of the applied filter answered from the ingest's columns, not exactly as sysdig. */
  approximate?: string[];
  replayed?: boolean;
  /** The capture's name, for the equivalent sysdig command. */
  fileName: string;
  /** Show the sysdig command that lists the matching events (the other views show their own). */
  showCommand?: boolean;
  /** The filter the command shows, when the views run more than the text typed (the
   *  timeline's range as evt.rawtime bounds); `applied` otherwise. */
  commandFilter?: string;
  onApply(filter: string): void;
}

export function FilterBar({ applied, error, approximate, replayed, fileName, showCommand = true, commandFilter, onApply }: Props) {
  const shown = commandFilter ?? applied;
  const [text, setText] = useState(applied);
  const input = useRef<HTMLInputElement>(null);

  // Back/forward, or a link, changes the applied filter under us: show it.
  useEffect(() => setText(applied), [applied]);

  // "/" puts the cursor in the filter, as in many a log viewer.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(text.trim());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Escape") {
      setText(applied);
      e.currentTarget.blur();
    }
  };
  const clear = () => {
    setText("");
    if (applied) onApply("");
    input.current?.focus();
  };

  const edited = text.trim() !== applied;
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <form className="filter-form" onSubmit={submit} role="search">
        <label htmlFor="filter-input" className="filter-label">
          filter
        </label>
        <input
          id="filter-input"
          ref={input}
          className={`filter-input${error ? " invalid" : ""}`}
          data-testid="filter-input"
          name="filter"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="a sysdig filter, e.g. proc.name=curl and evt.type=connect  (Enter applies, / focuses)"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={error ? true : undefined}
          aria-describedby="filter-status"
        />
        <button className="button primary" type="submit" disabled={!edited && !error}>
          apply
        </button>
        <button className="button" type="button" onClick={clear} disabled={!text && !applied} data-testid="filter-clear">
          clear
        </button>
      </form>
      <div id="filter-status" className="filter-status">
        {edited ? (
          <p className="hint" data-testid="filter-edited">
            Not applied yet: press Enter to filter by this{applied ? "" : "; the view shows every event"}.
          </p>
        ) : null}
        {error ? (
          <FilterError filter={applied} message={error} />
        ) : (
          <>
            {approximate && approximate.length > 0 && (
              <p className="warning" data-testid="filter-approximate">
                Approximate: {approximate.map((f, i) => (
                  <span key={f}>
                    {i > 0 && ", "}
                    <code>{f}</code>
                  </span>
                ))}{" "}
                {approximate.length === 1 ? "is" : "are"} answered from the stored columns, which can differ from sysdig in corner cases. For
                sysdig&apos;s exact answer run <code>{eventsCommand(fileName, applied).replace(/^sysdig -r/, "casefile events")}</code> on the file.
              </p>
            )}
            {replayed && !edited && (
              <p className="hint" data-testid="filter-replayed">
                This filter reads fields the index does not hold, so the matches are found by reading the capture file as sysdig does: exact, but
                each page takes longer.
              </p>
            )}
            {shown && !edited && showCommand && (
              <p className="hint command-hint">
                same as <code data-testid="filter-command">{eventsCommand(fileName, shown)}</code>
                <CopyButton text={eventsCommand(fileName, shown)} />
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/** The server's message, with the filter underneath and a caret where sysdig stopped reading. */
function FilterError({ filter, message }: { filter: string; message: string }) {
  const m = /^filter error at position (\d+):/.exec(message);
  const at = m ? charIndexOfByte(filter, Number(m[1])) : -1;
  return (
    <div className="filter-error" role="alert" data-testid="filter-error">
      <p className="error-text">{message}</p>
      {at >= 0 && (
        <pre className="filter-caret" aria-hidden="true">
          {filter}
          {"\n"}
          {" ".repeat(at)}^
        </pre>
      )}
    </div>
  );
}

/** sysdig counts positions in bytes of the UTF-8 text; the caret goes under characters. */
function charIndexOfByte(s: string, byte: number): number {
  const enc = new TextEncoder();
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    if (bytes >= byte) return i;
    bytes += enc.encode(ch).length;
    i += 1;
  }
  return i;
}
