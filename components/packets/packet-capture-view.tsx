"use client";

// The capture page of a packet capture (pcap, pcapng): a filter (tshark's field names, sysdig's
// operators), a timeline of the matching packets, and four views: the packet list as Wireshark
// shows it (No., Time, Source, Destination, Protocol, Length, Info; only the rows in sight are
// drawn), with the selected packet's layers (collapsible, one line per field) and its bytes
// (hex and ASCII, the selected field's bytes highlighted); the conversations per 5-tuple; the
// findings (Wireshark's expert info); the gaps between matching packets. Below, the
// correlation with a syscall capture of the same investigation: the selected connection's
// syscalls and packets on one time axis. The URL holds the view (`?filter=…&view=…&at=N`).

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "next/navigation";
import styles from "./packets.module.css";
import {
  fetchConversations, fetchEventsPage, fetchFindings, fetchPacket, fetchPacketGaps, fetchPacketTimeline, fetchPackets,
  type ConversationRow, type FindingRow, type PacketDetail,
} from "./packet-client";
import type { PacketListRow } from "../../server/api/packet-store";
import { createInvestigation, listInvestigations, getInvestigation } from "../investigation/investigation-client";
import { fetchCaptures } from "../ui/api";
import { durationNs } from "../ui/format";
import { packetFilterFor, syscallFilterFor, type Endpoints } from "../../server/core/analyses/correlate";
import type { CaptureSummary, EventRow } from "../../server/api/store-types";

type Tab = "packets" | "conversations" | "findings" | "gaps";
const TABS: { tab: Tab; label: string; title: string }[] = [
  { tab: "packets", label: "packets", title: "the packets, as Wireshark lists them, with the selected one's layers and bytes" },
  { tab: "conversations", label: "conversations", title: "one row per 5-tuple, either direction: packets and bytes each way, duration, retransmissions, handshake RTT" },
  { tab: "findings", label: "findings", title: "Wireshark's expert info: retransmissions, duplicate ACKs, zero windows, resets, ICMP frag-needed with its MTU" },
  { tab: "gaps", label: "gaps", title: "silences between the packets the filter keeps (the flapping VRRP story)" },
];
const ROW = 22;

/** The connection the correlation shows: a conversation's tuple or a selected packet's. */
type Conn = Endpoints & { label: string; packet?: PacketListRow };
const PAGE = 500;

interface Props {
  captureId: string;
  fileName: string;
  firstTs: string | null;
  lastTs: string | null;
}

function relTime(ts: string, first: string | null): string {
  if (first === null) return ts;
  return (Number(BigInt(ts) - BigInt(first)) / 1e9).toFixed(6);
}

/** The URL's view, replaced in place (selection) or pushed (a new filter or view). */
function useViewState() {
  const params = useSearchParams();
  const [filter, setFilterState] = useState(params.get("filter") ?? "");
  const [tab, setTabState] = useState<Tab>((TABS.find((t) => t.tab === params.get("view"))?.tab) ?? "packets");
  const [at, setAtState] = useState<number | null>(params.get("at") ? Number(params.get("at")) : null);
  const write = useCallback((patch: Record<string, string | null>, push: boolean) => {
    const url = new URL(window.location.href);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") url.searchParams.delete(k);
      else url.searchParams.set(k, v);
    }
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);
  return {
    filter, tab, at,
    setFilter: (f: string) => { setFilterState(f); write({ filter: f, at: null }, true); },
    setTab: (t: Tab) => { setTabState(t); write({ view: t === "packets" ? null : t }, true); },
    setAt: (n: number | null) => { setAtState(n); write({ at: n === null ? null : String(n) }, false); },
  };
}

