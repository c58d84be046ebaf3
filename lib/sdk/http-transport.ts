/**
 * One POST /api/events attempt, and what its answer means for the publisher: stored,
 * retry later (connection trouble, 5xx, 429), stop (the token is refused), or an event the
 * server will never take. The server's replies are an input edge, so they are parsed with
 * zod, never trusted by cast.
 */
import { z } from 'zod';

export type SendOutcome =
  /** 202: every event of the batch is durably stored (or was already, by id). */
  | { kind: 'stored' }
  /** No HTTP answer: refused, reset, DNS, or no reply within the timeout. */
  | { kind: 'unreachable'; reason: string }
  /** The server is there but cannot take events now (5xx, 429); same batch again later. */
  | { kind: 'busy'; status: number; code: string; message: string; retryAfterMs: number | null }
  /** 401/403/404/405: no request with this token and URL will ever succeed. */
  | { kind: 'refused'; status: number; code: string; message: string }
  /** Any other answer: something in the batch is unacceptable. `index` names the event when the server did. */
  | {
      kind: 'rejected';
      status: number;
      code: string;
      message: string;
      details: unknown;
      index: number | null;
    };

export interface SendBatchRequest {
  endpoint: string;
  token: string;
  /** The JSON body, already serialized (`{"events":[...]}`). */
  body: string;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Aborts the attempt (the publisher is closing and gave up). */
  signal: AbortSignal;
}

const errorReplySchema = z.object({
  error: z.object({
    code: z.string().max(100),
    message: z.string().max(2000),
    details: z.unknown().optional(),
    retryAfterMs: z.number().nonnegative().optional(),
  }),
});

/** The hub names the failing event of a batch as `details.index` (lib/server/hub/hub.ts). */
const indexedDetailsSchema = z.object({ index: z.number().int().nonnegative(), details: z.unknown() });

const FATAL_STATUS = new Set([401, 403, 404, 405]);

export class AbortedError extends Error {}

export async function sendBatch(request: SendBatchRequest): Promise<SendOutcome> {
  const attempt = new AbortController();
  const abort = (): void => attempt.abort();
  request.signal.addEventListener('abort', abort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    attempt.abort();
  }, request.timeoutMs);
  // The socket of a request in flight keeps the process alive; the timer need not.
  timer.unref();
  try {
    const response = await request.fetch(request.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
      body: request.body,
      signal: attempt.signal,
    });
    const text = await response.text();
    return classify(response.status, response.statusText, response.headers, text);
  } catch (error) {
    if (request.signal.aborted) throw new AbortedError('aborted');
    if (timedOut) return { kind: 'unreachable', reason: `no answer within ${request.timeoutMs} ms` };
    return { kind: 'unreachable', reason: networkReason(error) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', abort);
  }
}

function classify(status: number, statusText: string, headers: Headers, text: string): SendOutcome {
  if (status === 202) return { kind: 'stored' };
  const parsed = errorReplySchema.safeParse(safeJson(text));
  // Not an Opsroom error body (a proxy's HTML page, say): the status alone decides.
  const error = parsed.success
    ? parsed.data.error
    : { code: `HTTP_${status}`, message: statusText || 'error' };
  if (status === 429 || status >= 500) {
    const retryAfterMs =
      (parsed.success ? parsed.data.error.retryAfterMs : undefined) ??
      retryAfterHeader(headers.get('retry-after'));
    return { kind: 'busy', status, code: error.code, message: error.message, retryAfterMs };
  }
  if (FATAL_STATUS.has(status)) {
    const message =
      status === 404 || status === 405
        ? `no Opsroom publish API here (${error.message}); check the URL`
        : error.message;
    return { kind: 'refused', status, code: error.code, message };
  }
  const details = parsed.success ? parsed.data.error.details : undefined;
  const indexed = indexedDetailsSchema.safeParse(details);
  return {
    kind: 'rejected',
    status,
    code: error.code,
    message: error.message,
    details: indexed.success ? indexed.data.details : details,
    index: indexed.success ? indexed.data.index : null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `Retry-After` is delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterHeader(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** fetch's TypeError hides the socket error in `cause` (ECONNREFUSED, ECONNRESET, ...). */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error.message;
}
