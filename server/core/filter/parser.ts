// The filter language of sysdig 0.29.3, parsed into an AST (ast.ts).
//
// sysdig 0.29.3 compiles filters with libsinsp's hand-written scanner (sinsp_filter_compiler,
// not the later grammar-based parser): the grammar below is the language it accepts, and
// the error positions are the ones it reports (the index of the scanner when it gave up,
// counted in bytes of the filter text).
//
//   filter      = blank* [ expr ] blank* ;
//   expr        = term { blank* boolop ( blank+ | &"(" ) blank* term } ;  (* one boolop per bracket level *)
//   boolop      = "and" | "or" ;
//   term        = { "not" ( blank+ | &"(" ) blank* } ( "(" blank* expr blank* ")" | check ) ;
//   check       = field blank* ( "exists"
//                              | cmpop value
//                              | listop blank* "(" value { "," value } ")" ) ;
//   cmpop       = "=" | "!=" | "<=" | "<" | ">=" | ">" | "contains" | "icontains"
//               | "startswith" | "endswith" | "glob" ;
//   listop      = "in" | "pmatch" ;
//   field       = fieldchar { fieldchar } ;                (* see fields.ts for names *)
//   fieldchar   = any character but blank and ( ) ! = < > ;
//   value       = blank* ( quoted | bare ) ;
//   quoted      = quote { char | escape } quote ;          (* either quote closes *)
//   quote       = "'" | '"' ;
//   bare        = { char | escape } ;                      (* may be empty; ends at blank, ( or ),
//                                                             and at , in a list *)
//   escape      = "\\" | '\"' | "\x" hexdigit hexdigit ;   (* any other \c stays as written *)
//   blank       = " " | "\t" | "\n" | "\r" ;
//
// Semantics kept from sysdig:
// - `a and b or c` (and/or mixed at one bracket level) is an error: sysdig asks for brackets.
// - `not` binds to the term that follows it; repeated `not`s count once (sysdig ORs a NOT bit,
//   so `not not a` means `not a`).
// - `==` is not an operator: `evt.num==1` is `=` with the value "=1" (an invalid number).
// - Values are compared after conversion to the field's type, checked here so that a bad
//   value is reported where sysdig reports it.
// Where sysdig accepts nonsense, we refuse with an error instead (sysdig's result is
// meaningless or it crashes): keywords run into other words (`a=1 orb=2`, `a n d`), `not`
// after a complete term without and/or (`a=1 not b=2`, which sysdig silently drops),
// empty brackets `()`, and a `)` with no `(` (sysdig segfaults).

import type { CmpOp, Comparison, FieldRef, Filter, FilterNode } from "./ast";
import { FIELDS, longestParam, paramTypeName, isEventTypeName, type FieldInfo } from "./fields";
import { SYSCALL_NAMES } from "../events/syscalls";
import { EVENTS, LEGACY_EVENT_COUNT } from "../events/event-table";
import { checkValue, parseInteger, ValueError } from "./values";
import { NO_SERVICES, type ServiceTable } from "./services";

export class FilterError extends Error {
  constructor(readonly position: number, readonly detail: string) {
    super(`filter error at position ${position}: ${detail}`);
    this.name = "FilterError";
  }
}

const enum Bool { NONE = 0, NOT = 1, OR = 2, AND = 4 }

interface Item {
  node: FilterNode;
  op: number;
}

interface Group {
  items: Item[];
  /** The boolop (with its NOT bit) the group itself carries in its parent. */
  op: number;
}

const OPERATORS: readonly [string, CmpOp | "intersects"][] = [
  ["=", "="], ["!=", "!="], ["<=", "<="], ["<", "<"], [">=", ">="], [">", ">"],
  ["contains", "contains"], ["icontains", "icontains"], ["startswith", "startswith"],
  ["endswith", "endswith"], ["glob", "glob"], ["in", "in"], ["intersects", "intersects"],
  ["pmatch", "pmatch"], ["exists", "exists"],
];

