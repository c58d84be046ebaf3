/**
 * Issue #4: a client that stops reading while 50 MB of events flow is evicted as a slow
 * consumer, server memory stays bounded, a healthy client on the same room gets every
 * event, and the evicted client, resuming with since, receives everything it missed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { createRealtimeClient } from '@/lib/client';
import { adminToken, mapLimit, postEvents, range, rawSubscriber, seqs, waitFor } from '../helpers/api';
import { startOpsroom } from '../helpers/server-process';

const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
};

const EVENT_BYTES = 60_000;
const EVENTS = 850; // ~51 MB
const PER_REQUEST = 15;

describe('slow consumer', () => {
  it('evicts a stalled client, keeps memory bounded, and loses nothing for anyone', async () => {
    const server = await startOpsroom({
      env: { OPSROOM_SELF_REPORT: 'off', OPSROOM_SLOW_CONSUMER_BYTES: String(8 * 1024 * 1024) },
    });
    try {
      const token = await adminToken(server.url);
      const room = 'project:firehose';
      // The reader that keeps up uses the client library: if it ever falls behind far enough to
      // be evicted too, it resumes by seq, which is the guarantee under test.
      const healthy = createRealtimeClient({ url: server.url, token });
      const healthyEvents: Envelope[] = [];
      healthy.subscribe(room, { onEvents: (events) => healthyEvents.push(...events) });
      const stalled = rawSubscriber(server.url, token);
      const stalledReady = await stalled.ready;
      await stalled.subscribe([{ room }]);
      await waitFor(() => healthy.lastSeq(room) !== null, 10_000, 'the healthy client to subscribe');

      // Warm up, then stop reading: the TCP socket under the stalled client's websocket.
      await postEvents(server.url, token, { room, type: 'firehose:chunk', payload: { n: 0, blob: 'x' } });
      await waitFor(() => stalled.received().length === 1);
      const held = stalled.received().at(-1)?.seq ?? 0;
      const engine = stalled.socket.io.engine as unknown as {
        transport: { ws: { _socket: { pause(): void } } };
      };
      engine.transport.ws._socket.pause();

      const rssBefore = rssMb(server.child.pid ?? 0);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(server.child.pid ?? 0))), 100);
      const blob = 'x'.repeat(EVENT_BYTES);
      const batches = range(1, EVENTS / PER_REQUEST + 1).map((b) =>
        range(1, PER_REQUEST).map((i) => ({
          room,
          type: 'firehose:chunk',
          payload: { n: b * PER_REQUEST + i, blob },
        })),
      );
      const statuses = await mapLimit(
        batches,
        2,
        async (events) => (await postEvents(server.url, token, { events })).status,
      );
      expect(statuses.every((s) => s === 202)).toBe(true);
      const total = 1 + batches.length * PER_REQUEST;

      await waitFor(() => healthyEvents.length >= total, 60_000, 'the healthy client to get every event');
      clearInterval(sampler);
      expect(seqs(healthyEvents)).toEqual(range(1, total));

      // The stalled client was evicted: the server logged why, and its memory did not follow the 50 MB.
      const evicted = () =>
        server
          .output()
          .split('\n')
          .some((line) => line.includes('"reason":"slow_consumer"') && line.includes(stalledReady.clientId));
      await waitFor(evicted, 10_000, 'the eviction');
      const growth = rssPeak - rssBefore;
      console.log(
        `slow consumer: ${((total * EVENT_BYTES) / 1e6).toFixed(0)} MB published, server RSS ${rssBefore.toFixed(0)} -> peak ${rssPeak.toFixed(0)} MB (+${growth.toFixed(0)} MB)`,
      );
      expect(growth).toBeLessThan(150);

      // It comes back and catches up from the seq it held.
      stalled.close();
      const resumed = rawSubscriber(server.url, token);
      await resumed.ready;
      const reply = await resumed.subscribe([{ room, since: held }]);
      if (!reply.ok) throw new Error(reply.error.message);
      const caughtUp: Envelope[] = reply.data.rooms[0]?.events ?? [];
      expect(reply.data.rooms[0]?.reset).toBe(false);
      expect(seqs(caughtUp)).toEqual(range(held + 1, total));
      resumed.close();
      healthy.close();
    } finally {
      await server.cleanup();
    }
  }, 120_000);
});
