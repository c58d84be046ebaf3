/**
 * Scale-out (issue 5): three real instances on one private redis-server and one PostgreSQL
 * schema. Publishers on A and B write to the same room at once; every subscriber on A, B and
 * C gets every event exactly once in seq order, and the stored log has no gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client/realtime-client';
import type { WsStats } from '@/lib/shared/api-types';
import type { Envelope } from '@/lib/shared/envelope';
import type { PresenceMember } from '@/lib/shared/socket-events';
import {
  buildEvent,
  createToken,
  history,
  login,
  mapLimit,
  postEvents,
  range,
  rawSubscriber,
  seqs,
  waitFor,
  type RawSubscriber,
} from '@/tests/helpers/api';
import { startCluster, type Cluster } from '@/tests/helpers/cluster';
import { httpRequest } from '@/tests/helpers/node-http';

const ROOM = 'project:cluster';
const TOTAL = 10_000;
const BATCH = 100;
const IDS = ['a', 'b', 'c'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three instances on Redis and PostgreSQL', () => {
  let cluster: Cluster | undefined;
  // Setup errors are rethrown in each test: a failing beforeAll would only mark them skipped.
  let setupError: unknown;
  let admin = '';
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    try {
      cluster = await startCluster(IDS, {
        OPSROOM_PUBLISH_RATE_PER_MIN: '10000000',
        OPSROOM_SOCKET_MESSAGES_PER_MIN: '100000',
        BATCH_MAX_EVENTS: '100',
        BATCH_MAX_WAIT_MS: '20',
      });
      const a = cluster.node('a').url;
      admin = await login(a);
      for (const name of ['pub-a', 'pub-b', 'reader']) tokens[name] = await createToken(a, admin, { name });
    } catch (error) {
      setupError = error;
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.cleanup();
  });

  function ready(): Cluster {
    if (setupError !== undefined) throw setupError;
    if (cluster === undefined) throw new Error('cluster not started');
    return cluster;
  }

  it('reports redis in /api/health on every instance', async () => {
    const c = ready();
    for (const id of IDS) {
      const response = await httpRequest('GET', `${c.node(id).url}/api/health`);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ checks: { db: 'ok', redis: 'ok' }, instance: id });
    }
  });

  it('shows presence and connection stats of every instance everywhere', async () => {
    const c = ready();
    const room = 'project:presence';
    const reader = tokens.reader ?? '';
    const watcherToken = await createToken(c.node('a').url, admin, { name: 'watcher' });
    const sockets = IDS.map((id) => rawSubscriber(c.node(id).url, reader));
    const watcher = rawSubscriber(c.node('c').url, watcherToken);
    const presenceOnA: PresenceMember[][] = [];
    sockets[0]?.socket.on('presence', (message) => {
      if (message.room === room) presenceOnA.push(message.members);
    });
    try {
      for (const s of [...sockets, watcher]) {
        await s.ready;
        expect((await s.subscribe([{ room }])).ok).toBe(true);
      }
      const summary = (members: PresenceMember[]) =>
        members
          .map((m) => `${m.name}:${m.connections}`)
          .sort()
          .join(',');
      const membersOn = async (id: string) => {
        const reply = await sockets[IDS.indexOf(id)]?.socket
          .timeout(5_000)
          .emitWithAck('presence:get', { room });
        if (!reply?.ok) throw new Error(`presence:get on ${id} failed`);
        return summary(reply.data.members);
      };
      const expected = 'reader:3,watcher:1';
      const deadline = Date.now() + 5_000;
      // Each instance learns of the others' joins through Redis pub/sub, so this converges.
      for (const id of IDS) {
        while ((await membersOn(id)) !== expected && Date.now() < deadline) await sleep(50);
        expect(await membersOn(id)).toBe(expected);
      }
      await waitFor(
        () => summary(presenceOnA.at(-1) ?? []) === expected,
        5_000,
        'a presence broadcast on A',
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; got ${JSON.stringify(presenceOnA.map(summary))}`);
      });

      // Stats: every instance, clients summed (heartbeats every 2 s, so poll).
      let stats: WsStats | undefined;
      const statsDeadline = Date.now() + 6_000;
      for (;;) {
        const response = await httpRequest('GET', `${c.node('b').url}/api/ws/stats`, {
          headers: { cookie: admin },
        });
        expect(response.status).toBe(200);
        stats = JSON.parse(response.text) as WsStats;
        if (stats.clientsPerRoom[room] === 4 || Date.now() > statsDeadline) break;
        await sleep(200);
      }
      expect(stats.instances.map((i) => i.id)).toEqual(IDS);
      expect(stats.clientsPerRoom[room]).toBe(4);
      expect(stats.totalClients).toBe(stats.instances.reduce((sum, i) => sum + i.clients, 0));

      // The watcher leaves C: gone on A after the 3 s debounce.
      watcher.close();
      await sleep(1_000);
      expect(await membersOn('a')).toBe(expected);
      await waitFor(() => summary(presenceOnA.at(-1) ?? []) === 'reader:3', 6_000, 'the watcher to leave');
      expect(await membersOn('a')).toBe('reader:3');
    } finally {
      for (const s of sockets) s.close();
      watcher.close();
    }
  }, 30_000);

  it('delivers 10,000 events published concurrently on A and B to subscribers on A, B and C', async () => {
    const c = ready();
    const reader = tokens.reader ?? '';
    const raws: RawSubscriber[] = [];
    const clients: RealtimeClient[] = [];
    const received = new Map<string, Envelope[]>();
    try {
      for (const id of IDS) {
        const raw = rawSubscriber(c.node(id).url, reader);
        expect((await raw.ready).instance).toBe(id);
        const ack = await raw.subscribe([{ room: ROOM, since: 0 }]);
        expect(ack.ok).toBe(true);
        raws.push(raw);

        const got: Envelope[] = [];
        received.set(id, got);
        const client = createRealtimeClient({ url: c.node(id).url, token: reader });
        clients.push(client);
        client.subscribe(
          ROOM,
          {
            onEvents: (events) => got.push(...events),
            onError: (error) => {
              throw new Error(`subscription refused: ${JSON.stringify(error)}`);
            },
          },
          { since: 0 },
        );
      }
      await waitFor(() => clients.every((client) => client.lastSeq(ROOM) !== null), 10_000, 'subscriptions');

      const started = Date.now();
      const publish = (id: string, token: string) =>
        mapLimit(range(0, TOTAL / 2 / BATCH - 1), 4, async (chunk) => {
          const events = range(1, BATCH).map((i) =>
            buildEvent(ROOM, chunk * BATCH + i, { type: `load:${id}` }),
          );
          const response = await postEvents(c.node(id).url, token, { events });
          if (response.status !== 202) throw new Error(`publish on ${id}: ${response.status}`);
          return response.json.accepted?.length ?? 0;
        });
      const accepted = await Promise.all([
        publish('a', tokens['pub-a'] ?? ''),
        publish('b', tokens['pub-b'] ?? ''),
      ]);
      const publishMs = Date.now() - started;
      expect(accepted.flat().reduce((sum, n) => sum + n, 0)).toBe(TOTAL);

      await waitFor(
        () =>
          raws.every((raw) => raw.received().length >= TOTAL) &&
          [...received.values()].every((got) => got.length >= TOTAL),
        30_000,
        'every subscriber to receive every event',
      );
      const deliveredMs = Date.now() - started;

      // The realtime client: exactly once, in seq order, on every instance.
      for (const got of received.values()) expect(seqs(got)).toEqual(range(1, TOTAL));

      // The wire: each event exactly once. Events stored by different instances may cross in
      // flight, so only each publisher's own events are in order there.
      for (const raw of raws) {
        const events = raw.received();
        expect(events).toHaveLength(TOTAL);
        expect([...seqs(events)].sort((x, y) => x - y)).toEqual(range(1, TOTAL));
        for (const type of ['load:a', 'load:b']) {
          const own = seqs(events.filter((e) => e.type === type));
          expect(own).toEqual([...own].sort((x, y) => x - y));
        }
        // One emit per stored batch: never more batches than events, and batching did happen.
        expect(raw.batches.length).toBeLessThan(TOTAL);
      }

      // The stored log: 1..TOTAL with no gap, read through the third instance.
      const stored: Envelope[] = [];
      while (stored.length < TOTAL) {
        const page = await history(c.node('c').url, reader, ROOM, stored.length, 1000);
        expect(page.status).toBe(200);
        if (page.json.events.length === 0) break;
        stored.push(...page.json.events);
      }
      expect(seqs(stored)).toEqual(range(1, TOTAL));

      process.stdout.write(
        `cluster: ${TOTAL} events from A+B stored in ${publishMs} ms, all delivered to 6 subscribers on ` +
          `3 instances in ${deliveredMs} ms; wire batches per raw subscriber: ` +
          `${raws.map((raw) => raw.batches.length).join('/')}\n`,
      );
    } finally {
      for (const raw of raws) raw.close();
      for (const client of clients) client.close();
    }
  }, 90_000);
});
