/** Single-instance presence kept in memory. */
import type { PresenceMember } from '@/lib/shared/socket-events';
import type { Clock } from '../hub/clock';
import { LEAVE_DELAY_MS, type Presence, type PresenceListener } from './presence';

interface MemberState {
  name: string;
  since: string;
  connections: Set<string>;
  /** Pending removal after the last connection left; cancelled by a rejoin. */
  leaveTimer: unknown;
}

export function createMemoryPresence(options: {
  clock: Clock;
  onChange: PresenceListener;
  leaveDelayMs?: number;
}): Presence {
  const { clock, onChange } = options;
  const leaveDelayMs = options.leaveDelayMs ?? LEAVE_DELAY_MS;
  const rooms = new Map<string, Map<string, MemberState>>();
  /**
   * (room, connectionId) -> userId, so leave needs only the connection. One flat map: a Map
   * per connection cost a few hundred bytes per idle socket (bench connections, issue #7).
   */
  const memberships = new Map<string, string>();
  const membershipKey = (room: string, connectionId: string): string => `${room}\u0000${connectionId}`;

  function list(room: string): PresenceMember[] {
    const members = rooms.get(room);
    if (members === undefined) return [];
    return [...members]
      .filter(([, state]) => state.connections.size > 0 || state.leaveTimer !== undefined)
      .map(([userId, state]) => ({
        userId,
        name: state.name,
        // A member in its leave grace period still counts as one connection (it is "reloading").
        connections: Math.max(state.connections.size, 1),
        since: state.since,
      }))
      .sort((a, b) => a.since.localeCompare(b.since) || a.userId.localeCompare(b.userId));
  }

  return {
    join(room, who, connectionId) {
      let members = rooms.get(room);
      if (members === undefined) {
        members = new Map();
        rooms.set(room, members);
      }
      let state = members.get(who.userId);
      const before = state === undefined ? 0 : state.connections.size;
      const wasLeaving = state?.leaveTimer !== undefined;
      if (state === undefined) {
        state = {
          name: who.name,
          since: new Date(clock.now()).toISOString(),
          connections: new Set(),
          leaveTimer: undefined,
        };
        members.set(who.userId, state);
      }
      if (state.leaveTimer !== undefined) {
        clock.clearTimeout(state.leaveTimer);
        state.leaveTimer = undefined;
      }
      state.connections.add(connectionId);
      memberships.set(membershipKey(room, connectionId), who.userId);
      // A rejoin within the grace period with the same count is not a change worth a message.
      if (!(wasLeaving && before === 0 && state.connections.size === 1)) onChange(room);
    },

    leave(room, connectionId) {
      const key = membershipKey(room, connectionId);
      const userId = memberships.get(key);
      if (userId === undefined) return;
      memberships.delete(key);
      const members = rooms.get(room);
      const state = members?.get(userId);
      if (members === undefined || state === undefined) return;
      state.connections.delete(connectionId);
      if (state.connections.size > 0) {
        onChange(room);
        return;
      }
      state.leaveTimer = clock.setTimeout(() => {
        state.leaveTimer = undefined;
        if (state.connections.size > 0) return;
        members.delete(userId);
        if (members.size === 0) rooms.delete(room);
        onChange(room);
      }, leaveDelayMs);
    },

    members: list,

    close() {
      for (const members of rooms.values()) {
        for (const state of members.values())
          if (state.leaveTimer !== undefined) clock.clearTimeout(state.leaveTimer);
      }
      rooms.clear();
      memberships.clear();
    },
  };
}