export function PacketCaptureView({ captureId, fileName, firstTs }: Props) {
  const v = useViewState();
  const [text, setText] = useState(v.filter);
  const [error, setError] = useState<string>();
  const [conn, setConn] = useState<Conn | null>(null);

  const selectConversation = (c: ConversationRow) => {
    const e = endpointsOf(c);
    if (e) setConn({ ...e, label: `${c.proto} ${c.a} ⇄ ${c.b}` });
  };

  return (
    <section aria-label="packet capture">
      <form className={styles.bar} onSubmit={(e) => { e.preventDefault(); v.setFilter(text.trim()); }}>
        <label htmlFor="packet-filter">filter</label>
        <input id="packet-filter" type="text" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false}
          placeholder="e.g. icmp.type=3 and icmp.mtu<1500, tcp.port=443, vrrp.vrid=51 (casefile fields lists them)" aria-label="packet filter" />
        <button type="submit">apply</button>
        {v.filter && <button type="button" onClick={() => { setText(""); v.setFilter(""); }}>clear</button>}
      </form>
      {error && <p className={styles.error} role="alert">{error}</p>}
      <p className={styles.muted}>
        <code>casefile packets {fileName}{v.filter ? ` '${v.filter}'` : ""}</code>
      </p>
      <PacketTimeline captureId={captureId} filter={v.filter} />
      <nav className={styles.tabs} role="tablist">
        {TABS.map((t) => (
          <button key={t.tab} type="button" role="tab" aria-selected={v.tab === t.tab} title={t.title}
            className={`${styles.tab} ${v.tab === t.tab ? styles.tabActive : ""}`} onClick={() => v.setTab(t.tab)}>{t.label}</button>
        ))}
      </nav>
      {v.tab === "packets" && (
        <PacketsPane captureId={captureId} filter={v.filter} at={v.at} firstTs={firstTs} onError={setError}
          onSelect={(row) => {
            v.setAt(row.num);
            const e = rowEndpoints(row);
            if (e) setConn({ ...e, label: `${row.proto} ${row.src}:${e.aPort} ⇄ ${row.dst}:${e.bPort}`, packet: row });
          }} />
      )}
      {v.tab === "conversations" && (
        <ConversationsPane captureId={captureId} onError={setError} onPick={(c) => { selectConversation(c); }} onFilter={(c) => {
          const e = endpointsOf(c);
          if (!e) return;
          const f = packetFilterFor(e);
          setText(f);
          v.setFilter(f);
          v.setTab("packets");
        }} />
      )}
      {v.tab === "findings" && <FindingsPane captureId={captureId} onError={setError} onPick={(n) => { v.setTab("packets"); v.setAt(n); }} />}
      {v.tab === "gaps" && <GapsPane captureId={captureId} fileName={fileName} filter={v.filter} onError={setError} onPick={(n) => { v.setTab("packets"); v.setAt(n); }} />}
      <CorrelatePanel captureId={captureId} conn={conn} />
    </section>
  );
}

function endpointsOf(c: ConversationRow): Endpoints | undefined {
  if (c.proto !== "TCP" && c.proto !== "UDP") return undefined;
  const split = (s: string) => {
    const i = s.lastIndexOf(":");
    return { addr: s.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(s.slice(i + 1)) };
  };
  const a = split(c.a), b = split(c.b);
  return { proto: c.proto === "TCP" ? "tcp" : "udp", aAddr: a.addr, aPort: a.port, bAddr: b.addr, bPort: b.port };
}

/** A TCP/UDP packet's tuple, from its Info column's ports (the list rows carry no ports). */
function rowEndpoints(row: PacketListRow): Endpoints | undefined {
  if (row.proto !== "TCP" && row.proto !== "UDP") return undefined;
  const m = /^(?:\[[^\]]*\] )*(\d+) → (\d+)/.exec(row.info);
  if (!m) return undefined;
  return { proto: row.proto === "TCP" ? "tcp" : "udp", aAddr: row.src, aPort: Number(m[1]), bAddr: row.dst, bPort: Number(m[2]) };
}

function PacketTimeline({ captureId, filter }: { captureId: string; filter: string }) {
  const [t, setT] = useState<{ counts: number[]; binNs: string }>();
  useEffect(() => {
    const ac = new AbortController();
    fetchPacketTimeline(captureId, filter, 200, ac.signal).then(setT, () => setT(undefined));
    return () => ac.abort();
  }, [captureId, filter]);
  if (!t) return <svg className={styles.timeline} aria-label="packets over time" />;
  const max = Math.max(1, ...t.counts);
  const w = 1000 / t.counts.length;
  return (
    <svg className={styles.timeline} viewBox="0 0 1000 48" preserveAspectRatio="none" aria-label="packets over time">
      <title>{`matching packets per ${durationNs(t.binNs)}`}</title>
      {t.counts.map((c, i) => c > 0 && (
        <rect key={i} x={i * w} width={Math.max(w - 0.5, 0.5)} y={48 - (46 * c) / max} height={(46 * c) / max} fill="#3b82f6">
          <title>{`${c} packets`}</title>
        </rect>
      ))}
    </svg>
  );
}

