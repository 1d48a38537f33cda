// The filter AST: what the parser produces and what both compilers (the predicate in
// evaluate.ts, the SQL in sql.ts) consume. Values stay as the text the user wrote, escapes
// applied, held as binary strings (one char per byte of UTF-8, since a \xHH escape makes a
// byte; parser.ts's fromBinary gives the text back): each compiler converts them to the field's
// type once, at compile time.

import type { FieldInfo, FieldTypeName } from "./fields";
import type { ServiceTable } from "./services";

export type CmpOp =
  | "=" | "!=" | "<" | "<=" | ">" | ">="
  | "contains" | "icontains" | "startswith" | "endswith" | "glob"
  | "in" | "pmatch" | "exists";

/** A field as written: `evt.arg.fd`, `evt.arg[1]`, `proc.aname[2]`, `thread.cgroup.cpu`. */
export interface FieldRef {
  /** The whole name as written. */
  readonly text: string;
  readonly field: FieldInfo;
  /** The type values are converted to and compared as: the field's, or for evt.rawarg.NAME
   *  the type of that parameter. */
  readonly type: FieldTypeName;
  /** The `[N]` argument (evt.arg[N], proc.aname[N], proc.apid[N], evt.around[T]). */
  readonly index?: number;
  /** The `.NAME` argument (evt.arg.NAME, evt.rawarg.NAME, evt.type.is.NAME, thread.cgroup.NAME). */
  readonly argName?: string;
  /** The big `[T]` argument of evt.around (a timestamp in ns). */
  readonly bigIndex?: bigint;
  /** Where the field starts in the filter text (0-based). */
  readonly pos: number;
}

export interface Comparison {
  readonly kind: "cmp";
  readonly field: FieldRef;
  readonly op: CmpOp;
  /** One value for the binary operators, the list for in/pmatch, none for exists (binary
   *  strings, see above). */
  readonly values: readonly string[];
}

export interface BoolNode {
  readonly kind: "and" | "or";
  readonly children: readonly FilterNode[];
}

export interface NotNode {
  readonly kind: "not";
  readonly child: FilterNode;
}

export type FilterNode = Comparison | BoolNode | NotNode;

/** A parsed filter; `root` is undefined for the empty filter (every event matches). */
export interface Filter {
  readonly text: string;
  readonly root: FilterNode | undefined;
  /** The service names the parser checked port values with; the compilers read them the same.
   *  Undefined: none (a host without /etc/services). */
  readonly services?: ServiceTable;
}

/** Every comparison of a filter, in order (for callers that need to know which fields a
 *  filter uses, e.g. whether SQL can answer it). */
export function comparisons(node: FilterNode | undefined, out: Comparison[] = []): Comparison[] {
  if (!node) return out;
  if (node.kind === "cmp") out.push(node);
  else if (node.kind === "not") comparisons(node.child, out);
  else for (const c of node.children) comparisons(c, out);
  return out;
}
