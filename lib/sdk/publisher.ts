/**
 * The Node publisher: queues events, sends them to POST /api/events in batches, and retries
 * until they are stored.
 *
 * - Batching: the first event waits `batchWindowMs` for company; a full batch (`maxBatch`
 *   events, or ~512 KiB of JSON, under the server's 1 MiB body limit) goes at once, and
 *   whatever queues up while a request is in flight forms the next batch.
 * - Order: one request in flight, always from the head of the queue, so the events of a room
 *   are stored in the order they were published.
 * - Retries with the same ids: every event gets its id when published (a ULID per publisher
 *   plus a counter), so resending a batch whose 202 was lost stores nothing twice (the server
 *   deduplicates ids, PROTOCOL §4). Connection errors, timeouts, 429, 502-504 are retried for
 *   as long as it takes (capped backoff, or the server's retryAfterMs / Retry-After); other 5xx
 *   five times. An outage is reported once when it starts and once when it ends.
 * - Local validation (the server's own checks) throws InvalidEventError at publish time; a
 *   batch the server still refuses is narrowed down to the culprit, which is reported and
 *   skipped while the rest goes through.
 * - 401/403/404: the publisher stops (`fatal`); nothing with that token or URL will pass.
 * - Exit: with `flushOnExit` (default) its timers do not keep the process alive; when the
 *   process is about to exit (`beforeExit`) with events still queued, it closes, sending them
 *   for up to `exitTimeoutMs`. `beforeExit` does not fire on `process.exit()` or on signals:
 *   call `await publisher.close()` there (the SDK does not install signal handlers, because
 *   doing so would change how the application itself reacts to Ctrl-C).
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { MAX_EVENTS_PER_REQUEST } from '@/lib/shared/envelope';
import { isOpsroomError } from '@/lib/shared/errors';
import { DEFAULT_EVENT_LIMITS, validateEvent } from '@/lib/shared/validate-event';
import { FatalPublishError, InvalidEventError, PublisherClosedError, PublisherError } from './errors';
import type { OutgoingEvent } from './events';
import { AbortedError, sendBatch, type SendOutcome } from './http-transport';
import { createProcessHold } from './process-hold';
import { typedHelpers, type TypedPublisher } from './typed-publisher';

export interface PublisherOptions {
  /** Base URL of the Opsroom server, e.g. `http://localhost:3000`. */
  url: string;
  /** An API token with the `publish` scope on the projects you publish to. */
  token: string;
  /** How long the first event of a batch waits for more (default 100 ms). */
  batchWindowMs?: number;
  /** Events per request, 1-100 (default 100, the server's maximum). */
  maxBatch?: number;
  /** Events kept while the server is unreachable (default 20 000; `Infinity` allowed); newer ones beyond it are dropped and counted. */
  maxQueue?: number;
  /** One request's time limit before it counts as failed and is retried (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Send what is queued when the process is about to exit (default true). */
  flushOnExit?: boolean;
  /** How long the exit flush may take (default 10 000 ms). */
  exitTimeoutMs?: number;
  /** One-line status messages: outage start and end, rejected events, fatal errors. Default: stderr. */
  onStatus?: (message: string) => void;
  /** Prefix of generated event ids (default a fresh ULID); must differ between runs, or a rerun would be deduplicated away. */
  idPrefix?: string;
  /** Payload limit for local validation; set it when the server's limit differs (default 64 KiB). */
  maxPayloadBytes?: number;
  fetch?: typeof fetch;
}

export interface PublisherStats {
  /** Events the server stored (acknowledged with 202). */
  published: number;
  /** HTTP requests made, retries included. */
  requests: number;
  /** Requests repeated after a failure. */
  retries: number;
  /** Events the server refused (reported through onStatus). */
  rejected: number;
  /** Events given up on: queue full, after a fatal error, or left when close() timed out. */
  dropped: number;
  /** Stored events per type. */
  byType: Map<string, number>;
}

