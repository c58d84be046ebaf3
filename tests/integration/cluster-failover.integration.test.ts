/**
 * Failover (issue 5): clients reach instance C through a loopback TCP proxy (the "load
 * balancer"). C is SIGKILLed in the middle of a stream published on A and B; the proxy sends
 * the reconnects to B and every client ends with every event exactly once, in seq order.
 * C's presence members vanish within its heartbeat expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client/realtime-client';
import type { Envelope } from '@/lib/shared/envelope';
import type { PresenceMember } from '@/lib/shared/socket-events';
import {
  buildEvent,
  createToken,
  login,
  postEvents,
  range,
  rawSubscriber,
  seqs,
  waitFor,
} from '@/tests/helpers/api';
import { startCluster, type Cluster } from '@/tests/helpers/cluster';
import { startTcpProxy, type TcpProxy } from '@/tests/helpers/tcp-proxy';

const ROOM = 'project:failover';
const TOTAL = 3_000;
const BATCH = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGKILL of one instance during a stream', () => {
  let cluster: Cluster | undefined;
  let proxy: TcpProxy | undefined;
  let setupError: unknown;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    try {
      cluster = await startCluster(['a', 'b', 'c'], {
        OPSROOM_PUBLISH_RATE_PER_MIN: '10000000',
        OPSROOM_SOCKET_MESSAGES_PER_MIN: '100000',
      });
      const admin = await login(cluster.node('a').url);
      for (const name of ['publisher', 'reader', 'ghost']) {
        tokens[name] = await createToken(cluster.node('a').url, admin, { name });
      }
      proxy = await startTcpProxy(cluster.node('c').port);
    } catch (error) {
      setupError = error;
    }
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await cluster?.cleanup();
  });

  it('moves C’s clients to B with no event lost or doubled and drops C’s presence', async () => {
    if (setupError !== undefined) throw setupError;
    if (cluster === undefined || proxy === undefined) throw new Error('cluster not started');
    const c = cluster;
    const via = proxy;
    const reader = tokens.reader ?? '';
    const clients: RealtimeClient[] = [];
    const received: Envelope[][] = [];
    const observer = rawSubscriber(c.node('a').url, reader);
    const ghost = rawSubscriber(via.url, tokens.ghost ?? '');
    try {
      await observer.ready;
      expect((await ghost.ready).instance).toBe('c');
      expect((await observer.subscribe([{ room: ROOM }])).ok).toBe(true);
      expect((await ghost.subscribe([{ room: ROOM }])).ok).toBe(true);

      for (let i = 0; i < 3; i++) {
        const got: Envelope[] = [];
        received.push(got);
        const client = createRealtimeClient({
          url: via.url,
          token: reader,
          backoff: { baseMs: 100, maxMs: 500 },
        });
        clients.push(client);
        client.subscribe(ROOM, { onEvents: (events) => got.push(...events) }, { since: 0 });
      }
      await waitFor(() => clients.every((client) => client.lastSeq(ROOM) !== null), 10_000, 'subscriptions');
      const instances = () => clients.map((client) => client.getState().ready?.instance ?? 'none').join(',');
      await waitFor(() => instances() === 'c,c,c', 10_000, 'clients to connect to C');

      const members = async (): Promise<string[]> => {
        const reply = await observer.socket.timeout(5_000).emitWithAck('presence:get', { room: ROOM });
        if (!reply.ok) throw new Error('presence:get failed');
        return reply.data.members.map((m: PresenceMember) => m.name).sort();
      };
      const presenceDeadline = Date.now() + 5_000;
      while (!(await members()).includes('ghost') && Date.now() < presenceDeadline) await sleep(50);
      expect(await members()).toContain('ghost');

      // The stream: A and B alternate batches, paced so it outlasts the kill and the reconnect.
      let killedAt = 0;
      const stream = (async () => {
        for (let chunk = 0; chunk < TOTAL / BATCH; chunk++) {
          const node = c.node(chunk % 2 === 0 ? 'a' : 'b');
          const events = range(1, BATCH).map((i) => buildEvent(ROOM, chunk * BATCH + i));
          const response = await postEvents(node.url, tokens.publisher ?? '', { events });
          if (response.status !== 202) throw new Error(`publish: ${response.status}`);
          if (chunk === Math.floor(TOTAL / BATCH / 3)) {
            // SIGKILL: no goodbye, no presence cleanup, connections cut mid-stream.
            await c.node('c').stop('SIGKILL');
            killedAt = Date.now();
            via.switchTo(c.node('b').port);
            via.dropAll();
          }
          await sleep(10);
        }
      })();
      await stream;

      await waitFor(
        () => received.every((got) => got.length >= TOTAL),
        20_000,
        'every client to catch up after failover',
      );
      for (const got of received) expect(seqs(got)).toEqual(range(1, TOTAL));
      expect(instances()).toBe('b,b,b');

      // The ghost (C's socket that never came back) is gone within C's expiry (3 heartbeats).
      const ghostDeadline = killedAt + 10_000;
      while ((await members()).includes('ghost') && Date.now() < ghostDeadline) await sleep(100);
      const goneAfterMs = Date.now() - killedAt;
      expect(await members()).not.toContain('ghost');
      expect(await members()).toContain('reader');
      process.stdout.write(
        `failover: ${TOTAL} events, C killed at event ${TOTAL / 3}, 3 clients resumed on B with all ` +
          `${TOTAL} exactly once; C's presence gone ${goneAfterMs} ms after the kill\n`,
      );
    } finally {
      observer.close();
      ghost.close();
      for (const client of clients) client.close();
    }
  }, 60_000);
});
