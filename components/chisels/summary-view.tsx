"use client";

// A summary of the events the filter keeps, by one of sysdig's table chisels (top processes,
// files, connections, system calls, I/O by any field...): the chisel's table with its own
// columns, or one click away its exact text, and the sysdig command that prints the same.

import { useEffect, useState, type FormEvent } from "react";
import type { FilterStatus } from "../events-table/events-table";
import { formatBytes, formatTimeInterval } from "../../server/core/chisels/lua-format";
import { fetchChisel, type ChiselAnswer } from "../ui/api";
import { CopyButton } from "../ui/copy-button";
import { Failure, TableTextToggle } from "../ui/failure";
import { useAnalysis } from "../ui/use-analysis";
import { count } from "../ui/format";
import { summaryCommand } from "../ui/view-url";
import { FIELD_SUGGESTIONS, chiselChoice, chiselGroups, type ChiselChoice } from "./chisel-list";

interface Props {
  captureId: string;
  fileName: string;
  filter: string;
  chisel: string;
  arg: string;
  onChisel(name: string, arg: string): void;
  /** The events view (with the filter) at this event, selected. */
  onOpenEvent(num: number): void;
  onFilterStatus(s: FilterStatus): void;
}


export function SummaryView({ captureId, fileName, filter, chisel, arg, onChisel, onOpenEvent, onFilterStatus }: Props) {
  const choice = chiselChoice(chisel);
  const needsArg = !!choice?.arg && !arg.trim();
  const key = `${captureId}|${chisel}|${arg}|${filter}`;
  const { data: answered, dataKey, current, failed, retry } = useAnalysis<ChiselAnswer>(
    key, choice && !needsArg ? (signal) => fetchChisel(captureId, chisel, arg.trim(), filter, signal) : undefined, onFilterStatus);
  const [asText, setAsText] = useState(false);

  // Another chisel's table is no stand-in for this one; the same chisel's, under another
  // filter or argument, is worth a look while this one runs.
  const data = current || dataKey?.startsWith(`${captureId}|${chisel}|`) ? answered : undefined;
  const command = summaryCommand(fileName, chisel, arg.trim(), filter, choice?.sysdig ?? true);

  return (
    <section className="analysis" aria-label="summary by a chisel" data-testid="summary-view">
      <div className="analysis-head chisel-controls">
        <label className="inline-control">
          chisel{" "}
          <select
            value={choice ? chisel : ""}
            onChange={(e) => onChisel(e.target.value, chiselChoice(e.target.value)?.arg?.default ?? "")}
            data-testid="summary-chisel"
          >
            {!choice && <option value="">{chisel} (unknown)</option>}
            {chiselGroups().map(([group, list]) => (
              <optgroup key={group} label={group}>
                {list.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {choice?.arg && <ArgForm choice={choice} arg={arg} onArg={(a) => onChisel(chisel, a)} error={failed?.where === "arg" ? failed.message : undefined} />}
        <span className="analysis-what">{choice ? choice.description : `casefile has no chisel named ${chisel}`}</span>
        {choice && !choice.sysdig && <span className="badge" title="sysdig has no chisel by this name">casefile&apos;s own</span>}
      </div>
      {choice && !needsArg && (
        <p className="hint command-hint">
          {choice.sysdig ? "same as" : "sysdig has no such chisel; on the command line:"} <code data-testid="summary-command">{command}</code>
          <CopyButton text={command} />
        </p>
      )}
      {!choice ? null : needsArg ? (
        <p className="muted analysis-message">Choose the field to group by.</p>
      ) : failed && failed.where !== "arg" ? (
        failed.where === "filter" ? (
          <p className="muted analysis-message">No summary: the server could not run this filter (see above).</p>
        ) : (
          <Failure
            className="analysis-message"
            testId="summary-error"
            canRetry={!failed.final}
            onRetry={retry}
          >
            {failed.status === 422 ? `${chisel} stopped, as sysdig's chisel does on this capture: ` : `Could not run ${chisel}: `}
            {failed.message}
          </Failure>
        )
      ) : failed ? null : !data ? (
        <p className="muted analysis-message" data-testid="summary-loading">
          Running {chisel} over the capture file…
        </p>
      ) : (
        <div className={current ? "" : "stale"} aria-busy={!current}>
          <div className="toolbar">
            <span className="analysis-caption" data-testid="summary-caption">
              {data.table ? `${count(data.table.rows.length)} ${data.table.rows.length === 1 ? "row" : "rows"}` : `${count(data.lines.length)} lines`}
              {filter ? (
                <>
                  {" "}
                  over the events matching <code className="applied-filter">{filter}</code>
                </>
              ) : (
                " over every event"
              )}
              {!current && <span className="muted"> · running…</span>}
            </span>
            {data.table && (
              <TableTextToggle asText={asText} onChange={setAsText} textTestId="summary-as-text" />
            )}
          </div>
          {data.damaged && <p className="warning">The capture file is damaged: this covers the events before the damage ({data.damaged}).</p>}
          {asText || !data.table ? (
            <pre className="state-text summary-text" data-testid="summary-text">
              {data.lines.join("\n")}
            </pre>
          ) : (
            <ChiselTable choice={choice} data={data} onOpenEvent={onOpenEvent} />
          )}
        </div>
      )}
    </section>
  );
}

function ArgForm({ choice, arg, onArg, error }: { choice: ChiselChoice; arg: string; onArg(a: string): void; error?: string }) {
  const [text, setText] = useState(arg);
  useEffect(() => setText(arg), [arg]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) onArg(text.trim());
  };
  return (
    <form className="inline-control" onSubmit={submit}>
      <label htmlFor="chisel-arg">by</label>
      <input
        id="chisel-arg"
        className={`min-input field-input${error ? " invalid" : ""}`}
        list="chisel-fields"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={choice.arg!.default}
        title={choice.arg!.description}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!!error}
        data-testid="summary-arg"
      />
      <datalist id="chisel-fields">
        {FIELD_SUGGESTIONS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <button className="button" type="submit" disabled={!text.trim() || text.trim() === arg}>
        group
      </button>
      {error && <span className="error-text hint">{error}</span>}
    </form>
  );
}

/** The chisel's rows under its own column names; numbers right-aligned, the value column as
 *  the chisel prints it (53.30KB, 1.85ms), evt.nums as links to the event. */
function ChiselTable({ choice, data, onOpenEvent }: { choice: ChiselChoice; data: ChiselAnswer; onOpenEvent(num: number): void }) {
  const { columns, rows } = data.table!;
  if (rows.length === 0) {
    return (
      <p className="muted analysis-message" data-testid="summary-empty">
        Nothing to count: no event this filter keeps is one {choice.name} counts.
      </p>
    );
  }
  // table_generator prints a header, a rule, then one line per row (unless a key holds a line
  // end): the value column is then read off the line exactly as sysdig wrote it.
  const aligned = data.lines.length === rows.length + 2;
  const valueText = (v: string | number, i: number): string => {
    if (aligned) {
      const cell = data.lines[i + 2].slice(0, 20).trim();
      if (cell) return cell;
    }
    if (typeof v !== "number") return String(v);
    if (choice.units === "bytes") return formatBytes(v);
    if (choice.units === "time") return formatTimeInterval(v);
    return String(v);
  };
  // Keys that are numbers (PIDs, ports) come as text; they line up on the right as well.
  const numeric = columns.map((_, c) => rows.every((r) => typeof r[c] === "number" || /^-?\d+(\.\d+)?$/.test(String(r[c]))));
  const headers = choice.headers ?? columns;
  return (
    <table className="data-table chisel-table" data-testid="summary-table">
      <thead>
        <tr>
          {headers.map((c, i) => (
            <th key={i} className={numeric[i] ? "num" : undefined}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((v, c) => (
              <td key={c} className={numeric[c] ? "num" : undefined} title={c === 0 && choice.units && choice.units !== "none" ? String(v) : undefined}>
                {c === choice.eventColumn && typeof v === "number" ? (
                  <button type="button" className="link-button num-link" onClick={() => onOpenEvent(v)} title={`open #${v}`}>
                    #{v}
                  </button>
                ) : c === 0 && choice.units && choice.units !== "none" ? (
                  valueText(v, i)
                ) : (
                  String(v)
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
