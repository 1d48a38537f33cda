// Rendering an event's parameters as `sysdig -r` prints them in evt.info (the rules of libsinsp's
// get_param_as_str, as sysdig 0.29.3 applies them).

import { EVENTS } from "./event-table";
import { ERRNO_NAMES } from "./errno";
import { SIGNAL_NAMES } from "./signals";
import { FLAGS_ADDED_AFTER_SYSDIG_0_29 } from "./flags";
import { SYSCALL_NAMES } from "./syscalls";
import { PF, PT, type NameValue, type ParamInfo } from "./types";
import type { ParamIndex } from "./params";
import { ipv4At, ipv6At, isV4Mapped } from "./net";
import { fdLabel, type Fd } from "../state/threads";
import { AT_FDCWD, resolvePath } from "./paths";
import { sanitized } from "./sanitize";

/** What rendering needs to know about the system at this event. */
export interface RenderContext {
  /** The fd in the event thread's table, if known. */
  fd(fd: number): Fd | undefined;
  /** The event thread's working directory ("" if unknown). */
  cwd(): string;
  /** The command name of a thread, or undefined if unknown. */
  comm(tid: number): string | undefined;
  /** The names of a uid and a gid in the capture's user list (undefined: not in it). Without
   *  these, every id is shown as unknown. */
  userName?(uid: number): string | undefined;
  groupName?(gid: number): string | undefined;
}

const GENERIC_TYPES: ReadonlySet<number> = new Set(
  EVENTS.flatMap((e, id) => (e.name === "syscall" && e.params[0]?.type === PT.SYSCALLID ? [id] : [])),
);

/** sysdig shows at most this many characters of a byte buffer (its -s default), then "...". */
const BUF_PRINT_LIMIT = 80;

/** An errno result: the signed 64-bit value, named when negative. libsinsp looks the name up
 *  with the value cut to 32 bits (errno_to_str((int32_t)val)). */
export function errnoText(v: number | bigint): string {
  const big = BigInt(v);
  const name = big < 0n ? ERRNO_NAMES[-Number(BigInt.asIntN(32, big))] : undefined;
  return name ? `${big}(${name})` : `${big}`;
}

/** Flags: the number, then the names of the flags it holds, in table order. A flag equal to
 *  the whole value ends the list (so a 0 value shows its zero-named flag, e.g. F_OK). */
export function flagsText(val: number, table: readonly NameValue[] | undefined): string {
  if (!table) return `${val}`;
  const names: string[] = [];
  let rest = val;
  let i = 0;
  for (; i < table.length && table[i][1] !== val; i++) {
    if (FLAGS_ADDED_AFTER_SYSDIG_0_29.has(table[i][0])) continue;
    const f = table[i][1];
    if (f !== 0 && rest !== 0 && (rest & f) >>> 0 === f) {
      names.push(table[i][0]);
      rest = (rest & ~f) >>> 0;
    }
  }
  if (i < table.length && !FLAGS_ADDED_AFTER_SYSDIG_0_29.has(table[i][0])) names.push(table[i][0]);
  return names.length ? `${val}(${names.join("|")})` : `${val}`;
}

function enumText(val: number, table: readonly NameValue[] | undefined): string {
  const hit = table?.find((f) => f[1] === val && !FLAGS_ADDED_AFTER_SYSDIG_0_29.has(f[0]));
  return hit ? `${val}(${hit[0]})` : `${val}`;
}

/** Bytes as sysdig's "normal" buffer format prints them: printable ASCII kept, the rest '.'. */
export function printableBuffer(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return s;
}

function truncated(s: string): string {
  return s.length > BUF_PRINT_LIMIT ? `${s.slice(0, BUF_PRINT_LIMIT - 3)}...` : s;
}

function hex(v: number | bigint): string {
  return v.toString(16).toUpperCase();
}

/** A sockaddr as sysdig prints it (get_param_as_str), and names a socket by it (bind, connect
 *  of a family other than inet): ip:port (an IPv4-mapped IPv6 address keeps its ::ffff:
 *  form), the unix path, or `family N` for any other family; NULL when empty. */
