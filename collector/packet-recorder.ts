// Packets beside syscalls (issue 11 item 5): tcpdump on one interface, its pcap on stdout.
// tcpdump rather than an AF_PACKET socket in the loader: it is installed (scripts/setup.sh),
// libpcap already does TPACKET_V3 rings, BPF filter compilation, `any` (Linux cooked SLL) and
// nanosecond stamps, and its output is a file tshark and Wireshark read as they are; our own
// socket would be the same ring with less tested code. It writes pcap (tcpdump 4.99 has no
// pcapng writer), with --nano timestamps so packets line up with the syscalls' nanoseconds, and
// --immediate-mode: without it libpcap's TPACKET_V3 ring hands a block over only when it fills
// or after its 1 s timeout, and a SIGINT within that second left "0 packets captured" here.
//
// Never left behind: it runs under `setpriv --pdeathsig KILL` (the kernel kills it when this
// process dies, however it dies), with -Z root so that tcpdump does not change its user (a
// credential change would clear the death signal); stop() sends SIGINT (tcpdump flushes and
// prints its counts) and SIGKILL after 3 s.

import { spawn, type ChildProcess } from "node:child_process";

export interface PacketRecorderOptions {
  /** The interface (default `any`). */
  iface?: string;
  /** A pcap filter expression (tcpdump's syntax), if any. */
  filter?: string;
  /** Traffic never recorded: the collector's own connection to the server, which on `lo` or
   *  `any` would otherwise record itself (each frame sent makes packets, sent in the next frame). */
  exclude?: { host: string; port: number }[];
  /** Bytes of each packet kept (default 0: whole packets). */
  snaplen?: number;
  /** The pcap byte stream, in order (the first bytes are the file header). */
  write(b: Buffer): void;
  /** tcpdump stopped without being asked; the reason. */
  onEnd?(failure: string): void;
}

export interface PacketTotals {
  /** tcpdump's own counts at its exit ("N packets captured", "M packets dropped by kernel"). */
  captured: number;
  dropped: number;
  bytes: number;
  failure?: string;
}

/** The kernel ring tcpdump asks for, in KiB. libpcap's default (2 MiB) holds only ~30 packets of
 *  lo's 64 KiB MTU: a burst of loopback traffic from anything else on the host made tcpdump
 *  report kernel drops here. */
const RING_KIB = 16384;

/** tcpdump's arguments for the options (exported for the tests and the docs). */
export function tcpdumpArgs(o: Pick<PacketRecorderOptions, "iface" | "filter" | "exclude" | "snaplen">): string[] {
  const parts: string[] = [];
  if (o.filter && o.filter.trim()) parts.push(`(${o.filter.trim()})`);
  for (const x of o.exclude ?? []) parts.push(`not (host ${x.host} and tcp port ${x.port})`);
  return [
    "-i", o.iface || "any", "-B", String(RING_KIB), "-U", "--immediate-mode", "-n", "--nano", "-s", String(o.snaplen ?? 0), "-Z", "root", "-w", "-",
    ...(parts.length ? [parts.join(" and ")] : []),
  ];
}

/** Interface names as tcpdump and the kernel take them. */
export const IFACE_PATTERN = /^[\w.:@-]{1,15}$/;

export class PacketRecorder {
  private child?: ChildProcess;
  private closed?: Promise<void>;
  private stopping = false;
  private stderr = "";
  private bytes = 0;
  /** The pid of tcpdump while it runs (tests check it is gone after stop). */
  pid?: number;

  constructor(private readonly o: PacketRecorderOptions) {
    if (o.iface !== undefined && !IFACE_PATTERN.test(o.iface)) throw new Error(`not an interface name: ${JSON.stringify(o.iface)}`);
  }

  /** Resolves once tcpdump listens (its "listening on" line); rejects with its error (a bad
   *  filter, no such interface) when it exits first. */
  start(): Promise<void> {
    const child = spawn("setpriv", ["--pdeathsig", "KILL", "--", "tcpdump", ...tcpdumpArgs(this.o)], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.pid = child.pid;
    child.stdout!.on("data", (b: Buffer) => {
      this.bytes += b.length;
      this.o.write(b);
    });
    child.stderr!.setEncoding("utf8");
    return new Promise((ready, fail) => {
      let listening = false;
      child.stderr!.on("data", (s: string) => {
        // Bounded: tcpdump says little, but nothing here grows without bound.
        this.stderr = (this.stderr + s).slice(-4096);
        if (!listening && /listening on/.test(this.stderr)) {
          listening = true;
          ready();
        }
      });
      child.on("error", (e) => {
        if (!listening) fail(new Error(`cannot run tcpdump: ${e.message}`));
      });
      this.closed = new Promise((done) => {
        child.on("close", (code, signal) => {
          this.pid = undefined;
          const why = this.failure(code, signal);
          if (!listening) fail(new Error(why ?? "tcpdump stopped before it listened"));
          else if (why && !this.stopping) this.o.onEnd?.(why);
          done();
        });
      });
    });
  }

  private failure(code: number | null, signal: NodeJS.Signals | null): string | undefined {
    if (this.stopping && (code === 0 || signal === "SIGINT" || signal === "SIGTERM" || signal === "SIGKILL")) return undefined;
    const last = this.stderr.split("\n").map((l) => l.trim()).filter((l) => l && !/^listening on|packets (captured|received|dropped)/.test(l)).pop();
    return `tcpdump ${code !== null ? `exited with status ${code}` : `was killed by ${signal}`}${last ? `: ${last}` : ""}`;
  }

  /** Stops tcpdump (its last packets are still written); its counts. */
  async stop(): Promise<PacketTotals> {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) {
      this.stopping = true;
      // setpriv has exec'd tcpdump: the pid is tcpdump's.
      c.kill("SIGINT");
      const timer = setTimeout(() => c.kill("SIGKILL"), 3000);
      await this.closed;
      clearTimeout(timer);
    } else await this.closed;
    const n = (what: RegExp) => Number(what.exec(this.stderr)?.[1] ?? 0);
    const failure = c && !this.stopping ? this.failure(c.exitCode, c.signalCode) : undefined;
    return { captured: n(/(\d+) packets? captured/), dropped: n(/(\d+) packets? dropped by kernel/), bytes: this.bytes, ...(failure ? { failure } : {}) };
  }
}
