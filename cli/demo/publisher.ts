/**
 * A small batching publisher for POST /api/events: events collect for ~100 ms and go out
 * up to 100 per request, one request at a time so each room keeps its order. Every event
 * carries an id, so a retry after a connection error, 503 or 429 (honouring retryAfterMs)
 * can never store anything twice. Events that fail local validation never leave.
 */
import { MAX_EVENTS_PER_REQUEST } from '@/lib/shared/envelope';
import { validateEvent } from '@/lib/shared/validate-event';
import type { DemoEvent } from './context';

export interface OutgoingEvent extends DemoEvent {
  id: string;
}

export interface PublisherOptions {
  url: string;
  token: string;
  /** Prefix of event ids; must be unique per run so a rerun is not deduplicated away. */
  idPrefix: string;
  batchWindowMs?: number;
  maxBatch?: number;
  /** Queue limit while the server is unreachable; newer events beyond it are dropped. */
  maxQueue?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called with one-line status messages (server unreachable, back again, rejected events). */
  onStatus?: (message: string) => void;
}

export interface PublisherStats {
  published: number;
  requests: number;
  retries: number;
  rejected: number;
  dropped: number;
  byType: Map<string, number>;
}

/** The server refused the token or its scope: nothing will get through, so stop. */
export class FatalPublishError extends Error {}

interface ErrorReply {
  error?: { code?: string; message?: string; details?: unknown; retryAfterMs?: number };
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const MAX_SERVER_ERROR_ATTEMPTS = 5;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createPublisher(options: PublisherOptions) {
  const endpoint = new URL('/api/events', options.url).toString();
  const batchWindowMs = options.batchWindowMs ?? 100;
  const maxBatch = Math.min(options.maxBatch ?? MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST);
  const maxQueue = options.maxQueue ?? 20_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const report = options.onStatus ?? (() => undefined);
  const stats: PublisherStats = {
    published: 0,
    requests: 0,
    retries: 0,
    rejected: 0,
    dropped: 0,
    byType: new Map(),
  };

  const queue: OutgoingEvent[] = [];
  let counter = 0;
  let timer: NodeJS.Timeout | null = null;
  let pumping: Promise<void> | null = null;
  let fatal: FatalPublishError | null = null;
  let outage = false;
  const abort = new AbortController();
  const idle: Array<() => void> = [];

  const schedule = (): void => {
    if (pumping !== null || timer !== null || queue.length === 0 || fatal !== null) return;
    if (queue.length >= maxBatch) {
      startPump();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      startPump();
    }, batchWindowMs);
  };

  const startPump = (): void => {
    if (pumping !== null) return;
    pumping = pump()
      .catch((error: unknown) => {
        fatal = error instanceof FatalPublishError ? error : new FatalPublishError(String(error));
      })
      .finally(() => {
        pumping = null;
        if (queue.length === 0 || fatal !== null || abort.signal.aborted)
          idle.splice(0).forEach((fn) => fn());
        else schedule();
      });
  };