export function sockaddrText(b: Uint8Array): string {
  if (b.length === 0) return "NULL";
  const family = b[0];
  if (family === 2 && b.length >= 7) return `${ipv4At(b, 1)}:${b[5] | (b[6] << 8)}`;
  // An IPv4-mapped address keeps its ::ffff: form (unlike in a socket tuple).
  if (family === 10 && b.length >= 19) return `${ipv6At(b, 1)}:${b[17] | (b[18] << 8)}`;
  // Unix paths go through libsinsp's sanitize_string: unprintable characters are dropped.
  if (family === 1) return sanitized(cstring(b.subarray(1)));
  return `family ${family}`;
}

export function socktupleText(b: Uint8Array): string {
  if (b.length === 0) return "NULL";
  const family = b[0];
  if (family === 2 && b.length >= 13) {
    return `${ipv4At(b, 1)}:${b[5] | (b[6] << 8)}->${ipv4At(b, 7)}:${b[11] | (b[12] << 8)}`;
  }
  if (family === 10 && b.length >= 37) {
    if (isV4Mapped(b, 1) && isV4Mapped(b, 19)) {
      return `${ipv4At(b, 13)}:${b[17] | (b[18] << 8)}->${ipv4At(b, 31)}:${b[35] | (b[36] << 8)}`;
    }
    return `${ipv6At(b, 1)}:${b[17] | (b[18] << 8)}->${ipv6At(b, 19)}:${b[35] | (b[36] << 8)}`;
  }
  if (family === 1 && b.length >= 17) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const src = dv.getBigUint64(1, true).toString(16);
    const dst = dv.getBigUint64(9, true).toString(16);
    return `${src}->${dst} ${sanitized(cstring(b.subarray(17)))}`;
  }
  return `family ${family}`;
}

function cstring(b: Uint8Array): string {
  let e = b.indexOf(0);
  if (e < 0) e = b.length;
  return new TextDecoder().decode(b.subarray(0, e));
}

function fdText(p: ParamIndex, i: number, ctx: RenderContext): string {
  const v = p.int(i);
  if (v === AT_FDCWD) return `${v}(AT_FDCWD)`;
  // 64-bit values beyond 2^53 keep every digit.
  if (v < 0) return errnoText(p.len[i] === 8 ? p.big(i, true) : v);
  const fd = ctx.fd(v);
  const num = Number.isSafeInteger(v) || p.len[i] !== 8 ? v : p.big(i, true);
  return fdParamText(num, fd ? fdLabel(fd) : "");
}

/** The text of an fd parameter with value v ≥ 0, given the fd's label ("" when the thread has
 *  no such fd). */
export function fdParamText(v: number | bigint, label: string): string {
  return label === "" ? `${v}` : `${v}(${label})`;
}

/** A poll fd list as libsinsp prints it: per fd `NUM:TF`, the number unsigned (PRIu64), T the
 *  fd's type character ('?' when the thread has no such fd) and F the poll flags in hex, read as
 *  a signed 16-bit value widened to 32 bits (so 0x8000 prints ffff8000). */
function fdListText(b: Uint8Array, ctx: RenderContext): string {
  if (b.length < 2) return "";
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(0, true);
  const parts: string[] = [];
  for (let i = 0, o = 2; i < n && o + 10 <= b.length; i++, o += 10) {
    const fdnum = dv.getInt32(o + 4, true) * 4294967296 + dv.getUint32(o, true);
    const flags = (dv.getInt16(o + 8, true) >>> 0).toString(16);
    const fd = ctx.fd(fdnum);
    parts.push(`${dv.getBigUint64(o, true)}:${fd ? fdLabel(fd)[1] : "?"}${flags}`);
  }
  return parts.join(" ");
}

/** A path, with the absolute path it stands for when it is relative: `rel(/cwd/rel)`. Paths of
 *  *at() calls are relative to their dirfd parameter. */
function pathText(p: ParamIndex, i: number, info: ParamInfo, ctx: RenderContext): string {
  const raw = p.str(i);
  // The path as given is shown sanitized (unprintable bytes dropped); the path it resolves to
  // shows them as '.' (see resolvePath).
  const s = sanitized(raw);
  if (s.startsWith("/")) return s;
  let base = ctx.cwd();
  // Only a path relative to a directory fd (FSRELPATH: the generated table gives every one its
  // dirfd) looks at one (get_base_dir), and only when the parameter it points at is an fd.
  const dirfdI = info.dirfd ?? -1;
  if (dirfdI >= 0 && p.has(dirfdI) && EVENTS[p.ev.type].params[dirfdI]?.type === PT.FD) {
    const dirfd = p.int(dirfdI);
    if (dirfd !== AT_FDCWD) base = ctx.fd(dirfd)?.name ?? "";
  }
  // An empty path stands for the directory itself (`name=(/cwd)`); with no directory known
  // either, nothing is resolved and nothing is shown.
  const resolved = resolvePath(base, raw);
  return resolved === "" ? s : `${s}(${resolved})`;
}

