'use client';

import { useEffect, useState } from 'react';
import type { Envelope } from '@/lib/shared/envelope';
import type { ErrorBody } from '@/lib/shared/errors';
import { useRealtimeClient } from '@/components/providers/realtime-provider';

export interface RoomEvents {
  /** Newest first, at most `limit`. */
  events: Envelope[];
  seq: number;
  error: ErrorBody | null;
  loaded: boolean;
}

const EMPTY: RoomEvents = { events: [], seq: 0, error: null, loaded: false };

/** A bounded live list of a room's events: its snapshot first, then everything new. */
export function useRoomEvents(room: string | null, limit = 500): RoomEvents {
  const client = useRealtimeClient();
  // State remembers which room it belongs to, so switching rooms shows nothing stale
  // without resetting state inside the effect.
  const [state, setState] = useState<RoomEvents & { room: string | null }>({ ...EMPTY, room: null });

  useEffect(() => {
    if (room === null) return;
    return client.subscribe(room, {
      onReset: (snapshot, seq) =>
        setState({ room, events: [...snapshot].reverse().slice(0, limit), seq, error: null, loaded: true }),
      onEvents: (envelopes) =>
        setState((prev) => ({
          ...(prev.room === room ? prev : EMPTY),
          room,
          loaded: true,
          seq: envelopes.at(-1)?.seq ?? prev.seq,
          events: [...envelopes].reverse().concat(prev.events).slice(0, limit),
        })),
      onError: (error) => setState({ ...EMPTY, room, error, loaded: true }),
    });
  }, [client, room, limit]);

  return state.room === room ? state : EMPTY;
}
