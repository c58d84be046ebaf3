/**
 * The publisher's reactions to answers a healthy Opsroom rarely gives (rate limits, proxy
 * errors, a hanging request, a batch refused as a whole), against a real HTTP server on a
 * loopback port that answers from a script. What a real Opsroom stores is covered in
 * publisher.integration.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/tests/helpers/free-port';
import { waitFor } from '@/tests/helpers/api';
import {
  createPublisher,
  PublisherClosedError,
  PublisherError,
  type Publisher,
  type PublisherOptions,
} from './index';

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
/** What the script does with one request: answer it, or never answer (`'hang'`). */
type Step = Answer | 'hang' | ((ids: string[]) => Answer | 'hang');

interface SeenRequest {
  ids: string[];
  bytes: number;
  at: number;
}

const STORED: Answer = { status: 202, body: { accepted: [] } };

async function scriptedServer(script: Step[]) {
  const requests: SeenRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { events } = JSON.parse(body) as { events: Array<{ id: string }> };
      const ids = events.map((event) => event.id);
      requests.push({ ids, bytes: Buffer.byteLength(body), at: performance.now() });
      const next = script.shift() ?? STORED;
      const answer = typeof next === 'function' ? next(ids) : next;
      if (answer === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Answers every request left hanging with 202. */
    release: () => {
      for (const response of hanging.splice(0)) response.writeHead(202).end('{"accepted":[]}');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(script: Step[], options: Partial<PublisherOptions> = {}) {
  const server = await scriptedServer(script);
  const statuses: string[] = [];
  const publisher: Publisher = createPublisher({
    url: server.url,
    token: 't',
    flushOnExit: false,
    onStatus: (line) => statuses.push(line),
    ...options,
  });
  cleanups.push(server.close, () => publisher.close(500));
  return { server, publisher, statuses };
}

const status = (publisher: Publisher, n: number): string =>
  publisher.serviceStatus('unit', { service: `svc-${n}`, status: 'running' });
const error = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message, ...extra },
});

describe('publisher retries', () => {
  it('waits the retryAfterMs of a 429, then resends the same ids', async () => {
    const { server, publisher, statuses } = await setUp([
      { status: 429, body: error('RATE_LIMIT_EXCEEDED', 'slow down', { retryAfterMs: 400 }) },
    ]);
    const ids = [1, 2, 3].map((n) => status(publisher, n));
    expect(await publisher.flush(5000)).toBe(true);
    const [first, second] = server.requests;
    expect(first?.ids).toEqual(ids);
    expect(second?.ids).toEqual(ids);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(390);
    expect(publisher.stats).toMatchObject({ published: 3, requests: 2, retries: 1 });
    expect(statuses).toEqual([
      `${server.url} answered 429 RATE_LIMIT_EXCEEDED: slow down; buffering 3 events, retrying with the same ids`,
      expect.stringMatching(/accepts events again after/),
    ]);
  });

  it("honours a proxy's Retry-After header on a 503 that is not JSON", async () => {
    const { server, publisher, statuses } = await setUp([
      { status: 503, body: '<html>upstream down</html>', headers: { 'retry-after': '1' } },
    ]);
    status(publisher, 1);
    expect(await publisher.flush(5000)).toBe(true);
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(statuses[0]).toContain('answered 503 HTTP_503');
  });

  it('retries a request that gets no answer within requestTimeoutMs', async () => {
    const { server, publisher, statuses } = await setUp(['hang'], { requestTimeoutMs: 200 });
    const id = status(publisher, 1);
    expect(await publisher.flush(5000)).toBe(true);
    expect(server.requests.map((r) => r.ids)).toEqual([[id], [id]]);
    expect(statuses[0]).toBe(
      `cannot reach ${server.url} (no answer within 200 ms); buffering 1 events, retrying with the same ids`,
    );
  });

  it('gives an event up after five 500s instead of blocking the queue', async () => {
    const internal: Answer = { status: 500, body: error('INTERNAL', 'Internal error') };
    const { server, publisher, statuses } = await setUp([internal, internal, internal, internal, internal]);
    const bad = status(publisher, 1);
    expect(await publisher.flush(20_000)).toBe(true);
    const good = status(publisher, 2);
    expect(await publisher.flush(5000)).toBe(true);
    expect(server.requests.map((r) => r.ids)).toEqual([[bad], [bad], [bad], [bad], [bad], [good]]);
    expect(publisher.stats).toMatchObject({ published: 1, rejected: 1, retries: 4 });
    expect(statuses).toEqual([
      `${server.url} answered 500 INTERNAL: Internal error; buffering 1 events, retrying with the same ids`,
      expect.stringMatching(/accepts events again/),
      `server rejected service:status ${bad} for project:unit: INTERNAL: Internal error (5 attempts)`,
    ]);
  }, 30_000);
});

