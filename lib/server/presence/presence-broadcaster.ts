/**
 * Coalesces presence broadcasts per room: at most one `presence` message per room per
 * window, carrying the latest member list. Without it every join in a room of N sockets
 * costs a message to N sockets, and N joins cost N² (measured: 2,000 subscribers took 68 s
 * to connect).
 *
 * The window grows with the room's audience so a room's presence traffic stays within a
 * budget of socket writes per second: 250 ms up to 500 sockets, 500 ms at 1,000, 5 s (the
 * cap) from 10,000. A fixed 250 ms sent 40,000 writes/s during a 10,000-client connect storm,
 * the top of its profile (bench connections, issue #7); who is watching can lag a few
 * seconds in a room that big without anyone missing it.
 */
import type { PresenceMember } from '@/lib/shared/socket-events';
import type { Clock } from '../hub/clock';

export const PRESENCE_BROADCAST_WINDOW_MS = 250;
export const PRESENCE_MAX_WINDOW_MS = 5000;
/** Presence messages (one per socket) a room may cost per second once it is big. */
export const PRESENCE_WRITES_PER_SEC = 2000;

export interface PresenceBroadcaster {
  changed(room: string): void;
  close(): void;
}

/** The coalescing window for a room with `audience` local sockets. */
export function presenceWindowMs(audience: number, minWindowMs = PRESENCE_BROADCAST_WINDOW_MS): number {
  const budgeted = (audience / PRESENCE_WRITES_PER_SEC) * 1000;
  return Math.min(PRESENCE_MAX_WINDOW_MS, Math.max(minWindowMs, budgeted));
}

export function createPresenceBroadcaster(options: {
  clock: Clock;
  /** Reads the room's members at send time, so a burst of joins costs one listing. */
  members: (room: string) => PresenceMember[];
  emit: (room: string, members: PresenceMember[]) => void;
  /** Sockets on this instance that a broadcast to the room reaches. */
  audience: (room: string) => number;
  windowMs?: number;
}): PresenceBroadcaster {
  const { clock, emit, members, audience } = options;
  const minWindowMs = options.windowMs ?? PRESENCE_BROADCAST_WINDOW_MS;
  const pending = new Map<string, unknown>();
  return {
    changed(room) {
      if (pending.has(room)) return;
      const timer = clock.setTimeout(
        () => {
          pending.delete(room);
          emit(room, members(room));
        },
        presenceWindowMs(audience(room), minWindowMs),
      );
      pending.set(room, timer);
    },
    close() {
      for (const timer of pending.values()) clock.clearTimeout(timer);
      pending.clear();
    },
  };
}
