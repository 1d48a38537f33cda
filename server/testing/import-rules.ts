// The layering rules of the repository as a checker (the import checks of Perfetto's tools/
// are the model): server/core is pure code that any layer, a worker or the browser can run, so it
// reads no files, opens no sockets and knows no store. The rules:
//
// - A production file of server/core imports only other files of server/core. No node built-in
//   (`node:fs`, bare `fs`...), no package (better-sqlite3, ws, next...: core needs none today;
//   a pure one would be named in PURE_PACKAGES), nothing of the layers around it (server/ingest,
//   api, cli, http, testing; db/, app/, components/, bin/, scripts/). Type-only imports count
//   too: a type from the store is a dependency on the store.
// - A test file (*.test.ts) of server/core is not production code: no bundle includes it and it never runs
//   inside the server. It may import node built-ins, server/testing and the layers it drives end
//   to end (ingest, db, the command line) to compare the core with sysdig; it may not import
//   browser code (app/, components/, next, react), which the server's tests never need.
// - No production file (server/, db/, bin/, app/, components/) outside a test imports
//   server/testing or a test file: synthetic-capture builders and oracles are test code. The
//   developer tools of scripts/ and bench/ may: they run the oracles on purpose.

import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";

/** Packages the core may import: pure code with no I/O. None needed so far. */
const PURE_PACKAGES: ReadonlySet<string> = new Set<string>();

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** What a file imports: static, type-only, re-exports, dynamic import() and require(). Comments
 *  and strings that merely look like imports are not imports (TypeScript's own scanner). */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function isBuiltin(spec: string): boolean {
  return spec.startsWith("node:") || BUILTINS.has(packageName(spec));
}

const BROWSER_PACKAGES = new Set(["next", "react", "react-dom"]);

/** Where a relative import lands, as a path from the repository's root (`server/ingest/x`). */
function target(file: string, spec: string): string {
  return normalize(join(dirname(file), spec)).split("\\").join("/");
}

const isTestFile = (path: string) => /\.test(\.[cm]?[jt]sx?)?$/.test(path);
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** The rules broken by `file` (a path from the repository's root) importing `specs`: one message
 *  per import, naming the file and the import. */
export function importViolations(file: string, specs: readonly string[]): string[] {
  const out: string[] = [];
  const test = isTestFile(file);
  const inCore = under(file, "server/core");
  // Tests outside the core drive their own layer (the API's call app/'s route handlers).
  if (test && !inCore) return out;
  for (const spec of specs) {
    const bad = (why: string) => out.push(`${file} imports "${spec}": ${why}`);
    if (!spec.startsWith(".")) {
      if (spec.startsWith("@/")) {
        bad("path aliases hide which layer is imported; use a relative path");
      } else if (test) {
        if (BROWSER_PACKAGES.has(packageName(spec))) bad("browser code in a server test");
      } else if (inCore) {
        if (isBuiltin(spec)) bad("a node built-in in server/core (it does no I/O: the outer layers read and hand in)");
        else if (!PURE_PACKAGES.has(packageName(spec))) bad(`the package ${packageName(spec)} in server/core (only pure packages named in PURE_PACKAGES)`);
      }
      continue;
    }
    const to = target(file, spec);
    if (test) {
      if (under(to, "app") || under(to, "components")) bad("browser code in a server test");
      continue;
    }
    if (under(to, "server/testing") || isTestFile(to)) {
      if (!under(file, "server/testing")) bad("test code in production code");
      continue;
    }
    if (inCore && !under(to, "server/core")) bad(`${to.split("/").slice(0, to.startsWith("server/") ? 2 : 1).join("/")}/ from server/core (the core imports only the core)`);
  }
  return out;
}

/** Every rule broken under `root` (the repository): server/core's files by the core's rules, and
 *  every other file of server/ for imports of test code. */
export function repositoryViolations(root: string, files: readonly string[], read: (path: string) => string): string[] {
  return files.flatMap((f) => importViolations(relative(root, f).split("\\").join("/"), importsOf(read(f))));
}
