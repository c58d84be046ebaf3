/**
 * Issue #2 acceptance: resume by seq after a disconnect, and reset + snapshot when the
 * client's seq is older than retained history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, buildEvent, postEvents, range, rawSubscriber, seqs, waitFor } from '../helpers/api';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

describe('resume', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { HISTORY_MAX_EVENTS: '600' } });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('a client that misses 500 events gets exactly those 500, in order, when it resubscribes with since', async () => {
    const room = 'project:resume';
    const first = rawSubscriber(server.url, token);
    await first.ready;
    await first.subscribe([{ room }]);
    for (let i = 0; i < 10; i++)
      await postEvents(server.url, token, {
        events: range(i * 10 + 1, i * 10 + 10).map((n) => buildEvent(room, n)),
      });
    await waitFor(() => first.received().length === 100);
    const lastSeq = first.received().at(-1)?.seq ?? 0;
    expect(lastSeq).toBe(100);
    first.close();

    for (let i = 0; i < 5; i++)
      await postEvents(server.url, token, { events: range(1, 100).map((n) => buildEvent(room, n)) });

    const again = rawSubscriber(server.url, token);
    await again.ready;
    const reply = await again.subscribe([{ room, since: lastSeq }]);
    if (!reply.ok) throw new Error(reply.error.message);
    const sub = reply.data.rooms[0];
    expect(sub?.reset).toBe(false);
    expect(sub?.seq).toBe(600);
    expect(seqs(sub?.events ?? [])).toEqual(range(101, 600));
    // And live delivery continues after the catch-up. The last batch window of the burst
    // may still be flushing when we join, so live events can overlap the reply (the protocol
    // allows it; clients drop seq <= the one they hold): only what is new must be exactly 601.
    await postEvents(server.url, token, buildEvent(room, 601));
    await waitFor(() => again.received().some((e) => e.seq === 601));
    const live = seqs(again.received());
    expect(live).toEqual([...live].sort((a, b) => a - b));
    expect(live.filter((seq) => seq > 600)).toEqual([601]);
    again.close();
  });

  it('a client resuming from before retained history gets reset: true and a correct snapshot', async () => {
    const room = 'project:reset';
    // 3 builds and one service, then enough events to push the early ones out of history (600 kept).
    await postEvents(server.url, token, {
      events: [
        { room, type: 'service:status', payload: { service: 'api', status: 'running' } },
        {
          room,
          type: 'build:progress',
          payload: { buildId: 'old', status: 'complete', progress: 100, step: 'done' },
        },
      ],
    });
    for (let i = 0; i < 7; i++) {
      await postEvents(server.url, token, {
        events: range(1, 100).map((n) => ({
          room,
          type: 'build:progress',
          payload: { buildId: `b${n % 3}`, status: 'in-progress', progress: n, step: `s${i}` },
        })),
      });
    }
    const client = rawSubscriber(server.url, token);
    await client.ready;
    const reply = await client.subscribe([{ room, since: 1 }]);
    if (!reply.ok) throw new Error(reply.error.message);
    const sub = reply.data.rooms[0];
    expect(sub?.reset).toBe(true);
    expect(sub?.seq).toBe(702);
    expect(sub?.events).toEqual([]);
    const state = Object.fromEntries(
      (sub?.snapshot ?? []).map((e) => [
        `${e.type}/${String(e.payload.buildId ?? e.payload.service)}`,
        e.payload,
      ]),
    );
    expect(Object.keys(state).sort()).toEqual([
      'build:progress/b0',
      'build:progress/b1',
      'build:progress/b2',
      'build:progress/old',
      'service:status/api',
    ]);
    expect(state['build:progress/old']).toMatchObject({ status: 'complete' });
    expect(state['build:progress/b0']).toMatchObject({ progress: 99, step: 's6' });
    client.close();
  });
});
