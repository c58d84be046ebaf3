/**
 * Instance membership of a cluster: every instance writes `opsroom:instance:<id>` (its
 * connection stats, JSON) with a TTL every heartbeat and lists itself in `opsroom:instances`.
 * An instance whose key expired (SIGKILL, lost host, partition) is dead: the next heartbeat of
 * any survivor drops it from the set and reports it, so presence can remove its members.
 * Reads are cached per heartbeat, so `/api/ws/stats` and the Connections page stay synchronous
 * and cost no Redis round trip; they are at most one heartbeat old.
 */
import type { WsStats } from '@/lib/shared/api-types';
import type { Logger } from '../logger';
import type { RedisClient } from './redis-adapter';

export const INSTANCES_KEY = 'opsroom:instances';
export const instanceKey = (id: string): string => `opsroom:instance:${id}`;

/** Heartbeat period; the TTL is three of them, so one slow beat does not declare an instance dead. */
export const HEARTBEAT_MS = 2_000;
export const INSTANCE_TTL_MS = 3 * HEARTBEAT_MS;

export interface InstanceStats {
  id: string;
  startedAt: string;
  clients: number;
  clientsPerRoom: Record<string, number>;
  eventsPerSec: number;
}

export interface ClusterHeartbeat {
  start(): void;
  /** Live instances other than this one, as of the last heartbeat. */
  others(): InstanceStats[];
  /** Ids of live instances (this one included) as of the last heartbeat. */
  alive(): ReadonlySet<string>;
  /** One beat now (tests, and right after Redis comes back). */
  beat(): Promise<void>;
  /** Removes this instance's key (graceful shutdown). */
  close(): Promise<void>;
}

export function createClusterHeartbeat(options: {
  client: RedisClient;
  instanceId: string;
  local: () => InstanceStats;
  /** Told about instances found dead (their key expired) so their presence can be removed. */
  onDead: (ids: string[]) => void;
  /** Told after every successful beat (presence refreshes its alive filter). */
  onBeat?: () => void;
  logger: Logger;
  heartbeatMs?: number;
}): ClusterHeartbeat {
  const { client, instanceId, local, onDead, logger } = options;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const ttlMs = 3 * heartbeatMs;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let others: InstanceStats[] = [];
  let alive = new Set<string>([instanceId]);

  async function beatOnce(): Promise<void> {
    await client
      .multi()
      .set(instanceKey(instanceId), JSON.stringify(local()), { PX: ttlMs })
      .sAdd(INSTANCES_KEY, instanceId)
      .exec();
    const ids = await client.sMembers(INSTANCES_KEY);
    const values = ids.length === 0 ? [] : await client.mGet(ids.map(instanceKey));
    const live: InstanceStats[] = [];
    const dead: string[] = [];
    ids.forEach((id, index) => {
      const value = values[index];
      if (value === null || value === undefined) {
        if (id !== instanceId) dead.push(id);
        return;
      }
      try {
        live.push(JSON.parse(value) as InstanceStats);
      } catch {
        dead.push(id);
      }
    });
    if (dead.length > 0) {
      await client.sRem(INSTANCES_KEY, dead);
      logger.warn({ instances: dead }, 'instances stopped heartbeating; removing them');
      onDead(dead);
    }
    others = live.filter((stats) => stats.id !== instanceId);
    alive = new Set([instanceId, ...others.map((stats) => stats.id)]);
    options.onBeat?.();
  }

  function beat(): Promise<void> {
    // Never two beats at once: a slow Redis must not stack them.
    running ??= beatOnce()
      .catch((error: unknown) => logger.debug({ err: error }, 'heartbeat failed'))
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    start() {
      void beat();
      timer = setInterval(() => void beat(), heartbeatMs);
      timer.unref();
    },
    others: () => others,
    alive: () => alive,
    beat,
    async close() {
      clearInterval(timer);
      // A beat in flight while Redis is away would only settle when it returns: do not wait for it.
      if (!client.isReady) return;
      await Promise.allSettled([client.del(instanceKey(instanceId)), client.sRem(INSTANCES_KEY, instanceId)]);
    },
  };
}

/** This instance's stats merged with the others' (clients and rates summed per room and in total). */
export function mergeStats(local: WsStats, others: InstanceStats[]): WsStats {
  const clientsPerRoom: Record<string, number> = { ...local.clientsPerRoom };
  let totalClients = local.totalClients;
  let eventsPerSec = local.eventsPerSec;
  const instances = [...local.instances];
  for (const other of others) {
    totalClients += other.clients;
    eventsPerSec += other.eventsPerSec;
    instances.push({ id: other.id, clients: other.clients, startedAt: other.startedAt });
    for (const [room, count] of Object.entries(other.clientsPerRoom)) {
      clientsPerRoom[room] = (clientsPerRoom[room] ?? 0) + count;
    }
  }
  instances.sort((a, b) => a.id.localeCompare(b.id));
  return {
    totalClients,
    totalRooms: Object.keys(clientsPerRoom).length,
    clientsPerRoom,
    instances,
    eventsPerSec,
  };
}
