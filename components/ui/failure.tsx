"use client";

// What a view shows when the server could not answer: the message, and a retry button when a
// retry may help (a 5xx or a lost connection, not a refusal).

import type { ReactNode } from "react";

export function Failure({ className, testId, canRetry, onRetry, children }: {
  className: string;
  testId: string;
  canRetry: boolean;
  onRetry(): void;
  children: ReactNode;
}) {
  return (
    <div className={className} role="alert" data-testid={testId}>
      <p className="error-text">{children}</p>
      {canRetry && (
        <button className="button" type="button" onClick={onRetry}>
          retry
        </button>
      )}
    </div>
  );
}

/** The table | text switch of the views that show a chisel's rows and its exact lines. */
export function TableTextToggle({ asText, onChange, textTestId }: { asText: boolean; onChange(asText: boolean): void; textTestId: string }) {
  return (
    <span className="segmented" role="group" aria-label="show as">
      <button type="button" className={!asText ? "on" : ""} aria-pressed={!asText} onClick={() => onChange(false)}>
        table
      </button>
      <button type="button" className={asText ? "on" : ""} aria-pressed={asText} onClick={() => onChange(true)} data-testid={textTestId}>
        text
      </button>
    </span>
  );
}
