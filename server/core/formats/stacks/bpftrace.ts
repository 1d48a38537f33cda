// bpftrace maps of stacks, as `bpftrace -e 'profile:hz:99 { @[ustack, kstack] = count(); }'`
// prints them at exit: one entry per key, the key's elements joined by ", ", a stack printed as
// a newline, then one indented frame a line, leaf first:
//   @[
//       do_syscall_64+91          <- a kstack
//   ,
//       read+20                   <- a ustack
//   ]: 12
//   @x[bash,
//       main+34
//   ]: 3
// Gregg's stackcollapse-bpftrace.pl reverses every line of a key, which puts the last element
// at the root: right for `@[kstack, ustack, comm]`, upside down for `@[ustack, kstack]`. Here
// each element is read on its own: the scalar ones (comm, pid...) go at the root in key order,
// then the stacks, each reversed to root first, user stacks above the kernel's (a kernel stack
// is told by its entry frames: syscall entry, interrupt, idle or kthread start, or addresses in
// the kernel half), kernel frames suffixed `_[k]` as the casefile profile does. Map names other
// than the first are sections of their own.

import { LineSplitter, StacksError, addStack, newSection, type Profile, type StackImporter, type StackSection } from "./profile";

const ENTRY_START = /^(@\w*)\[(.*)$/;
const ENTRY_END = /^(.*)\]: (\d+)$/;

const KERNEL_ROOT = /^(entry_SYSCALL|do_syscall_64|ret_from_fork|secondary_startup|common_startup|start_kernel|x86_64_start|asm_|cpu_startup_entry|kthread|do_idle|irq_|smpboot_thread_fn|0xffff[89a-f])/;

type Element = { kind: "scalar"; text: string } | { kind: "stack"; frames: string[] };

function isKernelStack(frames: string[]): boolean {
  return frames.some((f) => KERNEL_ROOT.test(f) || /^0x[fF]{4}[89a-fA-F]/.test(f) || f.endsWith("_[k]"));
}

/** The folded frames of one key: scalars at the root, then user stacks, then kernel stacks. */
export function foldKey(elements: Element[]): string | undefined {
  const scalars: string[] = [];
  const user: string[] = [];
  const kernel: string[] = [];
  for (const e of elements) {
    if (e.kind === "scalar") scalars.push(e.text.replace(/;/g, ":"));
    else {
      const root = e.frames.slice().reverse().map((f) => f.replace(/;/g, ":"));
      if (isKernelStack(e.frames)) kernel.push(...root.map((f) => (f.endsWith("_[k]") ? f : `${f}_[k]`)));
      else user.push(...root);
    }
  }
  const all = [...scalars, ...user, ...kernel];
  return all.length ? all.join(";") : undefined;
}

/** Scalar elements of a key fragment between stacks: ", a, b, " → [a, b]. */
function scalarsOf(fragment: string): Element[] {
  return fragment.split(", ").map((s) => s.trim()).filter((s) => s !== "" && s !== ",").map((text) => ({ kind: "scalar" as const, text }));
}

export function bpftraceImporter(): StackImporter {
  const sections: StackSection[] = [];
  const byMap = new Map<string, StackSection>();
  let map: string | undefined;
  let elements: Element[] = [];
  let stack: string[] | undefined;
  let startLine = 0;

  const finish = (count: number) => {
    if (stack) elements.push({ kind: "stack", frames: stack });
    const folded = foldKey(elements);
    let section = byMap.get(map!);
    if (!section) {
      section = newSection(map === "@" ? "samples" : map!.slice(1), "samples");
      byMap.set(map!, section);
      sections.push(section);
    }
    if (folded) addStack(section, folded, count);
    map = undefined;
    elements = [];
    stack = undefined;
  };

  /** A fragment of key text outside a stack's frames (after `@[`, or a line at column 0). */
  const fragment = (text: string, n: number) => {
    const end = ENTRY_END.exec(text);
    const body = end ? end[1] : text;
    if (stack) {
      elements.push({ kind: "stack", frames: stack });
      stack = undefined;
    }
    elements.push(...scalarsOf(body));
    if (end) return finish(Number(end[2]));
    // Text not closed by "]: N" opens a stack on the next line (bpftrace starts a stack with a
    // newline), unless it is the line break after a comma.
    stack = [];
    void n;
  };

  const lines = new LineSplitter((text, n) => {
    if (map === undefined) {
      if (text.trim() === "" || text.startsWith("Attaching") || text.startsWith("#")) return;
      const start = ENTRY_START.exec(text);
      if (!start) throw new StacksError(`not a bpftrace map entry: expected "@name[...]: N", got ${JSON.stringify(text.slice(0, 80))}`, n);
      map = start[1];
      startLine = n;
      return fragment(start[2], n);
    }
    if (/^\s/.test(text)) {
      const frame = text.trim();
      if (frame === "") return;
      if (!stack) stack = [];
      stack.push(frame);
      return;
    }
    fragment(text, n);
  });
  return {
    push: (c) => lines.push(c),
    end(): Profile {
      lines.end();
      if (map !== undefined) throw new StacksError(`the map entry started at line ${startLine} has no "]: N" end`, lines.lines);
      return { format: "bpftrace", sections };
    },
  };
}
