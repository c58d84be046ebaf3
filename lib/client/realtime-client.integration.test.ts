/**
 * The realtime client against a real Opsroom server process (tests/helpers/server-process.ts):
 * token handshake, in-order exactly-once delivery of HTTP-published events, and resume
 * across a SIGTERM restart on the same database with publishes queued while it was down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, postEvents, range, waitFor } from '@/tests/helpers/api';
import { startOpsroom, type OpsroomProcess } from '@/tests/helpers/server-process';
import { createRealtimeClient, type RealtimeClient } from './realtime-client';

const ROOM = 'project:web';

function buildProgress(n: number) {
  return {
    room: ROOM,
    type: 'build:progress',
    payload: { buildId: 'b1', status: 'in-progress', progress: n % 100, step: 'compile' },
  };
}

/** Publishes `count` events over HTTP in requests of at most 100; returns the accepted seqs. */
async function publishOverHttp(url: string, token: string, from: number, count: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let start = from; start < from + count; start += 100) {
    const n = Math.min(100, from + count - start);
    const events = Array.from({ length: n }, (_, i) => buildProgress(start + i));
    const response = await postEvents(url, token, { events });
    if (response.status !== 202)
      throw new Error(`publish failed: ${response.status} ${JSON.stringify(response.json)}`);
    seqs.push(...(response.json.accepted ?? []).map((a) => a.seq));
  }
  return seqs;
}

/** A room listener that records everything it is handed. */
function recordingListener() {
  const received: Envelope[] = [];
  const resets: Array<{ seq: number; snapshot: Envelope[] }> = [];
  return {
    received,
    resets,
    listener: {
      onEvents: (events: Envelope[]) => received.push(...events),
      onReset: (snapshot: Envelope[], seq: number) => resets.push({ seq, snapshot }),
      onError: (error: unknown) => {
        throw new Error(`subscription refused: ${JSON.stringify(error)}`);
      },
    },
  };
}

describe('realtime client against a real server', () => {
  const servers: OpsroomProcess[] = [];
  const clients: RealtimeClient[] = [];
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom();
    servers.push(server);
    token = await adminToken(server.url);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    // Both processes share one data directory; cleanup() of either removes it.
    for (const s of servers) await s.cleanup();
  });

  function client(options: { token?: string } = {}): RealtimeClient {
    const c = createRealtimeClient({ url: server.url, token: options.token ?? token });
    clients.push(c);
    return c;
  }

  it('connects with an API token and measures latency', async () => {
    const c = client();
    await waitFor(() => c.getState().status === 'connected', 15_000, 'connected');
    const state = c.getState();
    expect(state.ready?.user.role).toBe('token');
    expect(state.lastError).toBeNull();
    await waitFor(() => c.getState().latencyMs !== null, 15_000, 'latency');
    expect(c.getState().latencyMs).toBeGreaterThanOrEqual(0);
    c.close();
    expect(c.getState().status).toBe('offline');
  });

  it('stops retrying when the token is refused', async () => {
    const c = client({ token: 'not-a-token' });
    await waitFor(() => c.getState().status === 'offline', 15_000, 'offline');
    expect(c.getState().lastError?.code).toBe('UNAUTHORIZED');
    expect(c.getState().nextRetryAt).toBeNull();
  });

  it('delivers 200 HTTP-published events in seq order, without duplicates, and resumes across a restart', async () => {
    const c = client();
    const rec = recordingListener();
    const unsubscribe = c.subscribe(ROOM, rec.listener);
    await waitFor(() => rec.resets.length === 1, 15_000, 'initial snapshot');
    const base = rec.resets[0]?.seq ?? 0;
    expect(c.getState().status).toBe('connected');

    const firstSeqs = await publishOverHttp(server.url, token, 0, 200);
    expect(firstSeqs).toEqual(range(base + 1, base + 200));
    await waitFor(() => rec.received.length >= 200, 20_000, '200 events');
    expect(rec.received.map((e) => e.seq)).toEqual(range(base + 1, base + 200));
    expect(c.lastSeq(ROOM)).toBe(base + 200);

    // Restart: SIGTERM makes the server say `shutdown` and close; the client backs off and retries.
    expect(await server.stop('SIGTERM')).toBe(0);
    await waitFor(() => c.getState().status === 'reconnecting', 10_000, 'reconnecting');
    expect(c.getState().lastError?.message).toMatch(/shutdown|lost/);

    // Publishes made while disconnected wait in the client's queue.
    const queued = Array.from({ length: 20 }, (_, i) => c.publish(buildProgress(1_000 + i)));

    server = await startOpsroom({ dataDir: server.dataDir, port: server.port });
    servers.push(server);
    // Published right after the restart, most likely before the client is back (it is in
    // backoff): these reach it through the resubscribe with `since`.
    const secondSeqs = await publishOverHttp(server.url, token, 200, 100);

    await waitFor(() => c.getState().status === 'connected', 40_000, 'reconnected');
    const queuedResults = await Promise.all(queued);
    const allSeqs = [...firstSeqs, ...secondSeqs, ...queuedResults.map((r) => r.seq)].sort((a, b) => a - b);
    expect(allSeqs).toEqual(range(base + 1, base + 320));
    // Queued publishes were stored in the order they were made.
    const queuedSeqs = queuedResults.map((r) => r.seq);
    expect(queuedSeqs).toEqual([...queuedSeqs].sort((a, b) => a - b));

    // And a few more live after the reconnect.
    const thirdSeqs = await publishOverHttp(server.url, token, 300, 30);
    const last = Math.max(...thirdSeqs);
    expect(last).toBe(base + 350);

    await waitFor(() => (c.lastSeq(ROOM) ?? 0) >= last, 20_000, 'all events after restart');
    const seqs = rec.received.map((e) => e.seq);
    expect(seqs).toEqual(range(base + 1, last));
    expect(new Set(rec.received.map((e) => e.id)).size).toBe(rec.received.length);
    // History was kept across the restart, so no reset beyond the initial snapshot.
    expect(rec.resets).toHaveLength(1);

    // A late joiner on the same client gets the merged snapshot at once, without a round trip.
    const late = recordingListener();
    const unsubscribeLate = c.subscribe(ROOM, late.listener);
    expect(late.resets).toHaveLength(1);
    expect(late.resets[0]?.seq).toBe(last);
    expect(late.resets[0]?.snapshot.map((e) => e.payload.buildId)).toContain('b1');
    unsubscribeLate();
    unsubscribe();
    await waitFor(() => c.lastSeq(ROOM) === null, 5_000, 'room released');
  }, 180_000);
});
