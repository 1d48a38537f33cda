"use client";

// The investigation beside a capture: what the engineer found, written down where the evidence
// is. A title, notes, and pinned events (capture + evt.num, the number sysdig prints, so a pin
// means the same event to sysdig and to a colleague) with a comment each; a pin's number
// selects that event. "Share" makes a read-only link to the view on screen, with this
// investigation. A share link's holder sees the same panel, read-only.

import { useCallback, useEffect, useState } from "react";
import { CopyButton } from "../ui/copy-button";
import {
  addPin, createInvestigation, createLink, getInvestigation, listInvestigations, listLinks, removePin, revokeLink, updateInvestigation, updatePin,
  type CreatedLink, type Investigation, type InvestigationSummary, type ListedLink,
} from "./investigation-client";

interface Props {
  captureId: string;
  /** The selected event (the one "pin" pins), or null. */
  at: number | null;
  /** Shows a pinned event: the events view, selected. */
  onOpenEvent(num: number): void;
  /** A share link's holder: the link's investigation (or none), nothing editable. */
  shared?: { investigation: string | null };
  onClose(): void;
}

const activeKey = (captureId: string) => `casefile.investigation.${captureId}`;

export function InvestigationPanel({ captureId, at, onOpenEvent, shared, onClose }: Props) {
  const readOnly = shared !== undefined;
  const [list, setList] = useState<InvestigationSummary[]>();
  const [activeId, setActiveId] = useState<string | null>(shared ? shared.investigation : null);
  const [inv, setInv] = useState<Investigation>();
  const [error, setError] = useState<string>();
  const [comment, setComment] = useState("");
  const [notes, setNotes] = useState("");
  const [link, setLink] = useState<CreatedLink & { revoked?: boolean }>();
  const [newTitle, setNewTitle] = useState("");
  /** Every link to this capture that still opens: any of them can be revoked here. */
  const [links, setLinks] = useState<ListedLink[]>();

  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  // Which investigations hold this capture (a share link's holder may not list them).
  useEffect(() => {
    if (readOnly) return;
    listInvestigations(captureId).then((l) => {
      setList(l);
      const remembered = window.localStorage.getItem(activeKey(captureId));
      setActiveId(l.find((s) => s.id === remembered)?.id ?? l[0]?.id ?? null);
    }, fail);
  }, [captureId, readOnly]);

  const loadLinks = useCallback(() => {
    if (!readOnly) listLinks(captureId).then(setLinks, fail);
  }, [captureId, readOnly]);
  useEffect(loadLinks, [loadLinks]);

  const load = useCallback((id: string) => {
    getInvestigation(id).then((i) => {
      setInv(i);
      setNotes(i.notes);
      setError(undefined);
    }, fail);
  }, []);

  useEffect(() => {
    setInv(undefined);
    if (activeId === null) return;
    if (!readOnly) window.localStorage.setItem(activeKey(captureId), activeId);
    load(activeId);
  }, [activeId, captureId, readOnly, load]);

  const create = async () => {
    const title = newTitle.trim();
    if (!title) return;
    try {
      const i = await createInvestigation(title, [captureId]);
      setList((l) => [{ id: i.id, title: i.title, captures: i.captures, pins: 0, updatedAt: i.updatedAt }, ...(l ?? [])]);
      setNewTitle("");
      setActiveId(i.id);
    } catch (e) {
      fail(e);
    }
  };

  const pin = async () => {
    if (!inv || at === null) return;
    try {
      await addPin(inv.id, captureId, at, comment.trim());
      setComment("");
      load(inv.id);
    } catch (e) {
      fail(e);
    }
  };

  const share = async () => {
    try {
      setLink(await createLink(captureId, window.location.search, inv?.id ?? null));
      setError(undefined);
      loadLinks();
    } catch (e) {
      fail(e);
    }
  };

  const revoke = async () => {
    if (!link) return;
    try {
      await revokeLink(link.id);
      setLink({ ...link, revoked: true });
      loadLinks();
    } catch (e) {
      fail(e);
    }
  };

  const pinsHere = inv?.pins.filter((p) => p.capture === captureId) ?? [];
  const pinsElsewhere = (inv?.pins.length ?? 0) - pinsHere.length;

  return (
    <aside className="investigation-panel" aria-label="investigation" data-testid="investigation-panel">
      <div className="inv-head">
        <h2>{readOnly ? "Shared investigation" : "Investigation"}</h2>
        <button type="button" className="button" onClick={onClose} title="close the panel (i)">
          ×
        </button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}

      {!readOnly && (
        <section className="inv-share">
          <button type="button" className="button primary" onClick={() => void share()} data-testid="share-view">
            Share this view
          </button>
          <p className="muted inv-hint">A read-only link to the view on screen{inv ? " and this investigation" : ""}: no token needed, nothing else on this server reachable.</p>
          {link && (
            <div className="inv-link" data-testid="share-link">
              {link.revoked ? (
                <span className="muted">revoked: <code>{link.url}</code></span>
              ) : (
                <>
                  <code className="command">{link.url}</code>
                  <CopyButton text={link.url} />
                  <button type="button" className="button danger" onClick={() => void revoke()} data-testid="revoke-link">
                    revoke
                  </button>
                </>
              )}
            </div>
          )}
          {links && links.length > 0 && (
            <details className="inv-links" data-testid="share-links">
              <summary>
                {links.length} open link{links.length === 1 ? "" : "s"} to this capture
              </summary>
              <ul>
                {links.map((l) => (
                  <li key={l.id} data-testid={`share-link-${l.id}`}>
                    <a href={l.url} title={l.url}>
                      {String(l.state.view ?? "events")}
                      {l.state.filter ? `: ${String(l.state.filter)}` : ""}
                    </a>
                    <span className="muted"> {l.createdAt.slice(0, 16).replace("T", " ")}</span>
                    <button
                      type="button"
                      className="button danger"
                      onClick={() => revokeLink(l.id).then(() => {
                        if (link?.id === l.id) setLink({ ...link, revoked: true });
                        loadLinks();
                      }, fail)}
                    >
                      revoke
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}

      {!readOnly && list && (
        <section className="inv-pick">
          {list.length > 0 && (
            <label>
              <span className="muted">investigation </span>
              <select value={activeId ?? ""} onChange={(e) => setActiveId(e.target.value || null)} data-testid="investigation-select">
                {list.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <form
            className="inv-new"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <input
              value={newTitle}
              onChange={(e) => setNewTitle(e.target.value)}
              placeholder={list.length ? "another investigation: title" : "new investigation: title"}
              maxLength={200}
              data-testid="investigation-title-new"
            />
            <button type="submit" className="button" disabled={!newTitle.trim()}>
              start
            </button>
          </form>
        </section>
      )}

      {readOnly && activeId === null && <p className="muted">This link shares a view only, without an investigation.</p>}

      {inv && (
        <section className="inv-body" data-testid="investigation">
          {readOnly ? (
            <h3 className="inv-title">{inv.title}</h3>
          ) : (
            <input
              className="inv-title"
              defaultValue={inv.title}
              key={inv.id}
              aria-label="title"
              maxLength={200}
              onBlur={(e) => {
                const t = e.target.value.trim();
                if (t && t !== inv.title) updateInvestigation(inv.id, { title: t }).then(setInv, fail);
              }}
            />
          )}
          <label className="inv-notes">
            <span className="muted">notes</span>
            {readOnly ? (
              <div className="inv-notes-text" data-testid="investigation-notes">{inv.notes || <span className="muted">none</span>}</div>
            ) : (
              <textarea
                value={notes}
                rows={6}
                onChange={(e) => setNotes(e.target.value)}
                onBlur={() => notes !== inv.notes && updateInvestigation(inv.id, { notes }).then(setInv, fail)}
                placeholder="what you found, what to check next…"
                data-testid="investigation-notes"
              />
            )}
          </label>

          <h3>Pinned events</h3>
          {!readOnly && (
            <form
              className="inv-pin"
              onSubmit={(e) => {
                e.preventDefault();
                void pin();
              }}
            >
              <input
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder={at === null ? "select an event to pin it" : `comment on evt.num ${at}`}
                maxLength={2000}
                disabled={at === null}
                data-testid="pin-comment"
              />
              <button type="submit" className="button" disabled={at === null} data-testid="pin-event">
                pin {at ?? ""}
              </button>
            </form>
          )}
          {pinsHere.length === 0 && <p className="muted">No pinned events in this capture{readOnly ? "" : " yet"}.</p>}
          <ul className="inv-pins" data-testid="pins">
            {pinsHere.map((p) => (
              <li key={p.id} className={p.num === at ? "selected" : undefined}>
                <button type="button" className="linkish" onClick={() => onOpenEvent(p.num)} title={`show evt.num ${p.num}`} data-testid={`pin-${p.num}`}>
                  #{p.num}
                </button>
                {readOnly ? (
                  <span className="inv-pin-comment">{p.comment}</span>
                ) : (
                  <>
                    <input
                      className="inv-pin-comment"
                      defaultValue={p.comment}
                      aria-label={`comment on ${p.num}`}
                      maxLength={2000}
                      onBlur={(e) => e.target.value !== p.comment && updatePin(inv.id, p.id, e.target.value).then(() => load(inv.id), fail)}
                    />
                    <button type="button" className="button" title="unpin" onClick={() => removePin(inv.id, p.id).then(() => load(inv.id), fail)}>
                      ×
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          {pinsElsewhere > 0 && <p className="muted">and {pinsElsewhere} in the investigation&apos;s other captures.</p>}
        </section>
      )}
    </aside>
  );
}