const OPERATOR_LIST = "= != < <= > >= contains icontains startswith endswith glob in pmatch exists";
const EXPECT_TERM = "expected a field, 'not' or '('";

function isBlank(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Characters that end a field name. */
function isSpecial(c: string): boolean {
  return c === "(" || c === ")" || c === "!" || c === "=" || c === "<" || c === ">";
}

/** The filter as a "binary string": one char per byte of its UTF-8 form, so that positions
 *  are sysdig's (byte offsets) and \xHH escapes make bytes. */
export function toBinary(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** A binary string (one char per byte) back to text, decoding UTF-8. */
export function fromBinary(bin: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(bin)) return bin;
  const b = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(b);
}

export interface ParseOptions {
  /** The filter is for sysdig's thread table (the lsof, netstat and ps chisels, through
   *  get_thread_table): sysdig compiles it with ttable_only set, so a field of a class that does
   *  not work on the thread table is refused, where its name ends. */
  threadTable?: boolean;
  /** The host's service names, for port values written as names (`fd.port=http`). Default:
   *  none, as on a host without /etc/services. */
  services?: ServiceTable;
  /** Another field catalog than sysdig's (the packet fields, packet-fields.ts): names are looked
   *  up in it alone (none takes an argument), and its own rule checks values (throwing
   *  ValueError). */
  fields?: AltFields;
}

export interface AltFields {
  get(name: string): FieldInfo | undefined;
  checkValue(field: FieldInfo, value: string): void;
}

/** The evt fields sysdig 0.29.3 still accepts in a thread-table filter (every other evt field is
 *  refused; the other classes all work on the thread table). Measured with `sysdig -c lsof`. */
const THREAD_TABLE_EVT_FIELDS: ReadonlySet<string> = new Set([
  "evt.time", "evt.time.s", "evt.datetime", "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime",
]);

export function worksOnThreadTable(f: FieldInfo): boolean {
  return f.cls !== "evt" || THREAD_TABLE_EVT_FIELDS.has(f.name);
}

class Parser {
  private pos = -1;
  private readonly size: number;
  private needExpression = true;
  private last = Bool.NONE;
  private readonly stack: Group[] = [{ items: [], op: Bool.NONE }];

  constructor(private readonly s: string, private readonly opts: ParseOptions = {}) {
    this.size = s.length;
  }

  private fail(detail: string, pos = this.pos): never {
    throw new FilterError(pos, fromBinary(detail));
  }

  private at(i: number): string {
    return i >= 0 && i < this.size ? this.s[i] : "";
  }

  /** The next non-blank character ("" at the end), as sysdig's next(). */
  private next(): string {
    for (;;) {
      this.pos++;
      if (this.pos >= this.size) return "";
      if (!isBlank(this.s[this.pos])) return this.s[this.pos];
    }
  }

  parse(): FilterNode | undefined {
    for (;;) {
      const c = this.next();
      switch (c) {
        case "":
          if (this.stack.length > 1) this.fail("unexpected end of filter: expected ')'");
          if (this.needExpression) {
            // An empty filter is no filter; blanks alone are an error, as in sysdig.
            if (this.size === 0) return undefined;
            this.fail(`unexpected end of filter: ${EXPECT_TERM}`);
          }
          return this.close(this.stack[0]);
        case "(":
          if (!this.needExpression) {
            this.fail(`unexpected '(' after ${this.s.slice(0, this.pos)}: expected 'and', 'or' or ')'`);
          }
          this.stack.push({ items: [], op: this.last });
          this.last = Bool.NONE;
          break;
        case ")": {
          if (this.stack.length === 1) this.fail("unexpected ')': no '(' to close");
          // sysdig closes a bracket even after a dangling and/or/not, or with nothing in it.
          if (this.needExpression) this.fail(`unexpected ')': ${EXPECT_TERM}`);
          const g = this.stack.pop()!;
          this.add({ node: this.close(g), op: g.op });
          break;
        }
        case "o":
          if (this.pos !== 0 && !this.needExpression) this.keyword("or", Bool.OR);
          else this.check();
          break;
        case "a":
          if (this.pos !== 0 && !this.needExpression) this.keyword("and", Bool.AND);
          else this.check();
          break;
        case "n":
          this.keyword("not", Bool.NOT);
          break;
        default:
          if (this.needExpression) this.check();
          else this.fail("syntax error in filter: expected 'and', 'or' or ')'");
      }
    }
  }

  /** and/or/not, spelled out in full and followed by a blank, a bracket or the end. sysdig
   *  reads them letter by letter, skipping blanks, and needs no break after them. */
  private keyword(word: string, op: Bool): void {
    const start = this.pos;
    for (let i = 1; i < word.length; i++) {
      if (this.next() !== word[i] || this.pos !== start + i) {
        const expected = op === Bool.NOT ? `'not', a field or '('` : "'and' or 'or'";
        this.fail(`syntax error in filter: expected ${expected}`);
      }
    }
    const after = this.at(this.pos + 1);
    if (after !== "" && !isBlank(after) && after !== "(" && after !== ")") {
      this.fail(`syntax error in filter: expected a blank or '(' after '${word}'`, this.pos + 1);
    }
    if (op === Bool.NOT) {
      if (!this.needExpression) {
        this.fail(`unexpected 'not' after ${this.s.slice(0, this.pos)}: expected 'and' or 'or' before it`);
      }
      this.last |= Bool.NOT;
    } else {
      this.last = op;
    }
    this.needExpression = true;
  }

  private add(item: Item): void {
    this.stack[this.stack.length - 1].items.push(item);
    this.needExpression = false;
  }

  /** A bracket level as a node: its terms joined by their one operator. */
  private close(g: Group): FilterNode {
    const ops = g.items.slice(1).map((it) => it.op & ~Bool.NOT);
    if (ops.some((o) => o !== ops[0])) {
      this.fail("expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.");
    }
    const nodes = g.items.map((it) => (it.op & Bool.NOT ? { kind: "not", child: it.node } as const : it.node));
    if (nodes.length === 1) return nodes[0];
    return { kind: ops[0] === Bool.OR ? "or" : "and", children: nodes };
  }

  /** One operand, as sysdig's next_operand: a field name (first) or a value. */
  private operand(first: boolean, inList: boolean): string {
    if (isBlank(this.at(this.pos))) this.next();
    let quoted = false;
    if (this.pos < this.size && (this.s[this.pos] === '"' || this.s[this.pos] === "'")) {
      quoted = true;
      this.pos++;
    }
    const start = this.pos;
    let res = "";
    let esc: "normal" | "slash" | "hex" | "error" = "normal";
    let hex = "";
    while (this.pos < this.size) {
      const c = this.s[this.pos];
      const end = first
        ? isBlank(c) || isSpecial(c)
        : (!quoted && (isBlank(c) || c === "(" || c === ")" || (inList && c === ","))) ||
          (quoted && esc !== "slash" && (c === '"' || c === "'"));
      if (end) {
        if (esc !== "normal") {
          esc = "error";
          break;
        }
        if (c === "(" || c === ")" || (inList && c === ",")) this.pos--;
        return res;
      }
      if (esc === "normal") {
        if (c === "\\" && !first) esc = "slash";
        else res += c;
      } else if (esc === "slash") {
        if (c === "\\" || c === '"') {
          res += c;
          esc = "normal";
        } else if (c === "x") {
          esc = "hex";
          hex = "";
        } else {
          res += "\\" + c;
          esc = "normal";
        }
      } else {
        if (!/[0-9a-fA-F]/.test(c)) {
          // sysdig steps past the bad digit before it stops.
          esc = "error";
          this.pos++;
          break;
        }
        hex += c;
        if (hex.length === 2) {
          res += String.fromCharCode(parseInt(hex, 16));
          esc = "normal";
        }
      }
      this.pos++;
    }
    // An escape cut short by the end of the filter is dropped, as sysdig does.
    if (esc === "error") {
      // sysdig quotes substr(start, pos): pos characters from start.
      this.fail(`unrecognized escape sequence at ${this.s.substr(start, this.pos)}: expected \\\\, \\" or \\x and two hex digits`);
    }
    if (quoted) this.fail(`unclosed quotes: expected a closing ' or "`);
    return res;
  }

  private operator(): CmpOp | "intersects" {
    if (isBlank(this.at(this.pos))) this.next();
    const start = this.pos;
    for (const [text, op] of OPERATORS) {
      if (this.pos + text.length <= this.size && this.s.startsWith(text, this.pos)) {
        this.pos += text.length;
        return op;
      }
    }
    this.fail(`unrecognized comparison operator after ${this.s.slice(0, start)}: expected one of ${OPERATOR_LIST}`);
  }

  private check(): void {
    const startpos = this.pos;
    const text = this.operand(true, false);
    const field = this.field(text, startpos);
    const op = this.operator();
    const values: string[] = [];
    const valueType = field.valueType;
    if (op === "in" || op === "intersects" || op === "pmatch") {
      if (isBlank(this.at(this.pos))) this.next();
      if (this.at(this.pos) !== "(") this.fail("expected '(' after 'in/intersects/pmatch' operand");
      this.pos++;
      const charbuf = valueType === "CHARBUF";
      if (!charbuf && op === "pmatch") this.fail("pmatch requires all charbuf arguments");
      for (;;) {
        const v = this.operand(false, true);
        this.value(field, v);
        values.push(v);
        this.next();
        const c = this.at(this.pos);
        if (c === ")") break;
        if (c === ",") this.pos++;
        else {
          this.fail(charbuf
            ? "expected either ')' or ',' after a value inside the 'in/pmatch' clause"
            : "expected either ')' or ',' after a value inside the 'in' clause");
        }
      }
    } else if (op === "exists") {
      this.pos--;
    } else {
      const v = this.operand(false, false);
      this.value(field, v);
      values.push(v);
      // sysdig checks evt.around's operator with its value (validate_filter_value).
      if (field.ref.field.name === "evt.around" && op !== "=") this.fail("evt.around supports only '=' comparison operator");
    }
    const node: Comparison = { kind: "cmp", field: field.ref, op: op === "intersects" ? "in" : op, values };
    this.add({ node, op: this.last });
  }

  private value(field: ResolvedField, v: string): void {
    try {
      if (this.opts.fields) {
        this.opts.fields.checkValue(field.ref.field, fromBinary(v));
        return;
      }
      if (field.ref.field.name === "evt.type") {
        if (!isEventTypeName(v, SYSCALL_NAMES)) throw new ValueError(`unknown event type ${v}`);
        return;
      }
      checkValue(field.valueType, fromBinary(v), this.opts.services ?? NO_SERVICES);
    } catch (e) {
      if (e instanceof ValueError) this.fail(e.message);
      throw e;
    }
  }

  private field(text: string, startpos: number): ResolvedField {
    let r: ResolvedField | undefined;
    try {
      if (this.opts.fields) {
        const f = this.opts.fields.get(text);
        r = f && { ref: { text, field: f, pos: startpos, type: f.type }, valueType: f.type };
      } else {
        r = resolveField(text, startpos);
      }
    } catch (e) {
      if (e instanceof ValueError) this.fail(e.message);
      throw e;
    }
    if (!r) this.fail(`unrecognized field ${text} at pos ${startpos}`);
    if (this.opts.threadTable && !worksOnThreadTable(r.ref.field)) {
      this.fail("the given filter is not supported for thread table filtering");
    }
    if (!r.ref.field.supported) this.fail(`field ${r.ref.field.name} is not supported by casefile yet`);
    return r;
  }
}

interface ResolvedField {
  ref: FieldRef;
  /** The type values are parsed and compared as (evt.rawarg takes its parameter's). */
  valueType: FieldInfo["type"];
}

/** A field name as written → the field and its argument, following each field's own
 *  parse_field_name in sysdig. Undefined for an unknown name; ValueError for a bad argument
 *  that sysdig reports as such. */
export function resolveField(text: string, pos = 0): ResolvedField | undefined {
  const plain = FIELDS.get(text);
  const mk = (name: string, extra: Partial<FieldRef> = {}, valueType?: FieldInfo["type"]): ResolvedField => {
    const field = FIELDS.get(name)!;
    const type = valueType ?? field.type;
    return { ref: { text, field, pos, type, ...extra }, valueType: type };
  };
  if (text.startsWith("evt.arg") && !text.startsWith("evt.args")) return paramField(text, "evt.arg", mk);
  if (text.startsWith("evt.rawarg")) return paramField(text, "evt.rawarg", mk);
  if (text.startsWith("evt.type.is")) {
    if (text[11] !== ".") throw new ValueError(`filter syntax error: ${text}`);
    // An event number, or an event name (its first id: the enter event, and the next one).
    const t = text.slice(12);
    if (/^[0-9]+$/.test(t)) return mk("evt.type.is", { index: Number(t), argName: "" });
    const id = EVENTS.findIndex((e, i) => i < LEGACY_EVENT_COUNT && e.name === t);
    return id >= 0 ? mk("evt.type.is", { index: id, argName: t }) : undefined;
  }
  if (text.startsWith("evt.around")) {
    if (!/^evt\.around\[[0-9]+\]$/.test(text)) return undefined;
    return mk("evt.around", { bigIndex: parseInteger(text.slice(11, -1), 64, false) });
  }
  for (const name of ["proc.apid", "proc.aname"]) {
    if (!text.startsWith(name)) continue;
    if (text === name) return mk(name);
    const close = text.indexOf("]");
    if (text[name.length] !== "[" || close !== text.length - 1) return undefined;
    try {
      return mk(name, { index: Number(parseInteger(text.slice(name.length + 1, close), 32, true)) });
    } catch {
      return undefined; // sysdig swallows the number error here: the field is unknown
    }
  }
  if (text.startsWith("thread.cgroup") && !text.startsWith("thread.cgroups")) {
    const m = /^thread\.cgroup\.([A-Za-z_]*)$/.exec(text);
    if (text[13] !== ".") throw new ValueError(`filter syntax error: ${text}`);
    return m ? mk("thread.cgroup", { argName: m[1] }) : undefined;
  }
  if (text.startsWith("evt.abspath.src") || text.startsWith("evt.abspath.dst")) {
    return text.length === 15 ? mk("evt.abspath", { argName: text.slice(12) }) : undefined;
  }
  if (text.startsWith("container.mount")) {
    return plain ? mk(text) : /^container\.mount(\.\w+)?\[[^\]]*\]$/.test(text) ? mk(text.slice(0, text.indexOf("["))) : undefined;
  }
  if (plain && plain.argStyle === "none") return mk(text);
  return undefined;
}