function PacketsPane({ captureId, filter, at, firstTs, onError, onSelect }: {
  captureId: string; filter: string; at: number | null; firstTs: string | null;
  onError: (e?: string) => void; onSelect: (row: PacketListRow) => void;
}) {
  const [rows, setRows] = useState<PacketListRow[]>([]);
  const [next, setNext] = useState<number | null>(1);
  const [loading, setLoading] = useState(false);
  const [scroll, setScroll] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const gen = useRef(0);
  // One page in flight at a time: the scroll and the selection both ask for the next page, and
  // two answers for one page would list its packets twice.
  const busy = useRef(false);

  const load = useCallback(async (from: number, reset: boolean) => {
    if (busy.current && !reset) return;
    busy.current = true;
    const g = gen.current;
    setLoading(true);
    try {
      const page = await fetchPackets(captureId, from, PAGE, filter);
      if (g !== gen.current) return;
      setRows((r) => (reset ? page.packets : [...r, ...page.packets]));
      setNext(page.next);
      onError(undefined);
    } catch (e) {
      if (g === gen.current) { onError((e as Error).message); setNext(null); }
    } finally {
      if (g === gen.current) {
        busy.current = false;
        setLoading(false);
      }
    }
  }, [captureId, filter, onError]);

  useEffect(() => {
    gen.current++;
    busy.current = false;
    setRows([]);
    setNext(1);
    void load(1, true);
  }, [load]);

  // The selected packet (a finding's, a gap's, a link's) is loaded and brought into sight.
  useEffect(() => {
    if (at === null || loading) return;
    const i = rows.findIndex((r) => r.num === at);
    if (i < 0 && next !== null && (rows.length === 0 || rows[rows.length - 1].num < at)) { void load(next, false); return; }
    if (i >= 0 && box.current) {
      const top = i * ROW;
      if (top < box.current.scrollTop || top > box.current.scrollTop + box.current.clientHeight - 2 * ROW) box.current.scrollTop = Math.max(0, top - 3 * ROW);
    }
  }, [at, rows, next, loading, load]);

  const height = box.current?.clientHeight ?? 352;
  const first = Math.max(0, Math.floor(scroll / ROW) - 5);
  const last = Math.min(rows.length, Math.ceil((scroll + height) / ROW) + 5);
  const onScroll = () => {
    const el = box.current!;
    setScroll(el.scrollTop);
    if (!loading && next !== null && el.scrollTop + el.clientHeight > rows.length * ROW - 10 * ROW) void load(next, false);
  };
  const selected = rows.find((r) => r.num === at);

  return (
    <>
      <div className={styles.list} ref={box} onScroll={onScroll} role="grid" aria-label="packet list" aria-rowcount={rows.length}>
        <div className={styles.head} role="row">
          <span>No.</span><span>Time</span><span>Source</span><span>Destination</span><span>Protocol</span><span>Length</span><span>Info</span>
        </div>
        <div style={{ height: rows.length * ROW, position: "relative" }}>
          {rows.slice(first, last).map((r, k) => (
            <div key={r.num} role="row" aria-selected={r.num === at} data-num={r.num}
              className={`${styles.row} ${r.num === at ? styles.selected : ""} ${r.malformed ? styles.malformed : ""}`}
              style={{ top: (first + k) * ROW }} onClick={() => onSelect(r)} title={r.malformed ? `malformed: ${r.malformed}` : undefined}>
              <span>{r.num}</span><span>{relTime(r.ts, firstTs)}</span><span>{r.src}</span><span>{r.dst}</span>
              <span>{r.proto}</span><span>{r.len}</span><span>{r.info}</span>
            </div>
          ))}
        </div>
      </div>
      <p className={styles.muted}>{rows.length} packets shown{next !== null ? " (more as you scroll)" : ""}{loading ? " · loading…" : ""}</p>
      {selected && <PacketPanes captureId={captureId} num={selected.num} />}
    </>
  );
}

