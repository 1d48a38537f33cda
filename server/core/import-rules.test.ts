// The layering rules (server/testing/import-rules.ts says them and why) hold for every file of
// server/, and the checker itself catches each kind of break: a checker that could not fail
// would prove nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../testing/oracle";
import { importsOf, importViolations, repositoryViolations } from "../testing/import-rules";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|mts|mjs|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

test("server/core imports only server/core; nothing but tests imports test code", () => {
  // scripts/ and bench/ are developer tools: they run the oracles on purpose, so not walked.
  const files = ["server", "db", "bin", "app", "components"].flatMap((d) => sources(join(PROJECT_ROOT, d)));
  assert.ok(files.some((f) => f.endsWith("server/core/filter/parser.ts")), "the walk finds the core's files");
  const broken = repositoryViolations(PROJECT_ROOT, files, (f) => readFileSync(f, "utf8"));
  assert.deepEqual(broken, []);
});

test("the import scanner sees every kind of import, and no look-alike in comments or strings", () => {
  const src = [
    `import a from "./a";`,
    `import type { B } from "../b";`,
    `export * from "./c";`,
    `export { d } from "./d";`,
    `import "./side-effect";`,
    `const e = await import("./e");`,
    `const f = require("f");`,
    `// import g from "./commented-out";`,
    `const h = "import h from './in-a-string'";`,
  ].join("\n");
  assert.deepEqual(importsOf(src), ["./a", "../b", "./c", "./d", "./side-effect", "./e", "f"]);
});

test("the checker names the file and the import of each break", () => {
  const core = "server/core/filter/x.ts";
  const cases: [string, string, RegExp | undefined][] = [
    [core, "./parser", undefined],
    [core, "../state/threads", undefined],
    [core, "node:fs", /node built-in/],
    [core, "fs", /node built-in/],
    [core, "path", /node built-in/],
    [core, "fs/promises", /node built-in/],
    [core, "better-sqlite3", /package better-sqlite3/],
    [core, "ws", /package ws/],
    [core, "next/server", /package next/],
    [core, "@/server/api/store", /path aliases/],
    [core, "../../ingest/ingest", /server\/ingest\/ from server\/core/],
    [core, "../../api/store", /server\/api\/ from server\/core/],
    [core, "../../cli/output", /server\/cli\/ from server\/core/],
    [core, "../../http/serve", /server\/http\/ from server\/core/],
    [core, "../../../db/open-db", /db\/ from server\/core/],
    [core, "../../../app/page", /app\/ from server\/core/],
    [core, "../../../components/ui/table", /components\/ from server\/core/],
    [core, "../../testing/oracle", /test code in production/],
    [core, "./parser.test", /test code in production/],
    ["server/api/store.ts", "../testing/chisel-scenarios", /test code in production/],
    ["server/api/store.ts", "node:fs", undefined],
    ["server/testing/oracle.ts", "./compare", undefined],
    ["server/core/filter/x.test.ts", "node:fs", undefined],
    ["server/core/filter/x.test.ts", "../../testing/oracle", undefined],
    ["server/core/filter/x.test.ts", "../../ingest/ingest", undefined],
    ["server/core/filter/x.test.ts", "../../../db/open-db", undefined],
    ["server/core/filter/x.test.ts", "../../../components/ui/table", /browser code/],
    ["server/core/filter/x.test.ts", "react", /browser code/],
    ["server/api/route.test.ts", "../../app/api/captures/route", undefined],
  ];
  for (const [file, spec, want] of cases) {
    const got = importViolations(file, [spec]);
    if (!want) {
      assert.deepEqual(got, [], `${file} may import ${spec}`);
    } else {
      assert.equal(got.length, 1, `${file} importing ${spec} breaks a rule (${want})`);
      assert.ok(got[0].startsWith(`${file} imports "${spec}": `), got[0]);
      assert.match(got[0], want);
    }
  }
});
