/**
 * Issue #2 acceptance: events published over HTTP reach subscribers complete, in seq order,
 * batched within BATCH_MAX_EVENTS, and a lone event after idle is not held for the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildEvent,
  mapLimit,
  postEvents,
  range,
  rawSubscriber,
  seqs,
  waitFor,
} from '../helpers/api';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

const BATCH_MAX_EVENTS = 10;
const BATCH_MAX_WAIT_MS = 250;

describe('delivery over real sockets', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({
      env: { BATCH_MAX_EVENTS: String(BATCH_MAX_EVENTS), BATCH_MAX_WAIT_MS: String(BATCH_MAX_WAIT_MS) },
    });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('delivers 1,000 HTTP-published events to two subscribers complete, in order, batched', async () => {
    const room = 'project:delivery';
    const a = rawSubscriber(server.url, token);
    const b = rawSubscriber(server.url, token);
    await Promise.all([a.ready, b.ready]);
    for (const client of [a, b]) {
      const reply = await client.subscribe([{ room }]);
      expect(reply).toMatchObject({
        ok: true,
        data: { rooms: [{ room, seq: 0, events: [], reset: false }] },
      });
    }

    // Singles from 20 concurrent publishers: the arrival pattern batching exists for.
    const statuses = await mapLimit(
      range(1, 1000),
      20,
      async (n) => (await postEvents(server.url, token, buildEvent(room, n))).status,
    );
    expect(statuses.every((status) => status === 202)).toBe(true);

    await waitFor(
      () => a.received().length >= 1000 && b.received().length >= 1000,
      20_000,
      '1,000 events on both',
    );
    for (const client of [a, b]) {
      expect(seqs(client.received())).toEqual(range(1, 1000));
      expect(Math.max(...client.batches.map((batch) => batch.length))).toBeLessThanOrEqual(BATCH_MAX_EVENTS);
      // Batching happened at all: far fewer frames than events.
      expect(client.batches.length).toBeLessThan(1000);
    }
    a.close();
    b.close();
  });

  it('sends a single event after 1 s of idle at once, well under BATCH_MAX_WAIT_MS', async () => {
    const room = 'project:idle';
    const client = rawSubscriber(server.url, token);
    await client.ready;
    await client.subscribe([{ room }]);
    await postEvents(server.url, token, buildEvent(room, 1));
    await waitFor(() => client.received().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const startedAt = performance.now();
    let receivedAt = 0;
    client.socket.once('events', () => (receivedAt = performance.now()));
    const response = await postEvents(server.url, token, buildEvent(room, 2));
    expect(response.status).toBe(202);
    await waitFor(() => receivedAt > 0, 5000, 'the idle event');
    const latencyMs = receivedAt - startedAt;
    expect(latencyMs).toBeLessThan(BATCH_MAX_WAIT_MS / 2);
    client.close();
  });

  it('accepts a batch POST atomically and answers with seq per event', async () => {
    const room = 'project:batchpost';
    const response = await postEvents(server.url, token, {
      events: range(1, 100).map((n) => buildEvent(room, n)),
    });
    expect(response.status).toBe(202);
    expect(response.json.accepted?.map((a) => a.seq)).toEqual(range(1, 100));
  });
});
