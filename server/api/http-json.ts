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

export function jsonError(status: number, error: string, where: string): Response {
  return Response.json({ error, where }, { status, headers: { "Cache-Control": "no-store" } });
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
    console.error("casefile: request failed:", e);
    return jsonError(500, e instanceof Error ? e.message : String(e), "server");
  }
}

type IdCtx = { params: Promise<{ id: string }> };

/** A GET route handler for /api/captures/:id/…: the id and query string go to `fn`. */
export function captureGet(fn: (id: string, params: URLSearchParams) => Response | Promise<Response>) {
  return async (req: Request, { params }: IdCtx): Promise<Response> => {
    const { id } = await params;
    return answer(() => fn(id, new URL(req.url).searchParams));
  };
}
