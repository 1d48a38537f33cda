// The server's side of the collector's `profile` request (collector/PROTOCOL.md): each request
// gets an id, goes to one collector, and is answered by its `profile-result`; a collector that
// disconnects, or does not answer in time, fails its requests with the reason instead of leaving
// the browser waiting.

import { randomBytes } from "node:crypto";

export interface ProfileArgs {
  seconds: number;
  pid?: number;
  hz?: number;
}

export interface ProfileResult {
  text: string;
  sections: { name: string; unit: string; stacks: number; total: number }[];
}

export const MAX_PROFILE_SECONDS = 300;

/** The request's arguments, or why they cannot be used (named, for the user). */
export function readProfileRequest(msg: Record<string, unknown>): ProfileArgs | { error: string } {
  const seconds = msg.seconds;
  if (typeof seconds !== "number" || !(seconds > 0 && seconds <= MAX_PROFILE_SECONDS)) {
    return { error: `seconds must be a number above 0 and at most ${MAX_PROFILE_SECONDS}, not ${JSON.stringify(seconds)}` };
  }
  const out: ProfileArgs = { seconds };
  if (msg.pid !== undefined && msg.pid !== null) {
    if (typeof msg.pid !== "number" || !Number.isInteger(msg.pid) || msg.pid <= 0) return { error: `pid must be a process id, not ${JSON.stringify(msg.pid)}` };
    out.pid = msg.pid;
  }
  if (msg.hz !== undefined && msg.hz !== null) {
    if (typeof msg.hz !== "number" || !Number.isInteger(msg.hz) || msg.hz < 1 || msg.hz > 10000) return { error: `hz must be a whole number from 1 to 10000, not ${JSON.stringify(msg.hz)}` };
    out.hz = msg.hz;
  }
  return out;
}

/** Time a collector gets beyond the profile's own duration (symbolising, sending). */
export const PROFILE_GRACE_MS = 60_000;

export class ProfileRequests {
  private readonly pending = new Map<string, { resolve(r: ProfileResult): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  /** Sends a request through `send` and waits for its result. */
  request(send: (msg: Record<string, unknown>) => void, args: ProfileArgs): Promise<ProfileResult> {
    const request = randomBytes(8).toString("hex");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request);
        reject(new Error(`the collector did not answer the profile within ${args.seconds + PROFILE_GRACE_MS / 1000} s`));
      }, args.seconds * 1000 + PROFILE_GRACE_MS);
      timer.unref();
      this.pending.set(request, { resolve, reject, timer });
      try {
        send({ type: "profile", request, ...args });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(request);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** A `profile-result` message from the collector. False when it answers no pending request. */
  result(msg: Record<string, unknown>): boolean {
    const p = typeof msg.request === "string" ? this.pending.get(msg.request) : undefined;
    if (!p) return false;
    this.pending.delete(msg.request as string);
    clearTimeout(p.timer);
    if (typeof msg.error === "string") p.reject(new Error(msg.error));
    else if (typeof msg.text !== "string") p.reject(new Error("the collector's profile-result has no text"));
    else p.resolve({ text: msg.text, sections: Array.isArray(msg.sections) ? (msg.sections as ProfileResult["sections"]) : [] });
    return true;
  }

  /** Fails every pending request (the collector is gone). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