export interface Publisher extends TypedPublisher<string> {
  /** Events queued and not yet stored (the batch in flight included). */
  readonly pending: number;
  readonly stats: Readonly<PublisherStats>;
  /** The error that stopped the publisher (token refused, no API at the URL), or null. */
  readonly fatal: FatalPublishError | null;
  /** Resolves once fewer than `n` events are pending: backpressure for fast producers. */
  whenBelow(n: number): Promise<void>;
  /** Sends everything queued without waiting for the batch window; true when nothing is left. Default: no time limit. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes (default limit 10 000 ms), then stops: the rest is dropped and publish() throws. True when everything was stored. */
  close(timeoutMs?: number): Promise<boolean>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** Well under the server's default 1 MiB body limit, so a batch of large events is split by size. */
const MAX_BATCH_BYTES = 512 * 1024;
const BODY_OVERHEAD_BYTES = '{"events":[]}'.length;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;
/** Longer pauses a server asks for are capped: a misconfigured proxy must not park the publisher for hours. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;
/** 500, 501, 505...: a bug rather than an outage; after this many attempts the batch counts as refused. */
const MAX_SERVER_ERROR_ATTEMPTS = 5;
/** Unavailability (a proxy without its backend, a draining server, rate limits) is waited out. */
const WAIT_OUT_STATUS = new Set([429, 502, 503, 504]);

const functionSchema = z.custom<(...args: never) => unknown>(
  (value) => typeof value === 'function',
  'must be a function',
);

const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL, e.g. http://localhost:3000' }),
  token: z.string().min(1, 'token is required'),
  batchWindowMs: z.number().min(0).max(60_000).optional(),
  maxBatch: z.number().int().min(1).max(MAX_EVENTS_PER_REQUEST).optional(),
  maxQueue: z.union([z.number().int().min(1), z.literal(Infinity)]).optional(),
  requestTimeoutMs: z.number().int().min(1).optional(),
  flushOnExit: z.boolean().optional(),
  exitTimeoutMs: z.number().int().min(0).optional(),
  onStatus: functionSchema.optional(),
  idPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'idPrefix must be 1-100 of A-Z a-z 0-9 . _ : -')
    .optional(),
  maxPayloadBytes: z.number().int().min(1).optional(),
  fetch: functionSchema.optional(),
});

interface QueuedEvent {
  id: string;
  room: string;
  type: string;
  /** Serialized once at publish time; a batch body is these joined. */
  json: string;
  bytes: number;
}

/** What became of one batch: the transport's final answer, or nothing because close() gave up. */
type Delivery = Exclude<SendOutcome, { kind: 'unreachable' | 'busy' }> | { kind: 'stopped' };