function PacketPanes({ captureId, num }: { captureId: string; num: number }) {
  const [d, setD] = useState<PacketDetail>();
  const [err, setErr] = useState<string>();
  const [hl, setHl] = useState<{ offset: number; length: number; name: string }>();
  useEffect(() => {
    const ac = new AbortController();
    setD(undefined);
    setHl(undefined);
    fetchPacket(captureId, num, ac.signal).then(setD, (e: Error) => { if (!ac.signal.aborted) setErr(e.message); });
    return () => ac.abort();
  }, [captureId, num]);
  if (err) return <p className={styles.error}>{err}</p>;
  if (!d) return <p className={styles.muted}>packet {num}…</p>;
  return (
    <div className={styles.panes}>
      <div className={styles.detail} aria-label="packet layers">
        <div>Frame {d.num}: {d.len} bytes on wire, {d.caplen} captured{d.malformed ? ` · malformed: ${d.malformed}` : ""}</div>
        {d.layers.map((l, i) => (
          <details key={i} open>
            <summary onClick={() => setHl({ offset: l.offset, length: l.length, name: l.name })}>{l.name} ({l.length} bytes at {l.offset})</summary>
            {l.fields.map((f, j) => (
              <span key={j} className={`${styles.field} ${hl?.name === f.name && hl.offset === f.offset ? styles.fieldOn : ""}`}
                onClick={() => setHl({ offset: f.offset, length: f.length, name: f.name })} data-field={f.name}>
                {f.name} = {String(f.value)}
              </span>
            ))}
          </details>
        ))}
      </div>
      <HexView hex={d.hex} hl={hl} />
    </div>
  );
}

function HexView({ hex, hl }: { hex: string; hl?: { offset: number; length: number } }) {
  const bytes = useMemo(() => {
    const b: number[] = [];
    for (let i = 0; i < hex.length; i += 2) b.push(parseInt(hex.slice(i, i + 2), 16));
    return b;
  }, [hex]);
  const on = (i: number) => hl !== undefined && i >= hl.offset && i < hl.offset + hl.length;
  const lines = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.slice(o, o + 16);
    lines.push(
      <div key={o}>
        {o.toString(16).padStart(4, "0")}{"  "}
        {row.map((b, k) => <span key={k} className={on(o + k) ? styles.hl : undefined}>{b.toString(16).padStart(2, "0")}{k === 7 ? "  " : " "}</span>)}
        {"   ".repeat(16 - row.length)}{" "}
        {row.map((b, k) => <span key={k} className={on(o + k) ? styles.hl : undefined}>{b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "."}</span>)}
      </div>,
    );
  }
  return <div className={styles.bytes} aria-label="packet bytes">{lines}</div>;
}

