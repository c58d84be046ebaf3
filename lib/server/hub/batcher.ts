/**
 * Per-room event batching (PROTOCOL.md section 5, tldraw's room pattern): when a room has
 * been idle the first event goes out at once, so a lone event pays no latency; events that
 * follow within the window are coalesced, at most `maxEvents` per array, and none waits
 * longer than `maxWaitMs`. Coalescing is what makes fan-out cheap: one encode and one
 * frame per batch instead of per event.
 *
 * "Idle" means no event for half a window (`idleGapMs`), not "no window open": at a light
 * steady rate (10 events/s, one every ~100 ms give or take the publisher's jitter) an event
 * often lands shortly before the previous event's window ends and would wait out the rest of
 * it, up to tens of ms for nothing to coalesce with (bench latency p99 30 ms, issue #7). A
 * room whose events come closer together than that is busy and gets batched as before.
 * Sending alone costs one write per subscriber, so a big room needs a longer quiet gap: at
 * most `ALONE_WRITES_PER_SEC` writes a second go to events sent alone (10,000 subscribers
 * at 20 events/s, 50 ms apart, would otherwise get every event in its own frame: 200,000
 * writes/s, more than this machine's server could do).
 *
 * A busy room's events are held until the window ends even when they fill several arrays,
 * and all of them are handed over together: the socket writer puts them in one write per
 * socket (room-broadcast.ts), and a write per socket is what fan-out costs (a loopback write
 * is ~16 us of kernel time; at 1,000 subscribers and 200 events/s, sending each full array at
 * once made 3 writes per socket per window instead of 1). Once a full array is waiting, the
 * window is cut to a quarter (`fullHoldMs`) from then: at high rates the hold, not the
 * writes, was the latency (p99 188 ms at 500,000 deliveries/s). Past `MAX_HELD_BATCHES` full
 * arrays they go at once, so one write stays small.
 */
import type { Envelope } from '@/lib/shared/envelope';
import type { Clock } from './clock';

export interface BatcherOptions {
  maxEvents: number;
  maxWaitMs: number;
  clock: Clock;
  /** Sockets a send to the room reaches (its local subscribers); sizes the quiet gap. */
  audience?: (room: string) => number;
  /**
   * Called with one or more non-empty arrays of at most `maxEvents` envelopes, ordered by seq
   * across all of them, to be sent together.
   */
  emit: (room: string, batches: Envelope[][]) => void;
}

interface RoomQueue {
  events: Envelope[];
  /** Window timer: while set, the room is "busy" and new events wait for it. */
  timer: unknown;
  /** Events that arrived during the current window (sent early as full batches or not). */
  arrivals: number;
  /** clock.now() of the room's latest event. */
  lastArrivalAt: number;
  /** clock.now() at which the open window's timer fires. */
  windowEndsAt: number;
}

export interface Batcher {
  push(envelope: Envelope): void;
  /** Sends everything queued now (shutdown, tests). */
  flushAll(): void;
  /** Rooms with queued events or an open window. */
  readonly activeRooms: number;
}

const bySeq = (a: Envelope, b: Envelope): number => a.seq - b.seq;

/** Writes per second a room may spend on events sent alone inside a window (see above). */
export const ALONE_WRITES_PER_SEC = 50_000;

/** Full arrays a room may hold before they go out early (320 events at the default 10). */
export const MAX_HELD_BATCHES = 32;

export function createBatcher({ maxEvents, maxWaitMs, clock, emit, audience }: BatcherOptions): Batcher {
  const rooms = new Map<string, RoomQueue>();
  const minIdleGapMs = maxWaitMs / 2;
  const idleGapMs = (room: string): number =>
    audience === undefined
      ? minIdleGapMs
      : Math.max(minIdleGapMs, (audience(room) * 1000) / ALONE_WRITES_PER_SEC);
  const fullHoldMs = maxWaitMs / 4;

  /** Sends `events` (non-empty) as arrays of at most maxEvents, all in one emit. */
  function send(room: string, events: Envelope[]): void {
    // Appends to one room resolve in seq order in practice; sorting keeps that a guarantee.
    if (events.length > 1) events.sort(bySeq);
    if (events.length <= maxEvents) {
      emit(room, [events]);
      return;
    }
    const batches: Envelope[][] = [];
    for (let start = 0; start < events.length; start += maxEvents) {
      batches.push(events.slice(start, start + maxEvents));
    }
    emit(room, batches);
  }

  function takeAll(queue: RoomQueue): Envelope[] {
    const events = queue.events;
    queue.events = [];
    return events;
  }

  function openWindow(room: string, queue: RoomQueue, ms = maxWaitMs): void {
    queue.arrivals = 0;
    endWindowIn(room, queue, ms);
  }

  function endWindowIn(room: string, queue: RoomQueue, ms: number): void {
    if (queue.timer !== undefined) clock.clearTimeout(queue.timer);
    queue.windowEndsAt = clock.now() + ms;
    queue.timer = clock.setTimeout(() => onWindowEnd(room), ms);
  }

  function onWindowEnd(room: string): void {
    const queue = rooms.get(room);
    if (queue === undefined) return;
    queue.timer = undefined;
    if (queue.arrivals <= 1) {
      // At most one event in a whole window: there is nothing to coalesce, so the room is idle
      // again and the next event goes at once. Reopening a window for a lone event would let a
      // steady trickle (one event per window, e.g. 10/s with 100 ms) drift into holding every
      // event for up to a whole window (measured: p50 50 ms at 10 events/s, issue #7).
      if (queue.events.length > 0) send(room, takeAll(queue));
      rooms.delete(room);
      return;
    }
    if (queue.events.length > 0) send(room, takeAll(queue));
    // Keep the room in batching mode while events keep coming.
    openWindow(room, queue);
  }

  return {
    push(envelope) {
      const room = envelope.room;
      let queue = rooms.get(room);
      if (maxEvents <= 1 || maxWaitMs === 0) {
        send(room, [envelope]);
        return;
      }
      const now = clock.now();
      if (queue === undefined) {
        queue = { events: [], timer: undefined, arrivals: 0, lastArrivalAt: now, windowEndsAt: now };
        rooms.set(room, queue);
        send(room, [envelope]);
        openWindow(room, queue);
        return;
      }
      const quietFor = now - queue.lastArrivalAt;
      queue.lastArrivalAt = now;
      if (queue.events.length === 0 && quietFor >= idleGapMs(room)) {
        // Idle again inside the window: send at once and start a fresh window from here.
        send(room, [envelope]);
        openWindow(room, queue);
        return;
      }
      queue.arrivals += 1;
      queue.events.push(envelope);
      if (queue.events.length >= maxEvents * MAX_HELD_BATCHES) {
        send(room, takeAll(queue));
      } else if (queue.events.length === maxEvents && queue.windowEndsAt - now > fullHoldMs) {
        // A full array waits at most a quarter window more.
        endWindowIn(room, queue, fullHoldMs);
      }
    },

    flushAll() {
      for (const [room, queue] of rooms) {
        if (queue.timer !== undefined) clock.clearTimeout(queue.timer);
        if (queue.events.length > 0) send(room, takeAll(queue));
      }
      rooms.clear();
    },

    get activeRooms() {
      return rooms.size;
    },
  };
}
