// `casefile collector [--server URL] [--host NAME] [--exclude-pid P]... [--source file:PATH[@RATE][*LOOPS]]`:
// the privileged collector of this host (root: it loads BPF programs), connected to a
// workbench server (collector/PROTOCOL.md) and recording what the server asks for. The token is
// the server's, from CASEFILE_TOKEN.

import { readOptions } from "../server/cli/options";
import { fail } from "../server/cli/output";
import { CollectorClient } from "./collector-client";
import { fileSourceOf } from "./record-command";
import { profileHandler } from "./profile-handler";

const USAGE = "usage: CASEFILE_TOKEN=TOKEN casefile collector [--server URL] [--host NAME] [--exclude-pid P]... [--source file:PATH[@RATE][*LOOPS]]";

/** ws://host:port/ws/collector from what a user may type: a server's http(s) URL (the one
 *  `casefile serve` prints, token and all), host:port, or the ws URL itself. */
export function collectorUrl(server: string): string {
  let s = server.trim();
  if (!/^[a-z]+:\/\//i.test(s)) s = `ws://${s}`;
  const u = new URL(s);
  if (u.protocol === "http:") u.protocol = "ws:";
  if (u.protocol === "https:") u.protocol = "wss:";
  u.search = "";
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/ws/collector";
  return u.toString();
}

export async function collectorCommand(args: string[]): Promise<number> {
  // --exclude-pid may repeat: collected before the shared reader keeps only the last.
  const excludePids: number[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--exclude-pid" && i + 1 < args.length) {
      const p = Number(args[++i]);
      if (!Number.isSafeInteger(p) || p <= 0) return fail(`--exclude-pid wants a pid, not ${JSON.stringify(args[i])}`);
      excludePids.push(p);
    } else rest.push(args[i]);
  }
  const o = readOptions(rest, { values: ["server", "host", "source"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  if (o.positional.length) return fail(USAGE);
  const token = process.env.CASEFILE_TOKEN;
  if (!token) return fail(`CASEFILE_TOKEN must hold the server's access token (the token= of the URL casefile serve printed)\n${USAGE}`);
  const sourceSpec = o.values.get("source");
  const source = sourceSpec === undefined ? undefined : fileSourceOf(sourceSpec);
  if (sourceSpec !== undefined && !source) return fail(`--source must be file:PATH[@RATE][*LOOPS], not ${JSON.stringify(sourceSpec)}`);
  if (!source && process.getuid?.() !== 0) return fail("the collector needs root (it loads BPF programs): run it with sudo");
  let server: string;
  try {
    server = collectorUrl(o.values.get("server") ?? "ws://127.0.0.1:3000/ws/collector");
  } catch {
    return fail(`--server: not a URL: ${JSON.stringify(o.values.get("server"))}`);
  }
  const client = new CollectorClient({ server, token, host: o.values.get("host"), excludePids, source: source && (() => source()) });
  client.onProfile = profileHandler(); // `profile` requests (collector/PROTOCOL.md)
  await client.start();
  await new Promise<void>((r) => {
    process.once("SIGINT", r);
    process.once("SIGTERM", r);
  });
  await client.close();
  return 0;
}