function ConversationsPane({ captureId, onError, onPick, onFilter }: {
  captureId: string; onError: (e?: string) => void; onPick: (c: ConversationRow) => void; onFilter: (c: ConversationRow) => void;
}) {
  const [rows, setRows] = useState<ConversationRow[]>();
  const [picked, setPicked] = useState<number>();
  useEffect(() => {
    const ac = new AbortController();
    fetchConversations(captureId, ac.signal).then(setRows, (e: Error) => onError(e.message));
    return () => ac.abort();
  }, [captureId, onError]);
  if (!rows) return <p className={styles.muted}>conversations…</p>;
  return (
    <table className={styles.table} aria-label="conversations">
      <thead>
        <tr><th>proto</th><th>A</th><th>B</th><th className={styles.num}>packets A→B</th><th className={styles.num}>bytes A→B</th><th className={styles.num}>packets B→A</th><th className={styles.num}>bytes B→A</th><th className={styles.num}>duration</th><th className={styles.num}>retrans.</th><th className={styles.num}>handshake RTT</th><th /></tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} className={picked === c.id ? styles.selected : undefined} onClick={() => { setPicked(c.id); onPick(c); }} data-conv={c.id}>
            <td>{c.proto}</td><td>{c.a}</td><td>{c.b}</td>
            <td className={styles.num}>{c.packetsAB}</td><td className={styles.num}>{c.bytesAB}</td>
            <td className={styles.num}>{c.packetsBA}</td><td className={styles.num}>{c.bytesBA}</td>
            <td className={styles.num}>{durationNs(c.durationNs)}</td><td className={styles.num}>{c.retransmissions}</td>
            <td className={styles.num}>{c.rttNs === null ? "–" : durationNs(c.rttNs)}</td>
            <td>{(c.proto === "TCP" || c.proto === "UDP") && <button type="button" onClick={(e) => { e.stopPropagation(); onFilter(c); }}>packets</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FindingsPane({ captureId, onError, onPick }: { captureId: string; onError: (e?: string) => void; onPick: (num: number) => void }) {
  const [rows, setRows] = useState<FindingRow[]>();
  useEffect(() => {
    const ac = new AbortController();
    fetchFindings(captureId, ac.signal).then(setRows, (e: Error) => onError(e.message));
    return () => ac.abort();
  }, [captureId, onError]);
  if (!rows) return <p className={styles.muted}>findings…</p>;
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return (
    <>
      <p>{rows.length === 0 ? "no findings" : [...counts].map(([k, n]) => `${n} ${k}`).join(" · ")}</p>
      <table className={styles.table} aria-label="findings">
        <thead><tr><th className={styles.num}>No.</th><th>kind</th><th>detail</th><th className={styles.num}>refers to</th><th className={styles.num}>conversation</th></tr></thead>
        <tbody>
          {rows.map((f) => (
            <tr key={`${f.num}-${f.kind}`} onClick={() => onPick(f.num)} data-finding={f.kind}>
              <td className={styles.num}>{f.num}</td><td>{f.kind}</td><td>{f.detail}</td>
              <td className={styles.num}>{f.refNum ?? ""}</td><td className={styles.num}>{f.flow ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function GapsPane({ captureId, fileName, filter, onError, onPick }: { captureId: string; fileName: string; filter: string; onError: (e?: string) => void; onPick: (num: number) => void }) {
  const [min, setMin] = useState("1s");
  const [applied, setApplied] = useState("1s");
  const [rows, setRows] = useState<{ num: number; prevNum: number; gapNs: string; ts: string }[]>();
  useEffect(() => {
    const ac = new AbortController();
    setRows(undefined);
    fetchPacketGaps(captureId, filter, applied, ac.signal).then(setRows, (e: Error) => onError(e.message));
    return () => ac.abort();
  }, [captureId, filter, applied, onError]);
  return (
    <>
      <form className={styles.bar} onSubmit={(e) => { e.preventDefault(); setApplied(min); }}>
        <label htmlFor="gap-min">longer than</label>
        <input id="gap-min" value={min} onChange={(e) => setMin(e.target.value)} size={8} />
        <button type="submit">find gaps</button>
        <code className={styles.muted}>casefile gaps {fileName} --filter &apos;{filter}&apos; --min {applied}</code>
      </form>
      {!rows ? <p className={styles.muted}>gaps…</p> : rows.length === 0 ? <p>no gap longer than {applied} between matching packets</p> : (
        <table className={`${styles.table} ${styles.narrow}`} aria-label="gaps">
          <thead><tr><th className={styles.num}>gap</th><th className={styles.num}>after No.</th><th className={styles.num}>No.</th></tr></thead>
          <tbody>{rows.map((g) => (
            <tr key={g.num} onClick={() => onPick(g.num)} data-gap={g.num}><td className={styles.num}>{durationNs(g.gapNs)}</td><td className={styles.num}>{g.prevNum}</td><td className={styles.num}>{g.num}</td></tr>
          ))}</tbody>
        </table>
      )}
    </>
  );
}

/** The syscall captures beside this one (those of its investigations), all ready syscall
 *  captures (to start one with), and a way to say the list changed. */
function useSyscallCaptures(captureId: string): { caps: CaptureSummary[]; all: CaptureSummary[]; reload: () => void } {
  const [caps, setCaps] = useState<CaptureSummary[]>([]);
  const [all, setAll] = useState<CaptureSummary[]>([]);
  const [gen, setGen] = useState(0);
  useEffect(() => {
    let live = true;
    (async () => {
      const invs = await listInvestigations(captureId).catch(() => []);
      const ids = new Set<string>();
      for (const s of invs) {
        const inv = await getInvestigation(s.id).catch(() => undefined);
        for (const c of inv?.captures ?? []) if (c !== captureId) ids.add(c);
      }
      const list = (await fetchCaptures().catch(() => [])).filter((c) => c.format === "scap" && c.status === "ready");
      if (!live) return;
      setAll(list);
      setCaps(list.filter((c) => ids.has(c.id)));
    })();
    return () => { live = false; };
  }, [captureId, gen]);
  return { caps, all, reload: () => setGen((g) => g + 1) };
}

function CorrelatePanel({ captureId, conn }: { captureId: string; conn: Conn | null }) {
  const { caps: syscallCaps, all, reload } = useSyscallCaptures(captureId);
  const [choice, setChoice] = useState("");
  const [events, setEvents] = useState<EventRow[]>();
  const [packets, setPackets] = useState<PacketListRow[]>();
  const [err, setErr] = useState<string>();
  const other = syscallCaps[0];
  useEffect(() => {
    if (!conn || !other) return;
    const ac = new AbortController();
    setEvents(undefined);
    setPackets(undefined);
    setErr(undefined);
    // The connection's packets (either way) give its span; its syscalls are matched by tuple
    // within that span, widened by a second (the two recorders start apart).
    fetchPackets(captureId, 1, 5000, packetFilterFor(conn), ac.signal).then(async (p) => {
      setPackets(p.packets);
      const lo = p.packets.length ? BigInt(p.packets[0].ts) - 1_000_000_000n : undefined;
      const hi = p.packets.length ? BigInt(p.packets[p.packets.length - 1].ts) + 1_000_000_000n : undefined;
      const filter = syscallFilterFor(conn, lo !== undefined ? { firstTs: lo, lastTs: hi! } : undefined);
      const page = await fetchEventsPage(other.id, 1, 2000, filter, ac.signal);
      setEvents(page.events);
    }).catch((e: Error) => { if (!ac.signal.aborted) setErr(e.message); });
    return () => ac.abort();
  }, [captureId, conn, other]);

  if (!other) {
    return (
      <div className={styles.correlate} aria-label="correlation">
        <h3>syscalls of a connection</h3>
        <p className={styles.muted}>Investigate this capture together with a syscall capture of the same host to see a connection&apos;s syscalls beside its packets.</p>
        {all.length > 0 && (
          <form className={styles.bar} onSubmit={async (e) => {
            e.preventDefault();
            const pick = all.find((c) => c.id === (choice || all[0].id))!;
            await createInvestigation(`${pick.name} and its packets`, [pick.id, captureId]).catch((x: Error) => setErr(x.message));
            reload();
          }}>
            <label htmlFor="correlate-with">syscall capture</label>
            <select id="correlate-with" value={choice} onChange={(e) => setChoice(e.target.value)}>
              {all.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
            <button type="submit">investigate together</button>
          </form>
        )}
        {err && <p className={styles.error}>{err}</p>}
      </div>
    );
  }
  if (!conn) {
    return (
      <div className={styles.correlate} aria-label="correlation">
        <h3>syscalls of a connection · {other.name}</h3>
        <p className={styles.muted}>Select a TCP or UDP packet, or a conversation, to see its syscalls in {other.name} and its packets on one time axis.</p>
      </div>
    );
  }
  const times = [...(events ?? []).map((e) => BigInt(e.ts)), ...(packets ?? []).map((p) => BigInt(p.ts))];
  const t0 = times.length ? times.reduce((a, b) => (a < b ? a : b)) : 0n;
  const t1 = times.length ? times.reduce((a, b) => (a > b ? a : b)) : 1n;
  const span = Number(t1 - t0) || 1;
  const x = (ts: string) => 90 + (Number(BigInt(ts) - t0) / span) * 900;
  const picked = conn.packet ? BigInt(conn.packet.ts) : undefined;
  const nearest = picked !== undefined && events?.length
    ? events.reduce((a, b) => (abs(BigInt(b.ts) - picked) < abs(BigInt(a.ts) - picked) ? b : a)) : undefined;
  return (
    <div className={styles.correlate} aria-label="correlation">
      <h3>{conn.label} · syscalls in {other.name} and packets here</h3>
      {err && <p className={styles.error}>{err}</p>}
      {events && packets && (
        <>
          <svg className={styles.lanes} viewBox="0 0 1000 64" aria-label="connection timeline">
            <text x="4" y="22" fontSize="11" fill="currentColor">syscalls</text>
            <text x="4" y="52" fontSize="11" fill="currentColor">packets</text>
            {events.map((e) => <line key={`e${e.num}`} x1={x(e.ts)} x2={x(e.ts)} y1="8" y2="30" stroke={e === nearest ? "#f39c12" : "#8e44ad"} strokeWidth={e === nearest ? 3 : 1.5}><title>{`#${e.num} ${e.proc} ${e.dir} ${e.type}`}</title></line>)}
            {packets.map((p) => <line key={`p${p.num}`} x1={x(p.ts)} x2={x(p.ts)} y1="38" y2="60" stroke={p.num === conn.packet?.num ? "#f39c12" : "#3b82f6"} strokeWidth={p.num === conn.packet?.num ? 3 : 1.5}><title>{`${p.num} ${p.info}`}</title></line>)}
          </svg>
          <p className={styles.muted}>{events.length} syscalls · {packets.length} packets · over {durationNs(String(t1 - t0))}</p>
          <ul className={styles.events} aria-label="connection syscalls">
            {events.map((e) => (
              <li key={e.num} className={e === nearest ? styles.near : undefined} data-num={e.num}>
                {e.num} {e.proc} ({e.tid}) {e.dir} {e.type} {e.info}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

const abs = (v: bigint) => (v < 0n ? -v : v);
