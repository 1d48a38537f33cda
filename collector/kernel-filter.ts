// The part of a sysdig filter that the kernel can apply (bpf/loader's --pid, --comm, --cgroup):
// being attached costs every process on the host, so events a session will not keep should not
// leave the kernel. Only a conjunct of the filter may go there (every event the whole filter
// accepts must satisfy it): `proc.pid=P`, `proc.pid in (P, Q)`, `proc.name=N`, `proc.name in
// (...)`, `container.id=ID` (the cgroups of that container's processes now), or an `or` of
// comparisons of one of those fields. The whole filter still runs in user space before
// anything is written; the kernel part only thins the stream.

import type { Comparison, Filter, FilterNode } from "../server/core/filter/ast";
import { fromBinary } from "../server/core/filter/parser";
import type { HostProcess } from "./proc-snapshot";
import type { KernelFilter } from "./sources";

type Kind = "pids" | "comms" | "container";

function kindOf(c: Comparison): Kind | undefined {
  if (c.op !== "=" && c.op !== "in") return undefined;
  if (c.field.text === "proc.pid") return "pids";
  if (c.field.text === "proc.name") return "comms";
  if (c.field.text === "container.id") return "container";
  return undefined;
}

/** The comparisons of a node that is one such comparison, or an `or` of such comparisons of
 *  the same kind. */
function simple(node: FilterNode): { kind: Kind; values: string[] } | undefined {
  if (node.kind === "cmp") {
    const k = kindOf(node);
    return k && { kind: k, values: node.values.map(fromBinary) };
  }
  if (node.kind === "or") {
    const parts = node.children.map(simple);
    if (parts.some((p) => !p) || new Set(parts.map((p) => p!.kind)).size !== 1) return undefined;
    return { kind: parts[0]!.kind, values: parts.flatMap((p) => p!.values) };
  }
  return undefined;
}

/** The kernel filter of a parsed filter: the first conjunct that is simple (an empty filter,
 *  or one with none, gives {}: everything). Container ids become the cgroup paths of the
 *  processes of `processes` in that container. */
export function kernelFilterOf(filter: Filter | undefined, processes: HostProcess[] = []): KernelFilter {
  const root = filter?.root;
  if (!root) return {};
  const conjuncts = root.kind === "and" ? root.children : [root];
  for (const c of conjuncts) {
    const s = simple(c);
    if (!s) continue;
    if (s.kind === "pids") {
      const pids = s.values.map(Number);
      if (pids.every((p) => Number.isSafeInteger(p) && p > 0)) return { pids };
    } else if (s.kind === "comms") {
      // The kernel's comm is cut to 15 bytes; proc.name is too when it comes from comm.
      return { comms: s.values.map((v) => v.slice(0, 15)) };
    } else {
      const ids = new Set(s.values.map((v) => v.slice(0, 12)));
      // The loader takes the cgroup's directory (cgroup v2 mounted at /sys/fs/cgroup).
      const cgroups = [...new Set(processes.filter((p) => p.container && ids.has(p.container)).map((p) => `/sys/fs/cgroup${p.cgroup}`))];
      // A container with no process now cannot be told by cgroup: no kernel filter then.
      if (cgroups.length) return { cgroups };
    }
  }
  return {};
}