export function createPublisher(options: PublisherOptions): Publisher {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
    throw new PublisherError('INVALID_OPTIONS', `createPublisher: ${problems.join('; ')}`);
  }
  const url = options.url;
  const endpoint = new URL('api/events', url.endsWith('/') ? url : `${url}/`).toString();
  const batchWindowMs = options.batchWindowMs ?? 100;
  const maxBatch = options.maxBatch ?? MAX_EVENTS_PER_REQUEST;
  const maxQueue = options.maxQueue ?? 20_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const flushOnExit = options.flushOnExit ?? true;
  const exitTimeoutMs = options.exitTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const report = options.onStatus ?? ((message: string) => console.error(`[opsroom] ${message}`));
  const doFetch = options.fetch ?? fetch;
  const idPrefix = options.idPrefix ?? ulid();
  const limits = {
    ...DEFAULT_EVENT_LIMITS,
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_EVENT_LIMITS.maxPayloadBytes,
  };

  const stats: PublisherStats = {
    published: 0,
    requests: 0,
    retries: 0,
    rejected: 0,
    dropped: 0,
    byType: new Map(),
  };
  const queue: QueuedEvent[] = [];
  const waiters: Array<{ below: number; resolve: () => void }> = [];
  const hold = createProcessHold();
  /** Aborted when close() runs out of time: cancels the request in flight and any backoff. */
  const giveUp = new AbortController();
  let counter = 0;
  let batchTimer: ReturnType<typeof setTimeout> | null = null;
  let pumping: Promise<void> | null = null;
  let fatal: FatalPublishError | null = null;
  let closing: Promise<boolean> | null = null;
  /** flush()/close() calls in progress: while any, the batch window is skipped. */
  let flushing = 0;
  /** After a batch was refused without naming the culprit, this many events go one per request. */
  let sendSingly = 0;
  let outage: { since: number } | null = null;
  let droppedWhileFull = 0;

  /** With flushOnExit the exit hook takes over, so the publisher's own timers must not keep the process alive. */
  const detach = <T extends { unref(): unknown }>(timer: T): T => {
    if (flushOnExit) timer.unref();
    return timer;
  };

  const notifyWaiters = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter !== undefined && queue.length < waiter.below) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  };

  const clearBatchTimer = (): void => {
    if (batchTimer !== null) clearTimeout(batchTimer);
    batchTimer = null;
  };

  const schedule = (): void => {
    if (pumping !== null || queue.length === 0 || fatal !== null || giveUp.signal.aborted) return;
    if (queue.length >= maxBatch || flushing > 0) {
      startPump();
      return;
    }
    batchTimer ??= detach(setTimeout(startPump, batchWindowMs));
  };

  const startPump = (): void => {
    clearBatchTimer();
    if (pumping !== null) return;
    pumping = pump()
      .catch((error: unknown) => {
        // A bug, not a server answer: stop rather than spin on it, and say so.
        fatal = new FatalPublishError(0, 'INTERNAL', `publisher failed: ${String(error)}`);
        stats.dropped += queue.length;
        queue.length = 0;
        report(`stopped publishing: ${fatal.message}`);
        notifyWaiters();
      })
      .finally(() => {
        pumping = null;
        schedule();
      });
  };

  const takeBatch = (): QueuedEvent[] => {
    const limit = sendSingly > 0 ? 1 : maxBatch;
    if (sendSingly > 0) sendSingly -= 1;
    const batch: QueuedEvent[] = [];
    let bytes = BODY_OVERHEAD_BYTES;
    for (const event of queue) {
      if (batch.length >= limit || (batch.length > 0 && bytes + event.bytes + 1 > MAX_BATCH_BYTES)) break;
      batch.push(event);
      bytes += event.bytes + 1;
    }
    return batch;
  };

  const sleep = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (giveUp.signal.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = detach(
        setTimeout(() => {
          giveUp.signal.removeEventListener('abort', onAbort);
          resolve(true);
        }, ms),
      );
      giveUp.signal.addEventListener('abort', onAbort, { once: true });
    });

  const startOutage = (description: string): void => {
    if (outage !== null) return;
    outage = { since: Date.now() };
    report(`${description}; buffering ${queue.length} events, retrying with the same ids`);
  };

  const endOutage = (): void => {
    if (outage === null) return;
    const seconds = ((Date.now() - outage.since) / 1000).toFixed(1);
    report(`${url} accepts events again after ${seconds} s; sending ${queue.length} buffered events`);
    outage = null;
  };

  /** Sends one batch until the server gives a final answer or close() gives up. */
  const deliver = async (batch: QueuedEvent[]): Promise<Delivery> => {
    const body = `{"events":[${batch.map((event) => event.json).join(',')}]}`;
    let backoff = FIRST_BACKOFF_MS;
    let serverErrors = 0;
    for (;;) {
      stats.requests += 1;
      let outcome: SendOutcome;
      try {
        outcome = await sendBatch({
          endpoint,
          token: options.token,
          body,
          fetch: doFetch,
          timeoutMs: requestTimeoutMs,
          signal: giveUp.signal,
        });
      } catch (error) {
        if (error instanceof AbortedError) return { kind: 'stopped' };
        throw error;
      }
      // Jitter spreads the retries of many publishers after a shared outage.
      let waitMs = backoff * (0.8 + Math.random() * 0.4);
      switch (outcome.kind) {
        case 'stored':
        case 'refused':
        case 'rejected':
          endOutage();
          return outcome;
        case 'unreachable':
          startOutage(`cannot reach ${url} (${outcome.reason})`);
          break;
        case 'busy':
          if (!WAIT_OUT_STATUS.has(outcome.status) && ++serverErrors >= MAX_SERVER_ERROR_ATTEMPTS) {
            endOutage();
            return {
              kind: 'rejected',
              status: outcome.status,
              code: outcome.code,
              message: `${outcome.message} (${serverErrors} attempts)`,
              details: undefined,
              index: null,
            };
          }
          startOutage(`${url} answered ${outcome.status} ${outcome.code}: ${outcome.message}`);
          waitMs = Math.min(outcome.retryAfterMs ?? waitMs, MAX_RETRY_AFTER_MS);
          break;
      }
      stats.retries += 1;
      if (!(await sleep(waitMs))) return { kind: 'stopped' };
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };

  const reportRejected = (event: QueuedEvent, outcome: Extract<SendOutcome, { kind: 'rejected' }>): void => {
    stats.rejected += 1;
    const details = outcome.details === undefined ? '' : ` ${JSON.stringify(outcome.details).slice(0, 500)}`;
    report(
      `server rejected ${event.type} ${event.id} for ${event.room}: ${outcome.code}: ${outcome.message}${details}`,
    );
  };

  const settle = (batch: QueuedEvent[], outcome: Exclude<Delivery, { kind: 'stopped' }>): void => {
    switch (outcome.kind) {
      case 'stored':
        queue.splice(0, batch.length);
        stats.published += batch.length;
        for (const event of batch) stats.byType.set(event.type, (stats.byType.get(event.type) ?? 0) + 1);
        break;
      case 'refused':
        fatal = new FatalPublishError(outcome.status, outcome.code, outcome.message);
        stats.dropped += queue.length;
        report(`stopped publishing: ${fatal.message}; dropped ${queue.length} queued events`);
        queue.length = 0;
        clearBatchTimer();
        break;
      case 'rejected': {
        const culprit =
          outcome.index !== null ? batch[outcome.index] : batch.length === 1 ? batch[0] : undefined;
        if (culprit === undefined) {
          // Batches are atomic, so nothing was stored; resend one by one to find the culprit.
          sendSingly = batch.length;
          break;
        }
        queue.splice(queue.indexOf(culprit), 1);
        reportRejected(culprit, outcome);
        break;
      }
    }
    if (droppedWhileFull > 0 && queue.length < maxQueue) {
      report(`queue has room again; ${droppedWhileFull} events were dropped while it was full`);
      droppedWhileFull = 0;
    }
    notifyWaiters();
  };

  const pump = async (): Promise<void> => {
    while (queue.length > 0 && fatal === null && !giveUp.signal.aborted) {
      const batch = takeBatch();
      const outcome = await deliver(batch);
      if (outcome.kind === 'stopped') return;
      settle(batch, outcome);
    }
  };

  const publish = (event: OutgoingEvent): string => {
    if (closing !== null) throw new PublisherClosedError();
    const id = event.id ?? `${idPrefix}-${(++counter).toString(36)}`;
    let valid;
    try {
      valid = validateEvent({ ...event, id }, limits);
    } catch (error) {
      if (!isOpsroomError(error)) throw error;
      throw new InvalidEventError(
        error.code,
        `${String(event.type)} for ${String(event.room)}: ${error.message}`,
        error.details,
        {
          room: event.room,
          type: event.type,
        },
      );
    }
    if (fatal !== null) {
      stats.dropped += 1;
      return id;
    }
    if (queue.length >= maxQueue) {
      if (droppedWhileFull === 0)
        report(`queue full (${maxQueue} events waiting for ${url}): dropping new events until it drains`);
      droppedWhileFull += 1;
      stats.dropped += 1;
      return id;
    }
    const json = JSON.stringify(valid);
    queue.push({ id, room: valid.room, type: valid.type, json, bytes: Buffer.byteLength(json) });
    schedule();
    return id;
  };

  const whenBelow = (n: number): Promise<void> => {
    if (!(n >= 1)) return Promise.reject(new RangeError('whenBelow(n) needs n >= 1'));
    if (queue.length < n) return Promise.resolve();
    hold.acquire();
    return new Promise<void>((resolve) => waiters.push({ below: n, resolve })).finally(() => hold.release());
  };

  const flush = async (timeoutMs = Infinity): Promise<boolean> => {
    if (queue.length > 0 && fatal === null) {
      flushing += 1;
      hold.acquire();
      let deadline: ReturnType<typeof setTimeout> | undefined;
      try {
        startPump();
        const drained = whenBelow(1);
        await (Number.isFinite(timeoutMs)
          ? Promise.race([drained, new Promise((resolve) => (deadline = setTimeout(resolve, timeoutMs)))])
          : drained);
      } finally {
        clearTimeout(deadline);
        hold.release();
        flushing -= 1;
      }
    }
    return queue.length === 0 && fatal === null;
  };

  const onBeforeExit = (): void => {
    if (queue.length === 0 || fatal !== null) return;
    report(`process exiting: sending the last ${queue.length} events (up to ${exitTimeoutMs} ms)`);
    void close(exitTimeoutMs);
  };

  const close = (timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<boolean> => {
    closing ??= (async () => {
      if (flushOnExit) process.off('beforeExit', onBeforeExit);
      const delivered = await flush(timeoutMs);
      if (queue.length > 0) {
        const left = queue.length;
        giveUp.abort();
        await pumping;
        stats.dropped += left;
        queue.length = 0;
        report(`gave up on ${left} events not confirmed within ${timeoutMs} ms`);
      }
      clearBatchTimer();
      notifyWaiters();
      return delivered;
    })();
    return closing;
  };

  if (flushOnExit) process.on('beforeExit', onBeforeExit);

  return {
    ...typedHelpers(publish),
    publish,
    whenBelow,
    flush,
    close,
    get pending() {
      return queue.length;
    },
    get stats() {
      return stats;
    },
    get fatal() {
      return fatal;
    },
  };
}