/** An integer as libsinsp's printf formats print it (SET_NUMERIC_FORMAT): decimal through
 *  PRId<width> whatever the signedness, so 32- and 64-bit unsigned values print signed
 *  (`val=-1`), while 8- and 16-bit ones, promoted to int, keep their value; hex (PRIX) and
 *  octal (%#o) print the bits, a negative 8/16-bit value widened to 32 bits. `fmt` is the print
 *  format of the event's parameter (a dynamic parameter keeps its outer one). */
function intText(p: ParamIndex, i: number, fmt: PF, signed: boolean): string {
  const width = p.len[i];
  const sval = p.big(i, true), uval = p.big(i, false);
  if (fmt === PF.HEX || fmt === PF.OCT) {
    const bits = signed && width < 4 ? BigInt.asUintN(32, sval) : width < 4 ? uval : BigInt.asUintN(width * 8, sval);
    if (fmt === PF.HEX) return hex(bits);
    return bits === 0n ? "0" : `0${bits.toString(8)}`;
  }
  const v = width >= 4 || signed ? sval : uval;
  if (fmt === PF.PADDED_DEC_10) return v < 0n ? `-${(-v).toString().padStart(8, "0")}` : v.toString().padStart(9, "0");
  return v.toString();
}

/** C's printf %lg: six significant digits, trailing zeros dropped, exponent form below 1e-4
 *  or from 1e6 on. */