function paramField(
  text: string, name: "evt.arg" | "evt.rawarg",
  mk: (name: string, extra?: Partial<FieldRef>, valueType?: FieldInfo["type"]) => ResolvedField,
): ResolvedField | undefined {
  const c = text[name.length];
  if (c === "[") {
    if (name === "evt.rawarg") throw new ValueError("evt.arg fields must be expressed explicitly");
    const close = text.indexOf("]");
    const num = close < 0 ? text.slice(name.length + 1) : text.slice(name.length + 1, close);
    const index = Number(parseInteger(num, 32, true));
    return close === text.length - 1 ? mk(name, { index }) : undefined;
  }
  if (c === ".") {
    const rest = text.slice(name.length + 1);
    const p = longestParam(rest);
    if (!p) throw new ValueError(`unknown event argument ${rest}`);
    if (p.name.length !== rest.length) return undefined;
    return mk(name, { argName: p.name }, name === "evt.rawarg" ? paramTypeName(p.type) : undefined);
  }
  throw new ValueError(`filter syntax error: ${text}`);
}

/** Parses a filter; throws FilterError with sysdig's position. */
export function parseFilter(text: string, opts: ParseOptions = {}): Filter {
  const bin = toBinary(text);
  const root = new Parser(bin, opts).parse();
  return { text, root, services: opts.services };
}
