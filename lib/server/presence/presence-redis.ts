/**
 * Presence across the instances of a cluster (REDIS_URL).
 *
 * Each instance keeps its own connections in a memory presence (which already gives one member
 * per user with a connection count and the 3 s leave debounce) and mirrors its members of each
 * room into the hash `opsroom:presence:<room>`, one field per (instance, user). A change is
 * announced on `opsroom:presence`; every instance then re-reads that hash, so `members(room)`
 * stays synchronous: this instance's members are exact, the others' are as of their last
 * announcement. Entries of an instance whose heartbeat key expired are hidden as soon as a
 * heartbeat notices and deleted from Redis by whichever survivor noticed first (which announces
 * the rooms, so the others re-read them; see cluster-heartbeat.ts): a dead instance leaves no
 * ghosts. Broadcasts are local (each instance tells its own sockets), so nothing is sent twice.
 */
import type { PresenceMember } from '@/lib/shared/socket-events';
import type { Clock } from '../hub/clock';
import type { Logger } from '../logger';
import type { RedisClient } from '../realtime/redis-adapter';
import { createMemoryPresence } from './presence-memory';
import type { Presence, PresenceListener } from './presence';

export const PRESENCE_CHANNEL = 'opsroom:presence';
export const presenceKey = (room: string): string => `opsroom:presence:${room}`;
/** Rooms in which an instance has entries, so survivors can clean up after it. */
export const instanceRoomsKey = (instanceId: string): string => `opsroom:presence-rooms:${instanceId}`;

/** The field separator; instance ids match [A-Za-z0-9._-], so it cannot occur in one. */
const SEP = '|';

interface Entry {
  instance: string;
  member: PresenceMember;
}

export interface RedisPresence extends Presence {
  /** Instances found dead: drop their entries here and in Redis, tell the affected rooms. */
  removeInstances(ids: string[]): void;
  /** After each heartbeat: an instance seen alive again (restart under the same id) is shown again. */
  aliveChanged(): void;
  /** Redis came back: write every local room again (writes during the outage were lost). */
  resync(): void;
}

