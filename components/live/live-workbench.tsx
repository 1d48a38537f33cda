"use client";

// The Live page: the hosts whose collectors are connected, their processes and containers
// (from /proc, refreshed every few seconds), attaching to one of them or to a filter, and the
// session as it records: its events arriving, the rate, the drops; stop opens the result as an
// ordinary capture. The recording goes on whether or not this page stays open.

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EventRow } from "../../server/api/store-types";
import type { HostProcess } from "../../collector/proc-snapshot";
import { apiCall } from "../ui/api";
import { count, timeOfDayUtc } from "../ui/format";
import styles from "./live.module.css";
import { ProfileButton } from "./profile-button";

interface HostInfo {
  host: string;
  kernel: string;
  version: string;
  connectedAt: string;
  processes: HostProcess[];
  containers: { id: string; processes: number }[];
}

interface SessionInfo {
  id: string;
  host: string;
  filter: string;
  pid: number | null;
  status: "starting" | "live" | "stopping" | "ready" | "error";
  stored: number;
  events: number;
  drops: number;
  eventsPerSec: number;
  written: number | null;
  error?: string;
  startedAt: string;
  /** Packets recorded beside the syscalls: a packet capture made at the stop. */
  packets?: { iface: string; filter: string; capture: string | null; investigation: string | null; bytes: number; captured: number | null; dropped: number | null; error?: string };
}

interface Counters {
  status: SessionInfo["status"];
  stored: number;
  events: number;
  drops: number;
  eventsPerSec: number;
}

/** Rows kept on screen: the table shows the newest; the capture keeps them all. */
const KEEP_ROWS = 400;

