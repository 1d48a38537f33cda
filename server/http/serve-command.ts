// `casefile serve [--host H] [--port P]`: starts the workbench and prints, as the first line of
// stdout, the URL to open (it carries the access token, so scripts can read it from there).

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { maxUploadFromEnv } from "../api/upload";
import { ingestLimitsFromEnv } from "../ingest/ingest";
import { projectRoot, startServer } from "./serve";
import { maxUploadsFromEnv } from "./upload-route";
import { readOptions } from "../cli/options";

const USAGE = "usage: casefile serve [--host H] [--port P]";

export interface ServeArgs {
  host: string;
  port: number;
}

export function parseServeArgs(args: string[]): ServeArgs {
  const o = readOptions(args, { values: ["host", "port"] });
  if ("error" in o) throw new Error(`${o.error}\n${USAGE}`);
  if (o.positional.length) throw new Error(`unknown argument ${JSON.stringify(o.positional[0])}\n${USAGE}`);
  for (const [name, v] of o.values) if (v === "") throw new Error(`--${name} needs a value\n${USAGE}`);
  const port = o.values.get("port") ?? "3000";
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`--port must be a number from 0 to 65535, not ${JSON.stringify(port)}\n${USAGE}`);
  return { host: o.values.get("host") ?? "127.0.0.1", port: Number(port) };
}

export async function serveCommand(args: string[]): Promise<void> {
  const { host, port } = parseServeArgs(args);
  const token = process.env.CASEFILE_TOKEN || randomBytes(32).toString("hex");
  const dataDir = resolve(process.env.CASEFILE_DATA || "./data");
  // Read now so that a malformed limit stops the start-up, not the first upload; the ingest
  // itself reads them again at each upload.
  ingestLimitsFromEnv();
  const server = await startServer({ host, port, dataDir, token, maxUpload: maxUploadFromEnv(), maxUploads: maxUploadsFromEnv(), offerDemo: process.env.CASEFILE_DEMO !== "off" });
  process.stdout.write(`Casefile on ${server.url}\n`);
  process.stderr.write(`data in ${dataDir}; press Ctrl-C to stop\n`);
  // As root the server records this host itself: the collector runs as a child process (it
  // traces neither itself nor this server). CASEFILE_COLLECTOR=off leaves it out.
  const collector = process.getuid?.() === 0 && process.env.CASEFILE_COLLECTOR !== "off" ? startLocalCollector(server.origin, token) : undefined;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second Ctrl-C means now
    stopping = true;
    collector?.kill("SIGTERM");
    server.close().then(
      () => process.exit(signal === "SIGINT" ? 130 : 0),
      (e: unknown) => {
        process.stderr.write(`casefile: while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** `casefile collector` for this host, connected to this server. */
function startLocalCollector(origin: string, token: string): ChildProcess {
  // The Live page tells the user that this server records its own host.
  process.env.CASEFILE_LOCAL_COLLECTOR = "1";
  const child = spawn(process.execPath, [
    join(projectRoot, "bin/casefile"), "collector", "--server", `${origin.replace(/^http/, "ws")}/ws/collector`, "--exclude-pid", String(process.pid),
  ], { env: { ...process.env, CASEFILE_TOKEN: token }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (signal !== "SIGTERM") process.stderr.write(`casefile: the collector of this host stopped (${code ?? signal}); live sessions need one: run casefile collector as root\n`);
  });
  return child;
}
