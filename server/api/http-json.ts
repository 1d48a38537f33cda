// JSON answers for the HTTP API: one error shape everywhere, `{"error": "...", "where": ...}`.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly where: string,
  ) {
    super(message);
  }
}

/** Whether e is an error of the class of that name. By name, not instanceof: route handlers are
 *  bundled by Next with their own copies of our classes, while the store (loaded by the server)
 *  throws the server's. */
export function isErrorNamed(e: unknown, name: string): e is Error {
  return e instanceof Error && e.name === name;
}

export function jsonError(status: number, error: string, where: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error, where }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

/** Runs a handler body, turning ApiErrors into their status and anything else into a 500 that
 *  still has the error shape (a stack trace would tell a client nothing it can act on). */
export async function answer(fn: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError) return jsonError(e.status, e.message, e.where);
    // A query stopped by its time budget: the server gave up on it, nothing the client sent was
    // wrong as such (504: no answer in time). One refused because too many wait: 503, retry.
    // One cancelled: its client has gone and reads no status; 499 as nginx logs it.
    if (isErrorNamed(e, "QueryBudgetExceeded")) return jsonError(504, e.message, "budget");
    if (isErrorNamed(e, "QueryQueueFull")) return jsonError(503, e.message, "server", { "Retry-After": "1" });
    if (isErrorNamed(e, "QueryCancelled")) return jsonError(499, e.message, "client");
    console.error("casefile: request failed:", e);
    return jsonError(500, e instanceof Error ? e.message : String(e), "server");
  }
}

type IdCtx = { params: Promise<{ id: string }> };

/** A GET route handler for /api/captures/:id/…: the id, query string and the request's abort
 *  signal (it aborts when the client goes away: the query it asked stops) go to `fn`, and the
 *  request itself for what else it needs (its headers). */
export function captureGet(fn: (id: string, params: URLSearchParams, signal: AbortSignal, req: Request) => Response | Promise<Response>) {
  return async (req: Request, { params }: IdCtx): Promise<Response> => {
    const { id } = await params;
    return answer(() => fn(id, new URL(req.url).searchParams, req.signal, req));
  };
}