  /** Sends one batch until it is stored, rejected, or the publisher is closed. */
  const send = async (batch: OutgoingEvent[]): Promise<'ok' | 'rejected' | 'split' | 'aborted'> => {
    let delay = 250;
    let serverErrors = 0;
    for (;;) {
      if (abort.signal.aborted) return 'aborted';
      const request = new AbortController();
      const onAbort = (): void => request.abort();
      abort.signal.addEventListener('abort', onAbort, { once: true });
      const timeout = setTimeout(onAbort, options.requestTimeoutMs ?? 10_000);
      let response: { status: number; statusText: string; headers: Headers; text: string } | Error;
      try {
        stats.requests += 1;
        const raw = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify(batch.length === 1 ? batch[0] : { events: batch }),
          signal: request.signal,
        });
        response = {
          status: raw.status,
          statusText: raw.statusText,
          headers: raw.headers,
          text: await raw.text(),
        };
      } catch (error) {
        response = error instanceof Error ? error : new Error(String(error));
      } finally {
        clearTimeout(timeout);
        abort.signal.removeEventListener('abort', onAbort);
      }
      if (abort.signal.aborted) return 'aborted';
      if (response instanceof Error) {
        if (!outage) {
          const cause = (response.cause as { code?: string } | undefined)?.code ?? response.message;
          report(`cannot reach ${options.url} (${cause}); retrying with the same event ids`);
          outage = true;
        }
        stats.retries += 1;
        await sleep(delay, abort.signal);
        delay = Math.min(delay * 2, 5000);
        continue;
      }
      if (response.status === 202) {
        if (outage) {
          report(`${options.url} accepts events again`);
          outage = false;
        }
        return 'ok';
      }
      let reply: ErrorReply = {};
      try {
        reply = JSON.parse(response.text) as ErrorReply;
      } catch {
        // Not JSON (a proxy's error page); the status decides.
      }
      const code = reply.error?.code ?? String(response.status);
      const message = reply.error?.message ?? response.statusText;
      if (response.status === 401 || response.status === 403) {
        throw new FatalPublishError(`${response.status} ${code}: ${message}`);
      }
      if (RETRYABLE_STATUS.has(response.status)) {
        if (
          response.status >= 500 &&
          response.status !== 503 &&
          ++serverErrors >= MAX_SERVER_ERROR_ATTEMPTS
        ) {
          report(
            `giving up on ${batch.length} events after ${serverErrors} server errors (${code}: ${message})`,
          );
          return 'rejected';
        }
        const header = Number(response.headers.get('retry-after'));
        const wait =
          reply.error?.retryAfterMs ?? (Number.isFinite(header) && header > 0 ? header * 1000 : delay);
        stats.retries += 1;
        await sleep(wait, abort.signal);
        delay = Math.min(delay * 2, 5000);
        continue;
      }
      // A bad event: find the culprit by sending the batch's events one by one.
      if (batch.length > 1) return 'split';
      const details = reply.error?.details === undefined ? '' : ` ${JSON.stringify(reply.error.details)}`;
      report(
        `server rejected ${batch[0]?.type ?? 'event'} for ${batch[0]?.room ?? '?'}: ${code}: ${message}${details}`,
      );
      return 'rejected';
    }
  };

  const pump = async (): Promise<void> => {
    while (queue.length > 0 && !abort.signal.aborted) {
      const batch = queue.slice(0, maxBatch);
      const outcome = await send(batch);
      if (outcome === 'aborted') return;
      if (outcome === 'split') {
        // Retry each alone: the accepted ones are idempotent by id, the bad one is reported.
        for (const event of batch) {
          const single = await send([event]);
          if (single === 'aborted') return;
          queue.shift();
          count(event, single === 'ok');
        }
        continue;
      }
      queue.splice(0, batch.length);
      for (const event of batch) count(event, outcome === 'ok');
    }
  };

  const count = (event: OutgoingEvent, ok: boolean): void => {
    if (!ok) {
      stats.rejected += 1;
      return;
    }
    stats.published += 1;
    stats.byType.set(event.type, (stats.byType.get(event.type) ?? 0) + 1);
  };

  return {
    stats,
    /** Queues one event (validated locally first); returns its id, or null when it was not queued. */
    publish(event: DemoEvent): string | null {
      if (fatal !== null || abort.signal.aborted) return null;
      counter += 1;
      const id = `${options.idPrefix}-${counter.toString(36)}`;
      try {
        validateEvent({ ...event, id });
      } catch (error) {
        stats.rejected += 1;
        report(`invalid ${event.type} for ${event.room} not sent: ${(error as Error).message}`);
        return null;
      }
      if (queue.length >= maxQueue) {
        stats.dropped += 1;
        return null;
      }
      queue.push({ ...event, id });
      schedule();
      return id;
    },
    /** The error that stopped publishing (bad token or scope), if any. */
    get fatal(): FatalPublishError | null {
      return fatal;
    },
    get pending(): number {
      return queue.length;
    },
    /**
     * Sends everything queued, waiting at most timeoutMs; then gives up on the rest.
     * Resolves true when nothing is left undelivered.
     */
    async flush(timeoutMs: number): Promise<boolean> {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (queue.length > 0 && fatal === null) startPump();
      if (pumping !== null) {
        const done = new Promise<void>((resolve) => idle.push(resolve));
        const deadline = setTimeout(() => abort.abort(), timeoutMs);
        await done;
        clearTimeout(deadline);
      }
      const ok = queue.length === 0;
      stats.dropped += queue.length;
      queue.length = 0;
      abort.abort();
      return ok;
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