export function printfG(x: number): string {
  if (x === 0) return "0";
  // toExponential rounds to six significant digits; its exponent is the rounded one, as C's.
  const [m, e] = x.toExponential(5).split("e");
  const ex = Number(e);
  const trim = (t: string) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  if (ex < -4 || ex >= 6) return `${trim(m)}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  return trim(x.toFixed(5 - ex));
}

/** A uid or gid: the id (printed %d, so signed), then its name from the capture's user list,
 *  `<NA>` when it has none; (uint32)-1 is `-1(<NONE>)`. */
function idText(v: number, name: string | undefined): string {
  if (v === 0xffffffff) return "-1(<NONE>)";
  return `${v | 0}(${name ?? "<NA>"})`;
}

/** A signal mask: the names of the signals whose bit is set (bit n is signal n+1), space
 *  separated, with no number; bits of signals that have no name are left out. */
function sigsetText(v: number): string {
  const names: string[] = [];
  for (let sig = 0; sig < 32; sig++) if ((v >>> sig) & 1 && SIGNAL_NAMES[sig + 1]) names.push(SIGNAL_NAMES[sig + 1]);
  return names.join(" ");
}

/** A relative time in nanoseconds with its human form in seconds (`1000000000(1s)`); all ones
 *  is "none". */
function reltimeText(v: bigint): string {
  if (v === 0xffffffffffffffffn) return "none";
  return `${v}(${printfG(Number(v) / 1e9)}s)`;
}

export function paramText(p: ParamIndex, i: number, info: ParamInfo, ctx: RenderContext, fmt: PF = info.fmt): string {
  const len = p.len[i];
  switch (info.type) {
    case PT.INT8: case PT.INT16: case PT.INT32: case PT.INT64:
      return intText(p, i, fmt, true);
    case PT.UINT8: case PT.UINT16: case PT.UINT32: case PT.UINT64:
    case PT.PORT: case PT.L4PROTO: case PT.SOCKFAMILY: case PT.ABSTIME:
      return intText(p, i, fmt, false);
    case PT.SIGSET:
      return len === 0 ? "" : sigsetText(p.uint(i));
    case PT.UID:
      return len === 0 ? "" : idText(p.uint(i), ctx.userName?.(p.uint(i)));
    case PT.GID:
      return len === 0 ? "" : idText(p.uint(i), ctx.groupName?.(p.uint(i)));
    case PT.RELTIME:
      return len === 0 ? "" : reltimeText(p.big(i, false));
    case PT.ERRNO:
      return len === 0 ? "" : errnoText(p.big(i, true));
    case PT.FD:
      return len === 0 ? "" : fdText(p, i, ctx);
    case PT.PID: {
      const v = p.int(i);
      const comm = ctx.comm(v);
      const num = p.len[i] === 8 ? p.big(i, true) : v;
      return comm ? `${num}(${comm})` : `${num}`;
    }
    case PT.FLAGS8: case PT.FLAGS16: case PT.FLAGS32:
      return flagsText(p.uint(i), info.flags);
    case PT.MODE: {
      // A mode's number follows its print format (octal: `mode=0755`), where flags always
      // print in decimal; the names that follow are found as for flags.
      const t = flagsText(p.uint(i), info.flags);
      return intText(p, i, fmt, false) + t.slice(`${p.uint(i)}`.length);
    }
    case PT.ENUMFLAGS8: case PT.ENUMFLAGS16: case PT.ENUMFLAGS32:
      return enumText(p.uint(i), info.flags);
    case PT.SYSCALLID: {
      const v = p.uint(i);
      return SYSCALL_NAMES[v] ?? `${v}`;
    }
    case PT.SIGTYPE: {
      const v = p.uint(i);
      return SIGNAL_NAMES[v] ? `${v}(${SIGNAL_NAMES[v]})` : `${v}`;
    }
    case PT.BOOL:
      return p.uint(i) ? "true" : "false";
    case PT.CHARBUF:
      return p.str(i);
    case PT.FSPATH: case PT.FSRELPATH:
      return pathText(p, i, info, ctx);
    case PT.BYTEBUF:
      return truncated(printableBuffer(p.bytes(i)));
    case PT.SOCKADDR:
      return sockaddrText(p.bytes(i));
    case PT.SOCKTUPLE:
      return socktupleText(p.bytes(i));
    case PT.FDLIST:
      return fdListText(p.bytes(i), ctx);
    case PT.IPV4ADDR:
      return len >= 4 ? ipv4At(p.bytes(i), 0) : "";
    case PT.IPV6ADDR:
      return len >= 16 ? ipv6At(p.bytes(i), 0) : "";
    case PT.DOUBLE:
      return len === 8 ? p.ev.dv.getFloat64(p.off[i], true).toFixed(6) : "";
    case PT.CHARBUFARRAY:
      return printableBuffer(p.bytes(i));
    case PT.DYN: {
      const b = p.bytes(i);
      const sel = b[0];
      const sub = info.dyn?.[sel];
      // A selector past the table (or none: an empty value) leaves the parameter dynamic,
      // which libsinsp cannot print.
      if (!sub) return info.dyn ? "INVALID DYNAMIC PARAMETER" : "";
      // Render the value that follows the selector byte as its own parameter.
      const saveOff = p.off[i], saveLen = p.len[i];
      p.off[i] = saveOff + 1;
      p.len[i] = saveLen - 1;
      const s = paramText(p, i, sub, ctx, info.fmt);
      p.off[i] = saveOff;
      p.len[i] = saveLen;
      return s;
    }
    default:
      return printableBuffer(p.bytes(i));
  }
}

/** evt.info: every parameter as "name=value ", in order. `stateful`, when given, holds the
 *  texts of the fd/pid parameters as they were rendered when the state was at this event
 *  (a stored capture keeps them), in parameter order. */
export function infoText(type: number, p: ParamIndex, ctx: RenderContext, stateful?: string[]): string {
  // Generic syscall events carry only the syscall id, shown as the event type instead.
  if (GENERIC_TYPES.has(type)) return "";
  const params = EVENTS[type].params;
  let s = "";
  let k = 0;
  for (let i = 0; i < p.count && i < params.length; i++) {
    const info = params[i];
    const text = stateful && isStateful(info.type) ? stateful[k++] ?? "" : paramText(p, i, info, ctx);
    s += `${info.name}=${text} `;
  }
  return s;
}

/** Parameter types whose text depends on the state at the event (fd names, thread names). */
export function isStateful(type: PT): boolean {
  return type === PT.FD || type === PT.PID || type === PT.FDLIST || type === PT.FSPATH || type === PT.FSRELPATH ||
    type === PT.UID || type === PT.GID;
}
