/**
 * The typed publisher for code inside the server (the self-reporter, API routes, webhook
 * handlers): the same helpers as the Node SDK's HTTP publisher (`serviceStatus(project,
 * payload)`, `log(project, stream, lines)`, ...; both implement TypedPublisher from
 * lib/sdk/typed-publisher.ts), but straight into `hub.publish`, so events take the one path
 * every event takes (validate, authorize, store, batch, emit) without an HTTP round trip.
 * Each call resolves once the event is stored; an invalid event rejects with the hub's
 * OpsroomError (INVALID_EVENT, UNKNOWN_ROOM, ...).
 */
import type { OutgoingEvent } from '@/lib/sdk/events';
import { typedHelpers, type TypedPublisher } from '@/lib/sdk/typed-publisher';
import type { AcceptedEvent } from '@/lib/shared/api-types';
import { SYSTEM_PRINCIPAL, type Principal } from '../auth/principal';
import type { Hub } from './hub';

export interface InProcessPublisherOptions {
  hub: Pick<Hub, 'publish'>;
  /** Who publishes: Opsroom itself by default; a route acting for its caller passes theirs. */
  principal?: Principal;
  /** The `via` label of the events-in metric. */
  via?: 'http' | 'socket' | 'internal';
}

export interface InProcessPublisher extends TypedPublisher<Promise<AcceptedEvent>> {
  /** Several events in one store transaction: all are stored, or (one invalid) none. */
  publishAll(events: readonly OutgoingEvent[]): Promise<AcceptedEvent[]>;
}

export function createInProcessPublisher({
  hub,
  principal = SYSTEM_PRINCIPAL,
  via = 'internal',
}: InProcessPublisherOptions): InProcessPublisher {
  const publishAll = async (events: readonly OutgoingEvent[]): Promise<AcceptedEvent[]> =>
    events.length === 0 ? [] : hub.publish([...events], principal, via);
  const publish = async (event: OutgoingEvent): Promise<AcceptedEvent> => {
    const [accepted] = await hub.publish([event], principal, via);
    if (accepted === undefined) throw new Error('hub.publish accepted nothing for one event');
    return accepted;
  };
  return { ...typedHelpers(publish), publish, publishAll };
}
