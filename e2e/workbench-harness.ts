// What every end-to-end test file shares, registered once as node:test hooks: a fresh data folder
// and a scratch folder, the real server on a free port with a token of its own, Chromium (started
// on the first page asked for, so a file that records the host first keeps it out of the
// recording), pages whose script errors are collected, requests to the API, uploads, screenshots,
// and the clean-up of all of it, child processes included. No framework: call useWorkbench() at
// the top of a test file and use what it returns inside the tests.
//
// node 20 runs a file's top-level `before` hooks at once, as they are registered, without waiting
// for the one before: a file's own set-up that needs the server goes through h.before(), which
// waits for this set-up first.

import { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import WebSocket from "ws";
import { projectRoot, startServer, type RunningServer, type StartOptions } from "../server/http/serve";
import { ARTIFACTS, launchChromium, requireBuild } from "./browser";

export interface WorkbenchOptions {
  /** false: no server in this process (the file starts `casefile serve` itself, see spawnCasefile). */
  server?: boolean;
  /** More of startServer's options (upload limits, another store). */
  serverOptions?: Omit<StartOptions, "host" | "port" | "dataDir" | "token">;
  /** Runs in the set-up before the server starts, e.g. to fill the data folder. */
  beforeServer?: (dataDir: string) => Promise<void> | void;
}

/** An HTTP answer: the status, the headers, the body as text and, when it is JSON, parsed (else
 *  the text again, so a message can print either), and how long it took. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
  ms: number;
}

export type Body = Buffer | string | Readable | null | undefined;

export interface Workbench {
  readonly token: string;
  /** The server's origin (http://127.0.0.1:PORT); with `server: false`, what setOrigin() gave. */
  readonly origin: string;
  readonly port: number;
  /** The server's data folder (made empty; the server fills it). */
  readonly dataDir: string;
  /** A folder for the test's own files (recordings, generated captures), removed after. */
  readonly scratch: string;
  /** Every script error of every page opened by newPage(), in order. */
  readonly pageErrors: string[];
  /** A page in a new browser context (1400×900 unless the options say), its errors collected. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A request as sent, without the token: exactly the headers given. http.request, not fetch:
   *  fetch will not let a test set the Host header. A body may be a stream; an answer that comes
   *  before it is all sent counts. */
  request(method: string, urlPath: string, body?: Body, headers?: Record<string, string>): Promise<Answer>;
  /** The same with the token (Authorization: Bearer). */
  api(method: string, urlPath: string, body?: Body, headers?: Record<string, string>): Promise<Answer>;
  /** The status of a WebSocket handshake to /ws + query: 101 when it opens, else the refusal's. */
  wsStatus(query?: string, options?: WebSocket.ClientOptions): Promise<number>;
  /** Uploads a file through the API (201 asserted); resolves with the capture's id. */
  upload(file: string, name?: string): Promise<string>;
  /** Waits until the catalog lists the capture as ready (fails on an ingest error); its row. */
  waitReady(id: string): Promise<Record<string, any>>;
  /** Uploads a file through the start page's file input; resolves with the new entry's id once
   *  its row offers "open". */
  uploadThroughPage(page: Page, file: string): Promise<string>;
  /** A screenshot into e2e/artifacts/NAME.png. */
  shot(page: Page, name: string, fullPage?: boolean): Promise<void>;
  /** For `server: false`: where the server this file started listens. */
  setOrigin(origin: string): void;
  /** Starts bin/casefile with this workbench's token and data folder in its environment; it gets
   *  SIGTERM, and is waited for, in the clean-up. */
  spawnCasefile(args: string[], options?: SpawnOptions): ChildProcess;
  /** A `before` hook that runs once the set-up above (server included) is done. */
  before(fn: () => unknown): void;
  /** Runs in the clean-up before the browser and the server close (last registered, first run). */
  onCleanup(fn: () => unknown): void;
}

