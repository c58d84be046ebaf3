/**
 * The publish path: validate -> authorize -> store (durable, seq assigned) -> batch -> emit.
 * Nothing is emitted that is not stored, so any client that misses a batch can catch up by
 * seq. The emit function is injected: Socket.IO's `io.to(room).emit` in production.
 */
import { monotonicFactory } from 'ulid';
import type { AcceptedEvent } from '@/lib/shared/api-types';
import type { Envelope } from '@/lib/shared/envelope';
import { OpsroomError, isOpsroomError } from '@/lib/shared/errors';
import { stateKeyOf } from '@/lib/shared/events';
import { parseRoom, projectOfRoom } from '@/lib/shared/rooms';
import { validateEvent, type EventLimits, type ValidEvent } from '@/lib/shared/validate-event';
import { canAccessRoom } from '../auth/access';
import { sourceOf, type Principal } from '../auth/principal';
import { actorOf, recordAudit } from '../audit';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { NewEvent, Store } from '../store/store';
import { createBatcher } from './batcher';
import type { Clock } from './clock';
import { createRateMeter } from './rate-meter';

export interface HubOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  limits: EventLimits;
  batch: { maxEvents: number; maxWaitMs: number };
  /**
   * Sends a room's batches (each one `events` array, in seq order) to its subscribers, together;
   * returns how many local sockets they reached.
   */
  emit: (room: string, batches: Envelope[][]) => number;
  /** Sockets on this instance subscribed to a room (the batcher sizes its quiet gap by it). */
  audience?: (room: string) => number;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub({ store, clock, logger, metrics, limits, batch, emit, audience }: HubOptions) {
  // One generator per hub: plain `ulid()` looks up its random source and draws 16 single random
  // bytes on every call, 22% of the server's CPU when ingesting batches of 100 (issue #7). The
  // monotonic one draws once per millisecond and increments within it: ids stay unique ULIDs.
  const newEventId = monotonicFactory();
  const storedAt = new WeakMap<Envelope, number>();
  const rate = createRateMeter(11, clock.now);
  const batcher = createBatcher({
    ...batch,
    clock,
    ...(audience === undefined ? {} : { audience }),
    emit: (room, batches) => {
      const reached = emit(room, batches);
      const at = performance.now();
      for (const events of batches) {
        metrics.batches.inc();
        metrics.batchSize.observe(events.length);
        metrics.eventsOut.inc(events.length * reached);
        for (const envelope of events) {
          const stored = storedAt.get(envelope);
          if (stored !== undefined) metrics.publishToEmit.observe((at - stored) / 1000);
        }
      }
    },
  });

  function validateAll(inputs: unknown[], principal: Principal): ValidEvent[] {
    return inputs.map((input, index) => {
      try {
        const event = validateEvent(input, limits);
        const room = parseRoom(event.room);
        if (room === null || !canAccessRoom(principal, 'publish', room)) {
          throw new OpsroomError('FORBIDDEN', `You may not publish to ${event.room}.`);
        }
        return event;
      } catch (error) {
        // Name the failing event of a batch; the whole request is refused, nothing is stored.
        if (isOpsroomError(error) && inputs.length > 1) {
          throw new OpsroomError(error.code, `events[${index}]: ${error.message}`, {
            index,
            details: error.details,
          });
        }
        throw error;
      }
    });
  }

  return {
    /**
     * Stores and fans out events atomically: all of them or (on any invalid one) none.
     * Resolves after the store committed, with one accepted entry per input in order.
     */
    async publish(
      inputs: unknown[],
      principal: Principal,
      via: 'http' | 'socket' | 'internal',
    ): Promise<AcceptedEvent[]> {
      const valid = validateAll(inputs, principal);
      const ts = new Date(clock.now()).toISOString();
      const source = sourceOf(principal);
      const newEvents: NewEvent[] = valid.map((event) => {
        const room = parseRoom(event.room);
        return {
          id: event.id ?? newEventId(),
          room: event.room,
          type: event.type,
          ts,
          source,
          payload: event.payload,
          stateKey: stateKeyOf(event.type, event.payload),
          project: room === null ? null : projectOfRoom(room),
        };
      });
      let outcomes;
      try {
        outcomes = await store.append(newEvents);
      } catch (error) {
        logger.error({ err: error }, 'store append failed');
        throw new OpsroomError(
          'UNAVAILABLE',
          'The event store is unavailable; nothing was stored. Retry later.',
        );
      }
      const at = performance.now();
      let stored = 0;
      const accepted = outcomes.map((outcome) => {
        if (outcome.duplicate) return { id: outcome.id, room: outcome.room, seq: outcome.seq };
        stored += 1;
        storedAt.set(outcome.envelope, at);
        batcher.push(outcome.envelope);
        return { id: outcome.envelope.id, room: outcome.envelope.room, seq: outcome.envelope.seq };
      });
      if (stored > 0) {
        metrics.eventsIn.inc({ via }, stored);
        rate.add(stored);
      }
      // People publishing by hand are audited; machines (tokens) and Opsroom itself are not.
      if (principal.kind === 'user') {
        void recordAudit(store, logger, {
          actor: actorOf(principal),
          action: 'events.publish',
          target: [...new Set(accepted.map((a) => a.room))].join(', ').slice(0, 500),
          details: {
            count: accepted.length,
            types: [...new Set(newEvents.map((e) => e.type))].slice(0, 20),
            via,
          },
        });
      }
      return accepted;
    },

    /** Sends everything the batcher holds (graceful shutdown). */
    flush(): void {
      batcher.flushAll();
    },

    eventsPerSec(): number {
      return rate.perSecond();
    },
  };
}
