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

/** A bounded live list of a room's events: its snapshot first, then everything new. */
export function useRoomEvents(room: string | null, limit = 500): RoomEvents {
  const client = useRealtimeClient();
  const [state, setState] = useState<RoomEvents>({ events: [], seq: 0, error: null, loaded: false });

  useEffect(() => {
    if (room === null) return;
    setState({ events: [], seq: 0, error: null, loaded: false });
    return client.subscribe(room, {
      onReset: (snapshot, seq) =>
        setState({ events: [...snapshot].reverse().slice(0, limit), seq, error: null, loaded: true }),
      onEvents: (envelopes) =>
        setState((prev) => ({
          ...prev,
          loaded: true,
          seq: envelopes.at(-1)?.seq ?? prev.seq,
          events: [...envelopes].reverse().concat(prev.events).slice(0, limit),
        })),
      onError: (error) => setState((prev) => ({ ...prev, error, loaded: true })),
    });
  }, [client, room, limit]);

  return state;
}