export function LiveWorkbench() {
  const [hosts, setHosts] = useState<HostInfo[]>();
  const [hint, setHint] = useState<{ collectorCommand: string; serverStartsCollector: boolean }>();
  const [host, setHost] = useState<string>();
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState("");
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [current, setCurrent] = useState<string>();
  const [rows, setRows] = useState<EventRow[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [counters, setCounters] = useState<Counters>();
  const [ended, setEnded] = useState<{ status: string; events: number; error?: string }>();
  const [failure, setFailure] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  // "record packets too": tcpdump on an interface beside the syscalls (collector/PROTOCOL.md).
  const [withPackets, setWithPackets] = useState(false);
  const [iface, setIface] = useState("any");
  const [packetFilter, setPacketFilter] = useState("");
  const ws = useRef<WebSocket | undefined>(undefined);
  const rowsBox = useRef<HTMLDivElement>(null);
  /** The table follows the newest rows unless the reader scrolled up to look at older ones. */
  const follow = useRef(true);
  const subscribed = useRef<string | undefined>(undefined);

  const loadHosts = useCallback(async () => {
    try {
      const h = await apiCall<{ hosts: HostInfo[]; collectorCommand: string; serverStartsCollector: boolean }>("/api/live/hosts");
      setHosts(h.hosts);
      setHint({ collectorCommand: h.collectorCommand, serverStartsCollector: h.serverStartsCollector });
      setHost((cur) => (cur && h.hosts.some((x) => x.host === cur) ? cur : h.hosts[0]?.host));
    } catch (e) {
      setProblem(`Could not list the hosts: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);

  const loadSessions = useCallback(async () => {
    try {
      setSessions((await apiCall<{ sessions: SessionInfo[] }>("/api/live/sessions")).sessions);
    } catch {
      // The hosts' problem line says enough when the server is away.
    }
  }, []);

  useEffect(() => {
    void loadHosts();
    void loadSessions();
    const t = setInterval(() => void loadHosts(), 3000);
    return () => clearInterval(t);
  }, [loadHosts, loadSessions]);

  // One socket for the page: session news for everyone, rows for the session watched.
  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const sock = new WebSocket(`${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`);
      ws.current = sock;
      sock.onopen = () => {
        if (subscribed.current) sock.send(JSON.stringify({ type: "subscribe", session: subscribed.current }));
      };
      sock.onmessage = (e) => {
        let m: Record<string, any>;
        try {
          m = JSON.parse(String(e.data));
        } catch {
          return;
        }
        if (m.type === "live-hosts") void loadHosts();
        if (m.type === "live-session") void loadSessions();
        if (m.session !== subscribed.current) return;
        if (m.type === "live-rows") {
          setRows((r) => {
            const all = r.concat(m.events as EventRow[]);
            return all.length > KEEP_ROWS ? all.slice(all.length - KEEP_ROWS) : all;
          });
          if (m.skipped) setSkipped((n) => n + Number(m.skipped));
        } else if (m.type === "live-stats") {
          setCounters({ status: m.status, stored: m.stored, events: m.events, drops: m.drops, eventsPerSec: m.eventsPerSec });
          setSessions((list) => list.map((x) => (x.id === m.session ? { ...x, status: m.status, stored: m.stored } : x)));
        } else if (m.type === "live-failed") {
          setFailure(String(m.error));
        } else if (m.type === "live-ended") {
          setEnded({ status: m.status, events: m.events, error: m.error });
          setCounters((c) => c && { ...c, status: m.status, stored: m.events, eventsPerSec: 0 });
          void loadSessions();
        } else if (m.type === "live-error") {
          setProblem(String(m.error));
        }
      };
      sock.onclose = () => {
        if (!stopped) retry = setTimeout(connect, 1000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      ws.current?.close();
    };
  }, [loadHosts, loadSessions]);

  const watch = useCallback((id: string) => {
    if (subscribed.current && subscribed.current !== id) ws.current?.send(JSON.stringify({ type: "unsubscribe", session: subscribed.current }));
    subscribed.current = id;
    setCurrent(id);
    setRows([]);
    setSkipped(0);
    setCounters(undefined);
    setEnded(undefined);
    setFailure(undefined);
    if (ws.current?.readyState === WebSocket.OPEN) ws.current.send(JSON.stringify({ type: "subscribe", session: id }));
  }, []);

  const start = useCallback(async (what: { pid?: number; filter?: string }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const packets = withPackets ? { packets: true, iface: iface.trim() || "any", packetFilter: packetFilter.trim() || undefined } : {};
      const r = await apiCall<{ id: string }>("/api/live/sessions", { method: "POST", json: { host, ...what, ...packets } });
      watch(r.id);
      void loadSessions();
    } catch (e) {
      setProblem(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }, [host, watch, loadSessions, withPackets, iface, packetFilter]);

  const stop = useCallback(async () => {
    if (!current) return;
    setBusy(true);
    try {
      const s = await apiCall<SessionInfo>(`/api/live/sessions/${current}/stop`, { method: "POST" });
      setEnded((e) => e ?? { status: s.status, events: s.stored, error: s.error });
      void loadSessions();
    } catch (e) {
      setProblem(`Could not stop: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }, [current, loadSessions]);

  useEffect(() => {
    const el = rowsBox.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

  const hostInfo = hosts?.find((h) => h.host === host);
  const procs = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = hostInfo?.processes ?? [];
    const hits = q ? list.filter((p) => `${p.pid} ${p.comm} ${p.exe} ${p.args.join(" ")} ${p.container}`.toLowerCase().includes(q)) : list;
    return hits.slice(0, 300);
  }, [hostInfo, search]);
  const session = sessions.find((s) => s.id === current);
  const status = ended?.status ?? counters?.status ?? session?.status;
  const recording = status === "starting" || status === "live" || status === "stopping";

  return (
    <>
      <div className={styles.head}>
        <h2>Live</h2>
        <Link href="/">← captures</Link>
        {hosts && hosts.length > 1 && (
          <label>
            host{" "}
            <select value={host} onChange={(e) => setHost(e.target.value)} data-testid="live-host-select">
              {hosts.map((h) => <option key={h.host} value={h.host}>{h.host}</option>)}
            </select>
          </label>
        )}
      </div>
      {problem && <p className="error-text" role="alert">{problem}</p>}
      {hosts && hosts.length === 0 && (
        <section className="panel" data-testid="live-no-collector">
          <p>No collector is connected, so there is no host to record.</p>
          <p className="hint">
            {hint?.serverStartsCollector
              ? "This server started the collector of its host itself: it may still be starting, or it stopped (the server's output says why). It can also be run by hand, as root:"
              : "The collector loads BPF programs and needs root. Run it on the host to record (the server's own host or any other that reaches this address):"}
          </p>
          <code className={styles.command}>{hint?.collectorCommand}</code>
        </section>
      )}
      <div className={styles.layout}>
        {hostInfo && (
          <section className="panel" aria-labelledby="live-procs-title">
            <h3 id="live-procs-title">
              {hostInfo.host} <span className="muted">· {count(hostInfo.processes.length)} processes · kernel {hostInfo.kernel}</span>
            </h3>
            <input
              className={styles.search} type="search" placeholder="search processes: name, pid, arguments, container"
              value={search} onChange={(e) => setSearch(e.target.value)} data-testid="live-search" aria-label="search processes"
            />
            <div className={styles.procs}>
              <table data-testid="live-processes">
                <thead>
                  <tr><th className="num">pid</th><th>name</th><th>arguments</th><th>container</th><th /></tr>
                </thead>
                <tbody>
                  {procs.map((p) => (
                    <tr key={p.pid} data-pid={p.pid}>
                      <td className="num">{p.pid}</td>
                      <td>{p.comm}</td>
                      <td className={styles.args} title={p.args.join(" ")}>{p.args.join(" ")}</td>
                      <td>{p.container || <span className="muted">host</span>}</td>
                      <td>
                        <button type="button" className="button" disabled={busy} onClick={() => void start({ pid: p.pid })} data-testid="live-attach">
                          attach
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {hostInfo.containers.length > 0 && (
              <p className="hint">
                containers:{" "}
                {hostInfo.containers.map((c) => (
                  <button key={c.id} type="button" className="button" disabled={busy} onClick={() => void start({ filter: `container.id=${c.id}` })}>
                    {c.id} ({c.processes})
                  </button>
                ))}
              </p>
            )}
            <form className={styles.filterRow} onSubmit={(e) => { e.preventDefault(); void start({ filter }); }}>
              <input
                value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="or a sysdig filter: proc.name=nginx and evt.type=accept (empty: everything)"
                aria-label="filter to record" data-testid="live-filter"
              />
              <button type="submit" className="button primary" disabled={busy} data-testid="live-record">record</button>
            </form>
            <div className={styles.packetsRow}>
              <label className={styles.nowrap}>
                <input type="checkbox" checked={withPackets} onChange={(e) => setWithPackets(e.target.checked)} data-testid="live-packets" />
                {" "}record packets too
              </label>
              {withPackets && (
                <>
                  <label className={styles.nowrap}>
                    on{" "}
                    <input value={iface} onChange={(e) => setIface(e.target.value)} size={6} aria-label="interface" data-testid="live-iface" />
                  </label>
                  <input
                    value={packetFilter} onChange={(e) => setPacketFilter(e.target.value)}
                    placeholder="pcap filter (empty: all)" aria-label="packet filter" data-testid="live-packet-filter"
                  />
                </>
              )}
            </div>
            {withPackets && <p className="hint">tcpdump records the interface beside the syscalls; at the stop its packets become a packet capture, in one investigation with the syscalls.</p>}
            {/* A CPU profile: of the watched session's process (kept with its capture), else of the host. */}
            <ProfileButton host={hostInfo.host} pid={session && session.host === hostInfo.host ? session.pid ?? undefined : undefined} captureId={session && session.host === hostInfo.host ? session.id : undefined} />
          </section>
        )}
        <section className="panel" aria-labelledby="live-session-title" data-testid="live-session">
          <h3 id="live-session-title">
            {current ? <>Session <code>{current}</code> {session && <span className="muted">· {session.pid !== null ? `pid ${session.pid}` : session.filter || "everything"}</span>}</> : "No session watched"}
            {status && <> <span className={`badge ${status === "live" || status === "starting" || status === "stopping" ? "ingesting" : status}`} data-testid="live-status">{status}</span></>}
          </h3>
          {!current && <p className="muted">Attach to a process, or record a filter: its events show here as they arrive.</p>}
          {current && (
            <>
              <div className={styles.counters}>
                <div className={styles.counter}><b data-testid="live-stored">{count(counters?.stored ?? 0)}</b><span>events stored</span></div>
                <div className={styles.counter}><b data-testid="live-rate">{count(Math.round(counters?.eventsPerSec ?? 0))}</b><span>events/s</span></div>
                <div className={`${styles.counter} ${counters?.drops ? styles.drops : ""}`}><b data-testid="live-drops">{count(counters?.drops ?? 0)}</b><span>drops</span></div>
                <div>
                  {recording && <button type="button" className="button danger" onClick={() => void stop()} disabled={busy || status === "stopping"} data-testid="live-stop">stop</button>}
                  {ended && ended.status === "ready" && (
                    <Link className="button primary" href={`/captures/${current}`} data-testid="live-open">open as a capture</Link>
                  )}
                </div>
              </div>
              {session?.packets && (
                <p className={session.packets.error ? "warning" : "muted"} data-testid="live-packets-result">
                  Packets on <code>{session.packets.iface}</code>{session.packets.filter && <> matching <code>{session.packets.filter}</code></>}:{" "}
                  {session.packets.captured !== null
                    ? `${count(session.packets.captured)} captured${session.packets.dropped ? `, ${count(session.packets.dropped)} dropped by the kernel` : ""}`
                    : "recording; the packet capture is made at the stop"}
                  {session.packets.error && <> · {session.packets.error}</>}
                  {session.packets.capture && <> · <Link href={`/captures/${session.packets.capture}`} data-testid="live-open-packets">open the packet capture</Link> (with this one in its investigation)</>}
                </p>
              )}
              {failure && <p className="error-text" role="alert" data-testid="live-failure">The recording broke off: {failure}</p>}
              {ended?.error && !failure && <p className="warning">{ended.error}</p>}
              {skipped > 0 && <p className="hint">{count(skipped)} events went by faster than this table shows them; the capture keeps every one.</p>}
              <div
                className={styles.rows} ref={rowsBox}
                onScroll={(e) => {
                  const el = e.currentTarget;
                  follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
                }}
              >
                <table data-testid="live-rows">
                  <thead>
                    <tr><th className="num">evt.num</th><th>time (UTC)</th><th>process (tid)</th><th>dir</th><th>type</th><th>arguments</th></tr>
                  </thead>
                  <tbody>
                    {rows.map((e) => (
                      <tr key={e.num}>
                        <td className="num">{e.num}</td>
                        <td>{timeOfDayUtc(e.ts)}</td>
                        <td>{e.proc} ({e.tid})</td>
                        <td>{e.dir}</td>
                        <td>{e.type}</td>
                        <td className={styles.info}>{e.info}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {sessions.length > 0 && (
            <>
              <h4>Sessions of this server</h4>
              <table className={styles.sessions} data-testid="live-sessions">
                <tbody>
                  {sessions.map((s) => (
                    <tr key={s.id}>
                      <td><code>{s.id}</code></td>
                      <td>{s.host}</td>
                      <td>{s.pid !== null ? `pid ${s.pid}` : s.filter || "everything"}</td>
                      <td><span className={`badge ${s.status === "ready" || s.status === "error" ? s.status : "ingesting"}`}>{s.status}</span></td>
                      <td className="num">{count(s.stored)}</td>
                      <td>
                        {s.id !== current && <button type="button" className="button" onClick={() => watch(s.id)}>watch</button>}
                        {s.status === "ready" && <Link className="button" href={`/captures/${s.id}`}>open</Link>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      </div>
    </>
  );
}
