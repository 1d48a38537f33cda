// spy_users (sysdig 0.29.3's chisels/spy_users.lua): the commands users run from a shell and
// the directories shells change to, with the login shell's pid, the time and the user:
//   "1020 16:17:57 root) /usr/bin/make all"   (execve of a command the shell runs)
//   "   1020 16:17:57 root) /usr/bin/cc x.c"  (one level deeper: 3 more spaces)
//   "1020 16:17:58 root) cd /tmp"             (chdir by the shell itself)
// Arguments: max_depth (hide deeper commands), disable_color. With -pc (printContainer) lines
// are green for the host, blue in a container, and name the container after the user.
//
// The chisel keeps, per pid, how deep it is under a shell and which shell: a process is placed
// by its parent (looked up once, walking up to 16 ancestors for the oldest one whose name ends
// in "sh"), or marked as having no shell (then it and its children are never shown).
//
// Kept as the Lua does it, bugs included, since the output is the contract:
// - a chdir inserts a 0 at the front of the chisel's lists of ancestor fields
//   (table.insert(fanames, 0, 0)), once per chdir for the rest of the run: after k chdirs, the
//   j-th ancestor lookup reads ancestor j - k, and nothing (evt.field of 0 is nil) for j < k. So
//   the first chdir makes later lookups start at the process itself, and from the second on a
//   lookup finds no ancestor at all: new processes are then never shown;
// - execve lines indent by 3 spaces per level, chdir lines by 4 (and by one more level);
// - a nil field in a concatenation stops sysdig with an error (a ChiselError here).

import { ChiselArgError, ChiselError, type Chisel, type ChiselOptions, type ChiselRun } from "./chisel";
import { luaToNumber, printLines, requestField, terminal } from "./lua-common";
import { extendString, luaNumber } from "./lua-format";
import type { Extractor } from "../filter/extract";

const MAX_ANCESTOR_NAVIGATION = 16;

/** One process_tree entry: depth under the shell (-1: no shell above it) and the shell's pid. */
interface Placement {
  depth: number;
  shell?: number;
}

export const spyUsers: Chisel = {
  name: "spy_users",
  description: "Display interactive user activity",
  args: [
    { name: "max_depth", description: "the maximum depth to show in the hierarchy of processes", optional: true },
    { name: "disable_color", description: "Set to 'disable_color' if you want to disable color output", optional: true },
  ],
  start(args: readonly string[], opts: ChiselOptions = {}): ChiselRun {
    if (args.length > 2) throw new ChiselArgError(`too many parameters for chisel spy_users, 0 required, 2 optional, ${args.length} given`);
    let maxDepth = -1;
    if (args.length > 0) {
      const v = luaToNumber(args[0]);
      // parse_numeric_input prints this and exits (status 0).
      if (v === undefined) throw new ChiselArgError("Input max_depth must be a number.");
      maxDepth = v;
    }
    const t = terminal(args[1] !== "disable_color");
    const f = {
      type: requestField("evt.type"),
      exe: requestField("proc.exe"),
      args: requestField("proc.args"),
      dir: requestField("evt.arg.path"),
      user: requestField("user.name"),
      time: requestField("evt.time.s"),
      pid: requestField("proc.pid"),
      ppid: requestField("proc.ppid"),
      containerName: requestField("container.name"),
    };
    const anames: Extractor[] = [];
    const apids: Extractor[] = [];
    for (let j = 0; j <= MAX_ANCESTOR_NAVIGATION; j++) {
      anames.push(requestField(`proc.aname[${j}]`));
      apids.push(requestField(`proc.apid[${j}]`));
    }
    const tree = new Map<number, Placement>();
    const lines: string[] = [];
    let chdirs = 0;
    // sysdig still runs on_capture_end after the error, which prints the color reset.
    const fail = (what: string) => {
      throw new ChiselError(`spy_users chisel error: ${what}`, [...lines, t.reset]);
    };
    /** Lua's `..` of a value: numbers as tostring prints them, nil is an error. */
    const cat = (v: unknown): string => {
      if (v === undefined) fail("attempt to concatenate a nil value");
      return typeof v === "number" ? luaNumber(v) : String(v);
    };

    return {
      filter: "((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false",
      event(ctx) {
        let color = opts.printContainer ? t.green : "";
        const user = (f.user(ctx) as string | undefined) ?? "<NA>";
        const dtime = f.time(ctx);
        const pid = f.pid(ctx) as number;
        let ppid = f.ppid(ctx) as number | undefined;
        const isChdir = f.type(ctx) === "chdir";
        const containerName = f.containerName(ctx);
        let icorr = 1;
        if (isChdir) {
          ppid = pid;
          chdirs++;
          icorr = 0;
        }
        // The ancestor fields as the shifted Lua lists hold them (see the top).
        const aname = (j: number) => (j - chdirs >= 0 ? anames[j - chdirs](ctx) as string | undefined : undefined);
        const apid = (j: number) => (j - chdirs >= 0 ? apids[j - chdirs](ctx) as number | undefined : undefined);

        if (ppid === undefined) {
          // process_tree[nil] is read as nil, then assigning to it fails.
          fail("table index is nil");
          return;
        }
        let parent = tree.get(ppid);
        if (!parent) {
          parent = { depth: -1 };
          tree.set(ppid, parent);
          for (let j = 1; j <= MAX_ANCESTOR_NAVIGATION; j++) {
            const a = aname(j);
            if (a === undefined) {
              if (apid(j) === undefined) break;
            } else if (a.length >= 2 && a.endsWith("sh")) {
              const shell = apid(j);
              // The last (oldest) shell found wins; the loop goes on.
              parent = { depth: shell !== undefined && tree.has(shell) ? j - 1 : 0, shell };
              tree.set(ppid, parent);
            }
          }
        }
        if (parent.depth === -1) return;
        let mine = tree.get(pid);
        if (!mine) {
          mine = { depth: 1 + parent.depth, shell: parent.shell };
          tree.set(pid, mine);
        }
        const depth = mine.depth - icorr;
        if (maxDepth !== -1 && depth > maxDepth) return;
        if (opts.printContainer && containerName !== "host") color = t.blue;
        const who = opts.printContainer ? `${cat(user)}@${cat(containerName)}` : cat(user);
        if (isChdir) {
          printLines(lines, `${color}${extendString("", 4 * depth)}${cat(mine.shell)} ${cat(dtime)} ${who}) cd ${cat(f.dir(ctx))}`);
        } else {
          const indent = (opts.printContainer ? 4 : 3) * depth;
          printLines(lines, `${color}${extendString("", indent)}${cat(mine.shell)} ${cat(dtime)} ${who}) ${cat(f.exe(ctx))} ${cat(f.args(ctx))}`);
        }
      },
      end() {
        printLines(lines, t.reset);
        return { lines };
      },
    };
  },
};