describe('publisher batches', () => {
  it('finds the culprit of a batch refused as a whole by sending its events one by one', async () => {
    const { server, publisher, statuses } = await setUp([
      { status: 413, body: error('PAYLOAD_TOO_LARGE', 'Body too large') },
      STORED,
      { status: 422, body: error('INVALID_EVENT', 'no', { details: [{ path: 'x', message: 'bad' }] }) },
      STORED,
    ]);
    const ids = [1, 2, 3].map((n) => status(publisher, n));
    expect(await publisher.flush(5000)).toBe(true);
    expect(server.requests.map((r) => r.ids)).toEqual([ids, [ids[0]], [ids[1]], [ids[2]]]);
    expect(publisher.stats).toMatchObject({ published: 2, rejected: 1 });
    expect(statuses).toEqual([
      `server rejected service:status ${ids[1]} for project:unit: INVALID_EVENT: no [{"path":"x","message":"bad"}]`,
    ]);
  });

  it('keeps each request under 512 KiB', async () => {
    const { server, publisher } = await setUp([]);
    for (let n = 0; n < 30; n++)
      publisher.publish({
        room: 'project:unit',
        type: 'blob:stored',
        payload: { data: 'x'.repeat(30_000), n },
      });
    expect(await publisher.flush(5000)).toBe(true);
    expect(server.requests.length).toBe(2);
    for (const request of server.requests) expect(request.bytes).toBeLessThanOrEqual(512 * 1024);
    expect(server.requests.flatMap((r) => r.ids)).toHaveLength(30);
  });

  it('drops new events beyond maxQueue, says so once, and whenBelow() waits for room', async () => {
    const { server, publisher, statuses } = await setUp(['hang'], { maxQueue: 10, maxBatch: 5 });
    for (let n = 1; n <= 12; n++) status(publisher, n);
    expect(publisher.pending).toBe(10);
    expect(publisher.stats.dropped).toBe(2);
    expect(statuses).toEqual([
      `queue full (10 events waiting for ${server.url}): dropping new events until it drains`,
    ]);

    let below = false;
    void publisher.whenBelow(6).then(() => (below = true));
    expect(await publisher.flush(300)).toBe(false); // nothing answered yet; the events stay queued
    expect(publisher.pending).toBe(10);
    expect(below).toBe(false);

    server.release();
    await waitFor(() => below, 5000, 'whenBelow(6)');
    expect(await publisher.flush(5000)).toBe(true);
    expect(publisher.stats).toMatchObject({ published: 10, dropped: 2 });
    expect(statuses[1]).toBe('queue has room again; 2 events were dropped while it was full');
  });
});

describe('publisher lifecycle and ids', () => {
  it('gives ids unique per publisher, and keeps an id the caller chose', async () => {
    const { publisher } = await setUp([]);
    const other = (await setUp([])).publisher;
    const ids = [status(publisher, 1), status(publisher, 2), status(other, 1)];
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]?.split('-')[0]).not.toBe(ids[2]?.split('-')[0]);
    expect(publisher.publish({ room: 'project:unit', type: 'x:y', payload: {}, id: 'mine' })).toBe('mine');
  });

  it('close() gives up on an unreachable server after its timeout; publishing afterwards throws', async () => {
    const statuses: string[] = [];
    const url = `http://127.0.0.1:${await freePort()}`;
    const publisher = createPublisher({
      url,
      token: 't',
      flushOnExit: false,
      onStatus: (l) => statuses.push(l),
    });
    status(publisher, 1);
    status(publisher, 2);
    expect(await publisher.close(400)).toBe(false);
    expect(publisher.stats).toMatchObject({ published: 0, dropped: 2 });
    expect(publisher.pending).toBe(0);
    expect(statuses).toEqual([
      `cannot reach ${url} (ECONNREFUSED); buffering 2 events, retrying with the same ids`,
      'gave up on 2 events not confirmed within 400 ms',
    ]);
    expect(() => status(publisher, 3)).toThrow(PublisherClosedError);
    expect(await publisher.close()).toBe(false); // idempotent
  });

  it('refuses bad options with one clear error', () => {
    expect(() => createPublisher({ url: 'localhost:3000', token: '', maxBatch: 500 })).toThrow(
      PublisherError,
    );
    expect(() => createPublisher({ url: 'localhost:3000', token: '' })).toThrow(
      /createPublisher: url: url must be an http\(s\) URL.*; token: token is required/,
    );
    expect(() => createPublisher({ url: 'http://x', token: 't', maxBatch: 500 })).toThrow(/maxBatch/);
  });
});
