/**
 * Redis presence against a private redis-server: two "instances" in one process, each with its
 * own Redis connections, heartbeat and presence. Short heartbeat and leave delay keep it fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '@/tests/helpers/redis-server';
import { waitFor } from '@/tests/helpers/api';
import { systemClock } from '../hub/clock';
import { createLogger } from '../logger';
import { createClusterHeartbeat, type ClusterHeartbeat } from '../realtime/cluster-heartbeat';
import { connectRedis, type RedisLink } from '../realtime/redis-adapter';
import { createRedisPresence, type RedisPresence } from './presence-redis';

const ROOM = 'project:web';
const HEARTBEAT_MS = 100;
const LEAVE_DELAY_MS = 300;
const logger = createLogger('silent');

interface Node {
  id: string;
  link: RedisLink;
  heartbeat: ClusterHeartbeat;
  presence: RedisPresence;
  changes: string[];
}

async function node(redis: RedisServer, id: string): Promise<Node> {
  const link = await connectRedis(redis.url, logger);
  const changes: string[] = [];
  const ref: { presence?: RedisPresence } = {};
  const heartbeat = createClusterHeartbeat({
    client: link.client,
    instanceId: id,
    local: () => ({
      id,
      startedAt: new Date().toISOString(),
      clients: 0,
      clientsPerRoom: {},
      eventsPerSec: 0,
    }),
    onDead: (ids) => ref.presence?.removeInstances(ids),
    onBeat: () => ref.presence?.aliveChanged(),
    logger,
    heartbeatMs: HEARTBEAT_MS,
  });
  const presence = createRedisPresence({
    client: link.client,
    subscriber: link.subscriber,
    instanceId: id,
    clock: systemClock,
    onChange: (room) => changes.push(room),
    alive: () => heartbeat.alive(),
    logger,
    leaveDelayMs: LEAVE_DELAY_MS,
  });
  ref.presence = presence;
  await heartbeat.beat();
  heartbeat.start();
  return { id, link, heartbeat, presence, changes };
}

const summary = (n: Node, room = ROOM) =>
  n.presence
    .members(room)
    .map((m) => `${m.userId}:${m.connections}`)
    .join(',');

describe('Redis presence across instances', () => {
  let redis: RedisServer | undefined;
  let setupError: unknown;
  const nodes: Node[] = [];

  beforeAll(async () => {
    try {
      redis = await startRedis();
    } catch (error) {
      setupError = error;
    }
  });

  afterAll(async () => {
    for (const n of nodes) {
      await n.presence.close();
      await n.heartbeat.close();
      await n.link.close();
    }
    await redis?.stop();
  });

  async function pair(): Promise<[Node, Node]> {
    if (setupError !== undefined) throw setupError;
    if (redis === undefined) throw new Error('redis not started');
    const a = await node(redis, `a${nodes.length}`);
    const b = await node(redis, `b${nodes.length}`);
    nodes.push(a, b);
    await Promise.all([a.heartbeat.beat(), b.heartbeat.beat()]);
    return [a, b];
  }

  it('shows one member per user across instances and tabs, with the leave debounce', async () => {
    const [a, b] = await pair();
    a.presence.join(ROOM, { userId: 'ann', name: 'Ann' }, 'a-1');
    a.presence.join(ROOM, { userId: 'ann', name: 'Ann' }, 'a-2');
    b.presence.join(ROOM, { userId: 'ann', name: 'Ann' }, 'b-1');
    b.presence.join(ROOM, { userId: 'bob', name: 'Bob' }, 'b-2');
    await waitFor(
      () => summary(a) === 'ann:3,bob:1' && summary(b) === 'ann:3,bob:1',
      5_000,
      'merged members',
    );

    // Bob's tab closes: still shown during the debounce, gone after it, on both instances.
    b.presence.leave(ROOM, 'b-2');
    await new Promise((resolve) => setTimeout(resolve, LEAVE_DELAY_MS / 2));
    expect(summary(a)).toContain('bob:1');
    await waitFor(() => summary(a) === 'ann:3' && summary(b) === 'ann:3', 5_000, 'bob to leave');

    // A reload within the debounce is neither a leave nor a join.
    a.presence.leave(ROOM, 'a-1');
    a.presence.leave(ROOM, 'a-2');
    b.presence.leave(ROOM, 'b-1');
    b.presence.join(ROOM, { userId: 'ann', name: 'Ann' }, 'b-3');
    await new Promise((resolve) => setTimeout(resolve, LEAVE_DELAY_MS * 2));
    await waitFor(() => summary(a) === 'ann:1' && summary(b) === 'ann:1', 5_000, 'ann on one tab');
  });

  it("drops a dead instance's members within its heartbeat expiry", async () => {
    const [a, b] = await pair();
    const room = 'project:crash';
    a.presence.join(room, { userId: 'cat', name: 'Cat' }, 'a-1');
    b.presence.join(room, { userId: 'dan', name: 'Dan' }, 'b-1');
    await waitFor(
      () => summary(b, room) === 'cat:1,dan:1' && summary(a, room) === 'cat:1,dan:1',
      5_000,
      'both members',
    );

    // "SIGKILL": a's connections die without a goodbye; its key expires after 3 heartbeats.
    const killedAt = Date.now();
    await a.link.close();
    await waitFor(() => !summary(b, room).includes('cat'), 5_000, 'cat to vanish');
    const vanishedMs = Date.now() - killedAt;
    expect(vanishedMs).toBeLessThan(3 * HEARTBEAT_MS + 1_000);
    expect(summary(b, room)).toBe('dan:1');
    // Nothing of the dead instance is left in Redis for a newcomer to read.
    const deadline = Date.now() + 5_000;
    let left: string[] = [];
    do {
      left = (await b.link.client.hKeys(`opsroom:presence:${room}`)).filter((f) => f.startsWith(`${a.id}|`));
      if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    } while (left.length > 0 && Date.now() < deadline);
    expect(left).toEqual([]);
    // Whichever survivor noticed first cleaned up; b drops a from its own view at its next beat.
    await waitFor(() => !b.heartbeat.alive().has(a.id), 2_000, 'a to be dropped from the alive set');
  });
});