export function useWorkbench(name: string, options: WorkbenchOptions = {}): Workbench {
  const token = `e2e-${name}-${randomBytes(16).toString("hex")}`;
  let root = "";
  let server: RunningServer | undefined;
  let origin = "";
  let browser: Promise<Browser> | undefined;
  const pageErrors: string[] = [];
  const cleanups: (() => unknown)[] = [];
  let setUp: Promise<void> | undefined;

  before(() => (setUp = setUpWorkbench()));

  async function setUpWorkbench(): Promise<void> {
    requireBuild();
    root = mkdtempSync(path.join(tmpdir(), `casefile-e2e-${name}-`));
    mkdirSync(path.join(root, "data"));
    mkdirSync(path.join(root, "scratch"));
    await options.beforeServer?.(path.join(root, "data"));
    if (options.server !== false) {
      server = await startServer({ ...options.serverOptions, host: "127.0.0.1", port: 0, dataDir: path.join(root, "data"), token });
      origin = server.origin;
    }
  }

  after(async () => {
    try {
      for (const fn of cleanups.reverse()) await fn();
    } finally {
      if (browser) await (await browser).close();
      await server?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined || v === "") throw new Error(`${what} is not there yet (set-up not run, or \`server: false\`)`);
    return v;
  };

  const h: Workbench = {
    token,
    get origin() { return need(origin, "the server's origin"); },
    get port() { return Number(new URL(need(origin, "the server's origin")).port); },
    get dataDir() { return path.join(need(root, "the data folder"), "data"); },
    get scratch() { return path.join(need(root, "the scratch folder"), "scratch"); },
    pageErrors,

    async newPage(contextOptions = {}) {
      browser ??= launchChromium();
      const context = await (await browser).newContext({ viewport: { width: 1400, height: 900 }, ...contextOptions });
      const page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(e.message));
      return page;
    },

    request(method, urlPath, body, headers = {}) {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port: h.port, method, path: urlPath, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (body instanceof Readable) body.destroy();
            const text = Buffer.concat(chunks).toString("utf8");
            let json: any = text;
            try {
              json = JSON.parse(text);
            } catch {
              // Pages and plain text stay text.
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - t0 });
          });
        });
        // A server that answers (413, 415, 429) before the body is all sent may then cut the
        // connection: an answer that has come is read to its end; a connection lost without one
        // is a failure.
        let answered = false;
        req.on("response", () => (answered = true));
        req.on("error", (e: NodeJS.ErrnoException) => {
          if (e.code !== "EPIPE" && e.code !== "ECONNRESET") return reject(e);
          setTimeout(() => answered || reject(new Error(`connection lost without an answer (${e.code})`)), 1000);
        });
        if (body instanceof Readable) body.pipe(req);
        else req.end(body ?? undefined);
      });
    },

    api(method, urlPath, body, headers = {}) {
      return h.request(method, urlPath, body, { authorization: `Bearer ${token}`, ...headers });
    },

    wsStatus(query = "", wsOptions = {}) {
      return new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws${query}`, wsOptions);
        ws.on("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on("open", () => {
          resolve(101);
          ws.close();
        });
        ws.on("error", () => {});
      });
    },

    async upload(file, uploadName = path.basename(file)) {
      const r = await h.api("POST", "/api/captures", readFileSync(file), { "x-filename": uploadName });
      assert.equal(r.status, 201, `upload of ${uploadName}: ${r.text}`);
      return r.json.id as string;
    },

    async waitReady(id) {
      for (let i = 0; i < 200; i++) {
        const list = (await h.api("GET", "/api/captures")).json as Record<string, any>[];
        const c = list.find((x) => x.id === id);
        if (c?.status === "ready") return c;
        assert.notEqual(c?.status, "error", c?.error ?? "");
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`capture ${id} was not ready in 20 s`);
    },

    async uploadThroughPage(page, file) {
      await page.goto(`${h.origin}/?token=${token}`);
      await page.getByTestId("upload-input").setInputFiles(file);
      const open = page.locator("tr", { hasText: path.basename(file) }).getByRole("link", { name: "open" });
      await open.waitFor({ timeout: 30_000 });
      return /\/captures\/([0-9a-f]{16})/.exec((await open.getAttribute("href"))!)![1];
    },

    async shot(page, shotName, fullPage = true) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${shotName}.png`), fullPage });
    },

    setOrigin(o) {
      origin = o;
    },

    spawnCasefile(args, spawnOptions = {}) {
      const child = spawn(path.join(projectRoot, "bin/casefile"), args, {
        ...spawnOptions,
        env: { ...(spawnOptions.env ?? process.env), CASEFILE_TOKEN: token, CASEFILE_DATA: h.dataDir },
      });
      h.onCleanup(async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      });
      return child;
    },

    before(fn) {
      before(async () => {
        await need(setUp, "the workbench's set-up");
        await fn();
      });
    },

    onCleanup(fn) {
      cleanups.push(fn);
    },
  };
  return h;
}
