// The syscall table the BPF programs run on (bpf/syscall-table.h, printed by `loader
// --dump-table`) against sysdig 0.29.3's event table (server/core/events/event-table.ts): every
// syscall with its own events names an enter/exit pair of 0.29.3's table with the parameter
// count 0.29.3 reads, every fixed-size parameter has the size of its type, every variable one
// comes from a source that writes variable data; generic events carry the PPM_SC code of their
// syscall; bpf/ppm-sc.h is what bpf/gen-ppm-sc.ts makes now. No BPF needed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { EVENTS, LEGACY_EVENT_COUNT } from "../server/core/events/event-table";
import { SYSCALL_NAMES } from "../server/core/events/syscalls";
import { PT } from "../server/core/events/types";
import { encodeParam } from "../server/core/formats/scap/writer";
import { ppmScHeader } from "./gen-ppm-sc";
import { BPF_DIR, LOADER } from "./workload-run";

interface Entry {
  nr: number; ppmSc: number; flags: number; enter: number; exit: number; nEnter: number; nExit: number;
  enterParams: [number, number, number, number][]; exitParams: [number, number, number, number][];
}

// enum cf_param_kind (bpf/syscalls.h), by name.
const KINDS = ["NONE", "ARG", "RES", "PATH", "BUF_RES", "BUF_ARG", "IOV_RES", "IOV_LEN", "IOV_SIZE", "MSG_RES",
  "MSG_LEN", "MSG_SIZE", "SOCKADDR", "TUPLE_FD", "TUPLE_RES", "TUPLE_MSG", "FDPAIR", "PIPE_INO",
  "SOCK_ADDR_PAIR", "DEV_RES", "CONST", "EMPTY", "VM_SIZE", "VM_RSS", "VM_SWAP", "SYSCALL_ID", "NATIVE_ID",
  "FLAGS_RES", "QUEUE", "SOCKADDR_OUT", "HOW", "TIMESPEC", "FDLIST"];
const VARIABLE_KINDS: Record<string, readonly PT[]> = {
  PATH: [PT.FSPATH, PT.FSRELPATH, PT.CHARBUF],
  BUF_RES: [PT.BYTEBUF], BUF_ARG: [PT.BYTEBUF], IOV_RES: [PT.BYTEBUF], IOV_LEN: [PT.BYTEBUF],
  MSG_RES: [PT.BYTEBUF], MSG_LEN: [PT.BYTEBUF],
  SOCKADDR: [PT.SOCKADDR], SOCKADDR_OUT: [PT.SOCKADDR],
  TUPLE_FD: [PT.SOCKTUPLE], TUPLE_RES: [PT.SOCKTUPLE], TUPLE_MSG: [PT.SOCKTUPLE],
  FDLIST: [PT.FDLIST],
};
const VARIABLE_TYPES = new Set([PT.CHARBUF, PT.BYTEBUF, PT.FSPATH, PT.FSRELPATH, PT.SOCKADDR, PT.SOCKTUPLE, PT.FDLIST]);
// Syscalls the driver maps onto another syscall's events.
const ALIASES: Record<string, string> = {
  pread64: "pread", pwrite64: "pwrite", dup2: "dup", dup3: "dup", pipe2: "pipe", eventfd2: "eventfd", accept4: "accept",
};

let table: Entry[] = [];
before(() => {
  execFileSync("make", ["-s", "-C", BPF_DIR, "loader"], { stdio: "inherit" });
  table = execFileSync(LOADER, ["--dump-table"]).toString().trim().split("\n").map((l) => JSON.parse(l) as Entry);
});

test("every tabled syscall names an enter/exit pair of sysdig 0.29.3's table, with its parameters", () => {
  const used = table.filter((e) => e.flags & 1);
  assert.ok(used.length >= 60, `${used.length} syscalls with their own events`);
  for (const e of used) {
    const sc = SYSCALL_NAMES[e.ppmSc];
    const where = `native ${e.nr} (${sc})`;
    assert.ok(e.enter % 2 === 0 && e.exit === e.enter + 1 && e.exit < LEGACY_EVENT_COUNT, `${where}: events ${e.enter}/${e.exit}`);
    const enter = EVENTS[e.enter], exit = EVENTS[e.exit];
    assert.equal(enter.name, exit.name, where);
    assert.equal(exit.name, ALIASES[sc] ?? sc, `${where}: the events' name is the syscall's`);
    for (const [info, n, params] of [[enter, e.nEnter, e.enterParams], [exit, e.nExit, e.exitParams]] as const) {
      const want = info.legacyParamCount ?? info.params.length;
      assert.equal(n, want, `${where} ${info.name}: ${n} parameters, 0.29.3 reads ${want}`);
      // Process exits (clone, execve...) are built in the BPF program, not from the table.
      if (info === exit && e.flags & (4 | 8)) continue;
      params.forEach(([kind, , size], i) => {
        const p = info.params[i];
        const k = KINDS[kind];
        const what = `${where} ${info.name} parameter ${i} (${p.name})`;
        if (VARIABLE_TYPES.has(p.type)) {
          assert.ok(k === "EMPTY" || (VARIABLE_KINDS[k] ?? []).includes(p.type), `${what}: a variable ${PT[p.type] ?? p.type} from ${k}`);
        } else {
          assert.ok(!(k in VARIABLE_KINDS), `${what}: fixed-size type from ${k}`);
          assert.equal(size, encodeParam(p.type, 0).length, `${what}: ${size} bytes for its type`);
        }
      });
    }
  }
});

test("generic events carry their syscall's PPM_SC code", () => {
  // x86-64 numbers (arch/x86/entry/syscalls/syscall_64.tbl).
  const known: Record<number, string> = { 39: "getpid", 110: "getppid", 4: "stat", 262: "newfstatat", 16: "ioctl", 15: "sigreturn", 231: "exit_group" };
  for (const [nr, name] of Object.entries(known)) {
    const e = table[Number(nr)];
    assert.equal(e.flags & 1, 0, `${name} is generic`);
    assert.equal(SYSCALL_NAMES[e.ppmSc], name, `native ${nr}`);
  }
});

test("bpf/ppm-sc.h is what bpf/gen-ppm-sc.ts makes from syscalls.ts", () => {
  assert.equal(readFileSync(join(BPF_DIR, "ppm-sc.h"), "utf8"), ppmScHeader());
});