export function createRedisPresence(options: {
  client: RedisClient;
  subscriber: RedisClient;
  instanceId: string;
  clock: Clock;
  onChange: PresenceListener;
  /** Live instance ids (from the heartbeat). */
  alive: () => ReadonlySet<string>;
  logger: Logger;
  leaveDelayMs?: number;
}): RedisPresence {
  const { client, subscriber, instanceId, clock, onChange, alive, logger } = options;
  /** Remote entries per room, as last read from Redis (this instance's own are left out). */
  const remote = new Map<string, Entry[]>();
  /** Users this instance last wrote per room, so a departed user's field is deleted. */
  const written = new Map<string, Set<string>>();
  /**
   * Instances found dead and not seen alive since: their entries are hidden at once, before the
   * cleanup in Redis lands. (Filtering by "alive" instead would hide a newly started instance's
   * members until our next heartbeat.)
   */
  const dead = new Set<string>();
  let closed = false;

  const local = createMemoryPresence({
    clock,
    leaveDelayMs: options.leaveDelayMs,
    onChange: (room) => {
      void write(room);
      onChange(room);
    },
  });

  const failed = (what: string) => (error: unknown) =>
    logger.debug({ err: error, what }, 'presence redis failed');

  async function write(room: string): Promise<void> {
    if (closed) return;
    const members = local.members(room);
    const before = written.get(room) ?? new Set<string>();
    const now = new Set(members.map((m) => m.userId));
    const gone = [...before].filter((userId) => !now.has(userId));
    if (now.size === 0) written.delete(room);
    else written.set(room, now);
    const multi = client.multi();
    if (members.length > 0) {
      multi.hSet(
        presenceKey(room),
        Object.fromEntries(members.map((m) => [`${instanceId}${SEP}${m.userId}`, JSON.stringify(m)])),
      );
      multi.sAdd(instanceRoomsKey(instanceId), room);
    }
    if (gone.length > 0)
      multi.hDel(
        presenceKey(room),
        gone.map((userId) => `${instanceId}${SEP}${userId}`),
      );
    if (now.size === 0) multi.sRem(instanceRoomsKey(instanceId), room);
    multi.publish(PRESENCE_CHANNEL, JSON.stringify({ from: instanceId, room }));
    await multi.exec().catch(failed('write'));
  }

  async function refresh(room: string): Promise<void> {
    let fields: Record<string, string>;
    try {
      fields = await client.hGetAll(presenceKey(room));
    } catch (error) {
      failed('refresh')(error);
      return;
    }
    const entries: Entry[] = [];
    for (const [field, value] of Object.entries(fields)) {
      const instance = field.slice(0, field.indexOf(SEP));
      if (instance === instanceId) continue;
      try {
        entries.push({ instance, member: JSON.parse(value) as PresenceMember });
      } catch {
        // A field we cannot read is skipped rather than shown.
      }
    }
    if (entries.length === 0) remote.delete(room);
    else remote.set(room, entries);
    onChange(room);
  }

  /** Rooms being re-read -> whether another announcement arrived meanwhile (read again after). */
  const refreshing = new Map<string, boolean>();
  /** Coalesces re-reads: a burst of joins elsewhere costs this instance two HGETALLs, not one each. */
  function scheduleRefresh(room: string): void {
    if (refreshing.has(room)) {
      refreshing.set(room, true);
      return;
    }
    refreshing.set(room, false);
    void refresh(room).finally(() => {
      const again = refreshing.get(room) === true;
      refreshing.delete(room);
      if (again && !closed) scheduleRefresh(room);
    });
  }

  const onMessage = (message: string): void => {
    let parsed: { from?: unknown; room?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.from === instanceId || typeof parsed.room !== 'string') return;
    scheduleRefresh(parsed.room);
  };
  subscriber.subscribe(PRESENCE_CHANNEL, onMessage).catch(failed('subscribe'));

  function merged(room: string): PresenceMember[] {
    const byUser = new Map<string, PresenceMember>();
    const add = (member: PresenceMember): void => {
      const seen = byUser.get(member.userId);
      if (seen === undefined) {
        byUser.set(member.userId, { ...member });
        return;
      }
      seen.connections += member.connections;
      if (member.since < seen.since) seen.since = member.since;
    };
    for (const member of local.members(room)) add(member);
    for (const entry of remote.get(room) ?? []) if (!dead.has(entry.instance)) add(entry.member);
    return [...byUser.values()].sort(
      (a, b) => a.since.localeCompare(b.since) || a.userId.localeCompare(b.userId),
    );
  }

  return {
    join(room, who, connectionId) {
      const known = remote.has(room) || local.members(room).length > 0;
      local.join(room, who, connectionId);
      // First local interest in the room: learn who is there on the other instances.
      if (!known) scheduleRefresh(room);
    },
    leave: (room, connectionId) => local.leave(room, connectionId),
    members: merged,

    removeInstances(ids) {
      for (const id of ids) dead.add(id);
      for (const [room, entries] of remote) {
        const kept = entries.filter((entry) => !ids.includes(entry.instance));
        if (kept.length === entries.length) continue;
        if (kept.length === 0) remote.delete(room);
        else remote.set(room, kept);
        onChange(room);
      }
      // Survivors may all do this at once; every step is idempotent.
      void (async () => {
        for (const id of ids) {
          const rooms = await client.sMembers(instanceRoomsKey(id));
          for (const room of rooms) {
            const fields = (await client.hKeys(presenceKey(room))).filter((f) => f.startsWith(`${id}${SEP}`));
            const multi = client.multi();
            if (fields.length > 0) multi.hDel(presenceKey(room), fields);
            multi.publish(PRESENCE_CHANNEL, JSON.stringify({ from: instanceId, room }));
            await multi.exec();
          }
          await client.del(instanceRoomsKey(id));
        }
      })().catch(failed('remove instances'));
    },

    aliveChanged() {
      // An instance restarted under the same id is shown again.
      for (const id of alive()) dead.delete(id);
    },

    resync() {
      for (const room of written.keys()) void write(room);
      for (const room of remote.keys()) scheduleRefresh(room);
    },

    async close() {
      closed = true;
      const rooms = [...written];
      local.close();
      remote.clear();
      written.clear();
      // Not awaited: node-redis never settles an unsubscribe on a closed or reconnecting client.
      if (subscriber.isReady)
        subscriber.unsubscribe(PRESENCE_CHANNEL, onMessage).catch(failed('unsubscribe'));
      if (!client.isReady) return;
      // A graceful shutdown removes its entries at once instead of leaving them to the TTL.
      const multi = client.multi();
      for (const [room, users] of rooms) {
        multi.hDel(
          presenceKey(room),
          [...users].map((userId) => `${instanceId}${SEP}${userId}`),
        );
        multi.publish(PRESENCE_CHANNEL, JSON.stringify({ from: instanceId, room }));
      }
      multi.del(instanceRoomsKey(instanceId));
      await multi.exec().catch(failed('close'));
    },
  };
}
